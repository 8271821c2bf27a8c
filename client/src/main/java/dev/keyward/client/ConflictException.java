package dev.keyward.client;

import org.jspecify.annotations.Nullable;

/**
 * The request conflicts with the current state (409): a name already taken, a key already revoked
 * ({@code already_revoked}), a role still in use.
 *
 * @since 0.1.0
 */
public class ConflictException extends KeywardException {
  private static final long serialVersionUID = 1L;

  public ConflictException(KeywardError detail) {
    super(detail);
  }

  public ConflictException(KeywardError detail, @Nullable Throwable cause) {
    super(detail, cause);
  }
}
