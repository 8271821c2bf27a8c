package dev.keyward.client;

import org.jspecify.annotations.Nullable;

/**
 * Too many requests (429), still refused after the client's retries, or with a wait longer than it
 * may take; {@link #retryAfter()} says when to try again.
 *
 * @since 0.1.0
 */
public class RateLimitedException extends KeywardException {
  private static final long serialVersionUID = 1L;

  public RateLimitedException(KeywardError detail) {
    super(detail);
  }

  public RateLimitedException(KeywardError detail, @Nullable Throwable cause) {
    super(detail, cause);
  }
}
