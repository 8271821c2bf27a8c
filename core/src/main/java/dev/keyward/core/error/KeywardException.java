package dev.keyward.core.error;

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

  public KeywardException(ErrorCode code, String publicMessage) {
    this(code, publicMessage, null, null, null);
  }

  public KeywardException(
      ErrorCode code,
      String publicMessage,
      @Nullable String field,
      @Nullable String internalDetail,
      @Nullable Throwable cause) {
    super(internalDetail == null ? publicMessage : publicMessage + " (" + internalDetail + ")", cause, false, cause != null);
    this.code = code;
    this.publicMessage = publicMessage;
    this.field = field;
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
