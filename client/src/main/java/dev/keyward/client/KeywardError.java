package dev.keyward.client;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A refusal as Keyward answered it: the HTTP status, the machine-readable {@code error} code and
 * the server's {@code message} (on the OAuth endpoints, RFC 6749's {@code error_description}).
 * Errors found before any answer (no connection, a timeout) have status 0 and a code of the
 * client's own: {@code connection_failed}, {@code timeout}, {@code interrupted} or
 * {@code invalid_answer}.
 *
 * @param status the HTTP status, or 0 when there was no answer
 * @param error the code, e.g. {@code not_found}, {@code forbidden}, {@code invalid_grant}
 * @param message what went wrong, as the server put it (never a secret)
 * @param requestId the server's request id ({@code X-Request-Id}), to quote when reporting
 * @param field the request field the error concerns, when the server names one
 * @param retryAfter how long the server asked to wait ({@code Retry-After}), when it did
 * @since 0.1.0
 */
public record KeywardError(int status, String error, String message, @Nullable String requestId, @Nullable String field,
    @Nullable Duration retryAfter) {

  /** An error the client found itself, without an answer from the server. */
  public static KeywardError local(String error, String message) {
    return new KeywardError(0, error, message, null, null, null);
  }

  public Optional<Duration> retryAfterDuration() {
    return Optional.ofNullable(retryAfter);
  }
}
