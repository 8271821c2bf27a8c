package dev.keyward.core.authz;

import java.util.Map;

/**
 * A request matched to a route.
 *
 * @param route the route (for a {@code HEAD} request, the {@code GET} route)
 * @param variables the path's variables by name, as they stand in the canonical path (only
 *     unreserved characters are percent-decoded; a {@code {rest*}} value holds its '/')
 * @param canonicalPath the path the decision was taken on
 * @param resource the resource the call acts on: none, formed, or unformable (then deny)
 */
public record RouteMatch(Route route, Map<String, String> variables, String canonicalPath, ResourceExpansion resource) {
  public RouteMatch {
    variables = Map.copyOf(variables);
  }
}
