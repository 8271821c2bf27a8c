package dev.keyward.client;

import org.jspecify.annotations.Nullable;

/**
 * The account is locked after too many wrong passwords (423); {@link #retryAfter()} says for how
 * long, when the lock ends by itself.
 *
 * @since 0.1.0
 */
public class AccountLockedException extends KeywardException {
  private static final long serialVersionUID = 1L;

  public AccountLockedException(KeywardError detail) {
    super(detail);
  }

  public AccountLockedException(KeywardError detail, @Nullable Throwable cause) {
    super(detail, cause);
  }
}
