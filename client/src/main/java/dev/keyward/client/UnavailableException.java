package dev.keyward.client;

import org.jspecify.annotations.Nullable;

/**
 * Keyward could not be reached, did not answer in time, or answered that it cannot decide now
 * (503: its store is unreachable, and it fails closed). Status 0 when there was no answer;
 * {@link #retryAfter()} when the server suggested a wait.
 *
 * @since 0.1.0
 */
public class UnavailableException extends KeywardException {
  private static final long serialVersionUID = 1L;

  public UnavailableException(KeywardError detail) {
    super(detail);
  }

  public UnavailableException(KeywardError detail, @Nullable Throwable cause) {
    super(detail, cause);
  }
}
