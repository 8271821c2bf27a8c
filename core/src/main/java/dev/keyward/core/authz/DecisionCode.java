package dev.keyward.core.authz;

/**
 * Every answer the decision function gives, with the HTTP status the gateway and the filter
 * answer with. {@link #NOT_FOUND}, {@link #EXPIRED} and {@link #REVOKED} are told apart only to
 * the verification API's trusted callers; on the wire of the gateway they are one 401.
 */
public enum DecisionCode {
  /** Allowed. */
  VALID(200),
  /** No credential, or an unknown, malformed or wrong one. */
  NOT_FOUND(401),
  EXPIRED(401),
  REVOKED(401),
  /** Too many wrong passwords: the account is locked. */
  LOCKED(423),
  /** The credential may not do this: a missing permission, resource, data access or flag. */
  FORBIDDEN(403),
  /** The route needs a signed-in user: {@code Bearer <partner key>, User <user token>}. */
  USER_REQUIRED(403),
  /** A browser call from an origin the key does not allow, or a browser call to a native-only key. */
  ORIGIN_NOT_ALLOWED(403),
  /** A call without an {@code Origin} (a native client) to a key that allows browsers only. */
  NATIVE_NOT_ALLOWED(403),
  IP_NOT_ALLOWED(403),
  /** A production credential in a tenant that has production switched off, or a sandbox one on a production-only route. */
  ENVIRONMENT_DISABLED(403),
  RATE_LIMITED(429),
  QUOTA_EXCEEDED(429),
  /** No route of the table matches the path. */
  ROUTE_NOT_FOUND(404),
  /** The path is routed, but not for this method. */
  METHOD_NOT_ALLOWED(405),
  /** The path is not canonical ({@code ..}, encoded slashes, …) and is refused rather than guessed. */
  BAD_PATH(400);

  private final int status;

  DecisionCode(int status) {
    this.status = status;
  }

  /** The HTTP status a refusal with this code gets at the gateway and in the filter. */
  public int status() {
    return status;
  }
}
