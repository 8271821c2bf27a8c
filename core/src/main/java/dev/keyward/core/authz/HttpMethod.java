package dev.keyward.core.authz;

import java.util.Optional;

/**
 * The methods a route can name. {@code HEAD} is decided as {@code GET} (it reads the same thing);
 * {@code OPTIONS} is never routed: CORS preflights are answered from the key's allowed callers,
 * not from the route table. Method names are case-sensitive (RFC 9110 §9.1): {@code get} is not
 * {@code GET}.
 */
public enum HttpMethod {
  GET,
  POST,
  PUT,
  PATCH,
  DELETE;

  // One Optional per method: this runs on every decided request.
  private static final Optional<HttpMethod> GET_ = Optional.of(GET);
  private static final Optional<HttpMethod> POST_ = Optional.of(POST);
  private static final Optional<HttpMethod> PUT_ = Optional.of(PUT);
  private static final Optional<HttpMethod> PATCH_ = Optional.of(PATCH);
  private static final Optional<HttpMethod> DELETE_ = Optional.of(DELETE);

  /** The method a request is decided as: {@code HEAD} as {@code GET}; empty for any other name. */
  public static Optional<HttpMethod> forRequest(String method) {
    return switch (method) {
      case "GET", "HEAD" -> GET_;
      case "POST" -> POST_;
      case "PUT" -> PUT_;
      case "PATCH" -> PATCH_;
      case "DELETE" -> DELETE_;
      default -> Optional.empty();
    };
  }

  /** A method as a route names it: exactly one of the five names, upper case. */
  public static Optional<HttpMethod> fromWire(String text) {
    return "HEAD".equals(text) ? Optional.empty() : forRequest(text);
  }
}
