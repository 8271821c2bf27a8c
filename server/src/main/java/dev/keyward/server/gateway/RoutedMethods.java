package dev.keyward.server.gateway;

import dev.keyward.core.authz.RouteLookup;
import dev.keyward.core.authz.RouteTable;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The methods the route table routes for a path, for what no decision is asked about: the
 * methods a CORS preflight allows. (A 405's {@code Allow} comes with its decision.)
 */
@FunctionalInterface
public interface RoutedMethods {
  /** No route at all. */
  RoutedMethods NONE = rawPath -> null;

  /**
   * The {@code Allow} value for a raw request path ({@code GET, HEAD, POST}), or null when no
   * route has this path or the path is refused.
   */
  @Nullable String allow(String rawPath);

  /** The methods of the route table in use (looked up afresh on each call: the table can be replaced). */
  static RoutedMethods of(Supplier<RouteTable> tables) {
    // OPTIONS is never routed, so the lookup answers with every method the path routes.
    return rawPath -> tables.get().lookup("OPTIONS", rawPath) instanceof RouteLookup.MethodNotAllowed m ? m.allowHeader() : null;
  }
}
