package dev.keyward.client;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Base of every failure the client reports: a refusal by Keyward (with its status, {@code error}
 * code and message) or a failure to reach it. Subclasses name the kinds a caller usually acts
 * on: {@link InvalidRequestException}, {@link AuthenticationException}, {@link ForbiddenException},
 * {@link NotFoundException}, {@link ConflictException}, {@link AccountLockedException},
 * {@link RateLimitedException} and {@link UnavailableException}; anything else (a 500) is a plain
 * {@code KeywardException}.
 *
 * @since 0.1.0
 */
public class KeywardException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final KeywardError detail;

  public KeywardException(KeywardError detail) {
    this(detail, null);
  }

  public KeywardException(KeywardError detail, @Nullable Throwable cause) {
    super(describe(detail), cause);
    this.detail = detail;
  }

  /** A refusal, said in the context of what the client was doing ({@code context}: what failed). */
  protected KeywardException(String context, KeywardError detail, @Nullable Throwable cause) {
    super(context + ": " + describe(detail), cause);
    this.detail = detail;
  }

  private static String describe(KeywardError e) {
    StringBuilder sb = new StringBuilder(e.message()).append(" (");
    if (e.status() > 0) {
      sb.append("HTTP ").append(e.status()).append(' ');
    }
    sb.append(e.error());
    if (e.requestId() != null) {
      sb.append(", request ").append(e.requestId());
    }
    return sb.append(')').toString();
  }

  /** Everything the server said. */
  public KeywardError detail() {
    return detail;
  }

  /** The HTTP status, or 0 when Keyward could not be reached. */
  public int status() {
    return detail.status();
  }

  /** The machine-readable code, e.g. {@code not_found} or {@code invalid_grant}. */
  public String error() {
    return detail.error();
  }

  /** The server's own message, as it sent it. */
  public String serverMessage() {
    return detail.message();
  }

  public Optional<String> requestId() {
    return Optional.ofNullable(detail.requestId());
  }

  public Optional<String> field() {
    return Optional.ofNullable(detail.field());
  }

  /** How long the server asked to wait before trying again, when it said. */
  public Optional<Duration> retryAfter() {
    return detail.retryAfterDuration();
  }
}
