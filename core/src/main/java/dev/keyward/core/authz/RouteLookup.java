package dev.keyward.core.authz;

import dev.keyward.core.error.ErrorCode;
import dev.keyward.core.error.KeywardException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What the route table says about a request: {@link Found}, {@link NotFound} (404), {@link
 * MethodNotAllowed} (405 with {@code Allow}) or {@link Refused} (400: the path is not canonical
 * and is not guessed at).
 */
public sealed interface RouteLookup {
  /** The request matched a route. */
  record Found(RouteMatch match) implements RouteLookup {}

  /** No route has this path, whatever the method. */
  record NotFound(String canonicalPath) implements RouteLookup {
    public KeywardException toException() {
      return new KeywardException(ErrorCode.NOT_FOUND, "No route for this path");
    }
  }

  /** Routes have this path, none with this method. */
  record MethodNotAllowed(String canonicalPath, Set<HttpMethod> allowed) implements RouteLookup {
    public MethodNotAllowed {
      allowed = Set.copyOf(allowed);
    }

    /** The allowed methods in a fixed order, and {@code HEAD} where {@code GET} is allowed. */
    public List<String> allowedMethods() {
      List<String> names = new ArrayList<>();
      for (HttpMethod m : HttpMethod.values()) {
        if (allowed.contains(m)) {
          names.add(m.name());
          if (m == HttpMethod.GET) {
            names.add("HEAD");
          }
        }
      }
      return names;
    }

    /** The {@code Allow} header value. */
    public String allowHeader() {
      return String.join(", ", allowedMethods());
    }

    public KeywardException toException() {
      return new KeywardException(ErrorCode.METHOD_NOT_ALLOWED, "This path allows " + allowHeader());
    }
  }

  /** The path is refused before any route is looked at; {@code message} says why. */
  record Refused(String message) implements RouteLookup {
    public KeywardException toException() {
      return KeywardException.invalidField("path", message);
    }
  }
}
