package dev.keyward.core.authz;

import dev.keyward.core.error.KeywardException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The route table: which route a request is, so that the decision knows the permission,
 * resource and other requirements it needs.
 *
 * <p>Paths are decided on only in their canonical form ({@link CanonicalPath}); a path that is
 * not canonical is {@linkplain RouteLookup.Refused refused}. Where several routes match a method
 * and path, the leftmost segment where they differ decides: a literal beats a variable, which
 * beats {@code {rest*}} ({@code /v1/algo/new} beats {@code /v1/algo/{name}}). Two routes with the
 * same method and the same template up to variable names would match exactly the same requests:
 * that is refused when the table is built. Routes are chosen per method: a path whose most
 * specific template lacks the method can still match a less specific template that has it.
 *
 * <p>Matching walks a tree of segments (a hash lookup per literal, no regular expression); it
 * visits each node at most once, so its cost is bounded by the table, not by the path.
 */
public final class RouteTable {
  /** No routes: every path is unknown. */
  public static final RouteTable EMPTY = builder().build();

  private final List<Route> routes;
  private final Node root;

  private RouteTable(List<Route> routes, Node root) {
    this.routes = List.copyOf(routes);
    this.root = root;
  }

  /**
   * A table of these routes, in this order.
   *
   * @throws KeywardException 400 when two routes would match the same requests
   */
  public static RouteTable of(List<Route> routes) {
    Builder b = builder();
    routes.forEach(b::add);
    return b.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The routes in the order they were added. */
  public List<Route> routes() {
    return routes;
  }

  /**
   * The grants among {@code grants} that no route of this table requires: most likely a typo or
   * a resource the table does not route ({@code invoics:read}). Keyward's own permissions
   * ({@code keyward:verify}, {@code keys:manage-own}) are never among them, and a table without
   * routes that require a permission reports none (a service may still ask for any permission
   * through the verification API).
   */
  public List<Permission> unusedGrants(Collection<Permission> grants) {
    List<Permission> required = routes().stream().flatMap(r -> r.permission().stream()).toList();
    if (required.isEmpty()) {
      return List.of();
    }
    List<Permission> unused = new ArrayList<>();
    for (Permission g : grants) {
      if (!g.equals(Permission.VERIFY) && !g.equals(Permission.MANAGE_OWN_KEYS) && required.stream().noneMatch(g::implies)) {
        unused.add(g);
      }
    }
    return unused;
  }

  public int size() {
    return routes.size();
  }

  /** The route for a request, or empty when there is none for any reason (unknown path or method, refused path). */
  public Optional<RouteMatch> match(String method, String rawPath) {
    return lookup(method, rawPath) instanceof RouteLookup.Found f ? Optional.of(f.match()) : Optional.empty();
  }

  /**
   * Everything the table says about a request: found, not found, method not allowed (with the
   * allowed methods) or refused (not canonical).
   *
   * @param method the request method, case-sensitive ({@code HEAD} is decided as {@code GET};
   *     {@code OPTIONS} and unknown methods are never routed)
   * @param rawPath the request target's path as received (percent-encoded; a query is ignored)
   */
  public RouteLookup lookup(String method, String rawPath) {
    CanonicalPath.Split path;
    try {
      path = CanonicalPath.split(rawPath);
    } catch (KeywardException e) {
      return new RouteLookup.Refused(e.publicMessage());
    }
    String[] segments = path.segments;
    Optional<HttpMethod> decidedAs = HttpMethod.forRequest(method);
    if (decidedAs.isPresent()) {
      Route route = find(root, segments, 0, decidedAs.get());
      if (route != null) {
        return new RouteLookup.Found(matchOf(route, segments, path.value));
      }
    }
    Set<HttpMethod> allowed = EnumSet.noneOf(HttpMethod.class);
    collect(root, segments, 0, allowed);
    return allowed.isEmpty() ? new RouteLookup.NotFound(path.value) : new RouteLookup.MethodNotAllowed(path.value, allowed);
  }

  /** Depth first, literal before variable before rest: the first route found is the most specific. */
  private static @Nullable Route find(Node node, String[] segments, int i, HttpMethod method) {
    if (i == segments.length) {
      return node.ending.get(method);
    }
    Node literal = node.literals.get(segments[i]);
    if (literal != null) {
      Route r = find(literal, segments, i + 1, method);
      if (r != null) {
        return r;
      }
    }
    if (node.variable != null) {
      Route r = find(node.variable, segments, i + 1, method);
      if (r != null) {
        return r;
      }
    }
    return node.rest.get(method);
  }

  private static void collect(Node node, String[] segments, int i, Set<HttpMethod> into) {
    if (i == segments.length) {
      into.addAll(node.ending.keySet());
      return;
    }
    into.addAll(node.rest.keySet());
    Node literal = node.literals.get(segments[i]);
    if (literal != null) {
      collect(literal, segments, i + 1, into);
    }
    if (node.variable != null) {
      collect(node.variable, segments, i + 1, into);
    }
  }

  private static RouteMatch matchOf(Route route, String[] segments, String canonicalPath) {
    List<PathTemplate.Segment> template = route.path().segments();
    int count = 0;
    for (PathTemplate.Segment s : template) {
      if (!(s instanceof PathTemplate.Literal)) {
        count++;
      }
    }
    @SuppressWarnings({"unchecked", "rawtypes"})
    Map.Entry<String, String>[] entries = new Map.Entry[count];
    String rest = null;
    int n = 0;
    for (int i = 0; i < template.size(); i++) {
      PathTemplate.Segment s = template.get(i);
      if (s instanceof PathTemplate.Variable v) {
        entries[n++] = Map.entry(v.name(), segments[i]);
      } else if (s instanceof PathTemplate.Rest r) {
        // The canonical path is '/' + the segments joined by '/': the rest is a suffix of it.
        int offset = 1;
        for (int j = 0; j < i; j++) {
          offset += segments[j].length() + 1;
        }
        entries[n++] = Map.entry(r.name(), canonicalPath.substring(offset));
        rest = r.name();
      }
    }
    Map<String, String> variables = Map.ofEntries(entries);
    ResourceExpansion resource = route.resource().isPresent()
        ? route.resource().get().expand(variables, rest == null ? Set.of() : Set.of(rest))
        : ResourceExpansion.NONE;
    return new RouteMatch(route, variables, canonicalPath, resource);
  }

  /** One segment position: literal children, one child for any variable, and the routes ending or resting here. */
  private static final class Node {
    final Map<String, Node> literals = new HashMap<>();
    @Nullable Node variable;
    final Map<HttpMethod, Route> ending = new EnumMap<>(HttpMethod.class);
    /** Routes whose {@code {rest*}} starts at this position. */
    final Map<HttpMethod, Route> rest = new EnumMap<>(HttpMethod.class);
  }

  /** Adds routes one by one, refusing one that would match the same requests as an earlier one. */
  public static final class Builder {
    private final List<Route> routes = new ArrayList<>();
    private final Map<String, Route> byShape = new HashMap<>();
    private final Node root = new Node();
    private boolean built;

    private Builder() {}

    /** The earlier route that matches exactly the requests {@code route} would: same method, same shape. */
    public Optional<Route> conflictWith(Route route) {
      return Optional.ofNullable(byShape.get(key(route)));
    }

    /**
     * @throws KeywardException 400 when an earlier route matches the same requests
     */
    public Builder add(Route route) {
      if (built) {
        throw new IllegalStateException("already built");
      }
      Optional<Route> other = conflictWith(route);
      if (other.isPresent()) {
        throw KeywardException.invalidField("path", "The route " + describe(route)
            + " matches the same requests as " + describe(other.get()) + " (same method, same path up to variable names)");
      }
      byShape.put(key(route), route);
      routes.add(route);
      Node node = root;
      for (PathTemplate.Segment s : route.path().segments()) {
        switch (s) {
          case PathTemplate.Literal l -> node = node.literals.computeIfAbsent(l.text(), k -> new Node());
          case PathTemplate.Variable v -> {
            if (node.variable == null) {
              node.variable = new Node();
            }
            node = node.variable;
          }
          case PathTemplate.Rest r -> {
            node.rest.put(route.method(), route);
            return this;
          }
        }
      }
      node.ending.put(route.method(), route);
      return this;
    }

    public RouteTable build() {
      built = true;
      return new RouteTable(routes, root);
    }

    private static String describe(Route route) {
      return route.method() + " " + RouteText.quoted(route.path().text());
    }

    private static String key(Route route) {
      return route.method() + " " + route.path().shape();
    }
  }
}
