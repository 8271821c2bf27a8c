package dev.keyward.core.error;

/**
 * Every error code Keyward answers with, and the HTTP status it maps to. The wire name is the
 * lower-case enum name; the server's error renderer is the only place that turns it into a body.
 */
public enum ErrorCode {
  INVALID_REQUEST(400),
  INVALID_JSON(400),
  UNKNOWN_FIELD(400),
  TENANT_REQUIRED(400),
  UNAUTHENTICATED(401),
  INVALID_CREDENTIALS(401),
  FORBIDDEN(403),
  NOT_FOUND(404),
  METHOD_NOT_ALLOWED(405),
  CONFLICT(409),
  ALREADY_REVOKED(409),
  PAYLOAD_TOO_LARGE(413),
  UNSUPPORTED_MEDIA_TYPE(415),
  UNPROCESSABLE(422),
  /** Too many wrong passwords: the account refuses password logins until the lock ends or an admin lifts it. */
  ACCOUNT_LOCKED(423),
  /** Too many attempts from one caller (such as sign-ups from one address): retry after the {@code Retry-After} delay. */
  RATE_LIMITED(429),
  HEADERS_TOO_LARGE(431),
  INTERNAL_ERROR(500),
  /** The gateway's upstream could not be reached or broke the connection. */
  BAD_GATEWAY(502),
  UNAVAILABLE(503),
  /** The gateway's upstream did not answer in time. */
  GATEWAY_TIMEOUT(504);

  private final int status;

  ErrorCode(int status) {
    this.status = status;
  }

  /** The HTTP status code for this error. */
  public int status() {
    return status;
  }

  /** The snake_case name used in JSON error bodies. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
