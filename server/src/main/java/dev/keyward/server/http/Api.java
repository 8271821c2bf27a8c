package dev.keyward.server.http;

import dev.keyward.core.error.ErrorCode;
import dev.keyward.core.error.KeywardException;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Registers routes and remembers them, so that a known path with another method answers 405 with
 * {@code Allow}, an unknown path answers 404 in JSON, and tests can compare the routes with the
 * OpenAPI document.
 */
public final class Api {
  private final HttpRouting.Builder routing;
  private final Map<String, Set<String>> routes = new LinkedHashMap<>();

  public Api(HttpRouting.Builder routing) {
    this.routing = routing;
  }

  public Api route(Method method, String path, Handler handler) {
    routes.computeIfAbsent(path, p -> new TreeSet<>()).add(method.text());
    routing.route(method, path, handler);
    return this;
  }

  public Api get(String path, Handler handler) {
    return route(Method.GET, path, handler);
  }

  public Api post(String path, Handler handler) {
    return route(Method.POST, path, handler);
  }

  public Api patch(String path, Handler handler) {
    return route(Method.PATCH, path, handler);
  }

  public Api put(String path, Handler handler) {
    return route(Method.PUT, path, handler);
  }

  public Api delete(String path, Handler handler) {
    return route(Method.DELETE, path, handler);
  }

  /** Adds the 405 and 404 fallbacks; call after every route is registered. */
  public void finish() {
    routes.forEach((path, methods) -> {
      String allow = String.join(", ", methods);
      routing.any(path, (req, res) -> {
        res.header(HeaderNames.ALLOW, allow);
        throw new KeywardException(ErrorCode.METHOD_NOT_ALLOWED,
            "Method " + req.prologue().method().text() + " is not allowed here; use " + allow);
      });
    });
    routing.any((req, res) -> {
      throw KeywardException.notFound("Resource");
    });
  }

  /** Every registered path template with its methods. */
  public Map<String, Set<String>> routes() {
    return Map.copyOf(routes);
  }
}
