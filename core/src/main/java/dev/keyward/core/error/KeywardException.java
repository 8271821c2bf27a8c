package dev.keyward.core.error;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A failure that stops a request. The public message is safe to show to the caller; the internal
 * detail is for logs only. Neither may hold a secret or raw credential input.
 */
public class KeywardException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final String publicMessage;
  private final @Nullable String field;
  private final @Nullable Duration retryAfter;

  public KeywardException(ErrorCode code, String publicMessage) {
    this(code, publicMessage, null, null, null);
  }

  public KeywardException(
      ErrorCode code,
      String publicMessage,
      @Nullable String field,
      @Nullable String internalDetail,
      @Nullable Throwable cause) {
    this(code, publicMessage, field, internalDetail, cause, null);
  }

  private KeywardException(
      ErrorCode code,
      String publicMessage,
      @Nullable String field,
      @Nullable String internalDetail,
      @Nullable Throwable cause,
      @Nullable Duration retryAfter) {
    super(internalDetail == null ? publicMessage : publicMessage + " (" + internalDetail + ")", cause, false, cause != null);
    this.code = code;
    this.publicMessage = publicMessage;
    this.field = field;
    this.retryAfter = retryAfter;
  }

  public ErrorCode code() {
    return code;
  }

  public String publicMessage() {
    return publicMessage;
  }

  /** The request field the error concerns, when there is one. */
  public @Nullable String field() {
    return field;
  }

  /**
   * How long until the same request may succeed (answered as {@code Retry-After}), when that is
   * known: e.g. the end of a temporary account lock. Null when it is not (or never).
   */
  public @Nullable Duration retryAfter() {
    return retryAfter;
  }

  /** A refusal that ends by itself after {@code retryAfter}. */
  public static KeywardException retryLater(ErrorCode code, String publicMessage, Duration retryAfter) {
    return new KeywardException(code, publicMessage, null, null, null, retryAfter);
  }

  public static KeywardException invalid(String message) {
    return new KeywardException(ErrorCode.INVALID_REQUEST, message);
  }

  public static KeywardException invalidField(String field, String message) {
    return new KeywardException(ErrorCode.INVALID_REQUEST, message, field, null, null);
  }

  public static KeywardException unprocessable(String field, String message) {
    return new KeywardException(ErrorCode.UNPROCESSABLE, message, field, null, null);
  }

  public static KeywardException notFound(String what) {
    return new KeywardException(ErrorCode.NOT_FOUND, what + " not found");
  }

  public static KeywardException conflict(String message) {
    return new KeywardException(ErrorCode.CONFLICT, message);
  }

  public static KeywardException forbidden(String message) {
    return new KeywardException(ErrorCode.FORBIDDEN, message);
  }

  public static KeywardException unavailable(String internalDetail, @Nullable Throwable cause) {
    return new KeywardException(
        ErrorCode.UNAVAILABLE, "The store is unavailable; try again shortly", null, internalDetail, cause);
  }
}
