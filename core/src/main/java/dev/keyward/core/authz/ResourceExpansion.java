package dev.keyward.core.authz;

/**
 * The resource a matched route acts on, once the path's variables are put in its template.
 * {@link Unformable} means the route names a resource but a captured value would change its
 * structure (a {@code ..}, a {@code %}, a {@code *}…): the decision must then deny, never decide
 * on a resource that some other reader would parse differently.
 */
public sealed interface ResourceExpansion {
  /** The route names no resource. */
  record None() implements ResourceExpansion {}

  /** The concrete resource, e.g. {@code algo://acme/resize}. */
  record Formed(String resource) implements ResourceExpansion {}

  /** No resource can be formed: {@code variable}'s value is refused, for {@code reason}. */
  record Unformable(String variable, String reason) implements ResourceExpansion {}

  ResourceExpansion NONE = new None();
}
