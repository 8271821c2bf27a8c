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

  /** The method a request is decided as: {@code HEAD} as {@code GET}; empty for any other name. */
  public static Optional<HttpMethod> forRequest(String method) {
    return switch (method) {
      case "GET", "HEAD" -> Optional.of(GET);
      case "POST" -> Optional.of(POST);
      case "PUT" -> Optional.of(PUT);
      case "PATCH" -> Optional.of(PATCH);
      case "DELETE" -> Optional.of(DELETE);
      default -> Optional.empty();
    };
  }

  /** A method as a route names it: exactly one of the five names, upper case. */
  public static Optional<HttpMethod> fromWire(String text) {
    return "HEAD".equals(text) ? Optional.empty() : forRequest(text);
  }
}
