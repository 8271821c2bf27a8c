package dev.keyward.core.authz;

import static dev.keyward.core.authz.HttpMethod.DELETE;
import static dev.keyward.core.authz.HttpMethod.GET;
import static dev.keyward.core.authz.HttpMethod.POST;
import static dev.keyward.core.authz.HttpMethod.PUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * FUZ-07 (route part), seeded so that a failure replays: a path and its canonical form always
 * get the same answer from the table, or the path is refused; encodings of one canonical path
 * all decide the same; and the tree matcher agrees with a plain reference matcher.
 */
class RouteCanonicalFormPropertyTest {
  private static final long SEED = 20261123L;
  private static final int RUNS = 60_000;

  static final List<Route> ROUTES = List.of(
      Route.requiring(GET, "/admin", "admin:read"),
      Route.requiring(GET, "/admin/keys", "keys:read"),
      Route.requiring(DELETE, "/admin/keys/{id}", "keys:delete").withResource("key://{id}"),
      Route.requiring(GET, "/keys", "keys:list"),
      Route.requiring(GET, "/v1/algo/new", "algo:new"),
      Route.requiring(GET, "/v1/algo/{owner}", "algo:list"),
      Route.requiring(POST, "/v1/algo/{owner}", "algo:create"),
      Route.requiring(GET, "/v1/algo/{owner}/{name}", "algo:read").withResource("algo://{owner}/{name}"),
      Route.requiring(POST, "/v1/algo/{owner}/{name}", "algo:invoke").withResource("algo://{owner}/{name}"),
      Route.requiring(GET, "/v1/algo/{owner}/new", "algo:owner-new"),
      Route.requiring(GET, "/v1/data/{rest*}", "data:read").withResource("data://{rest}"),
      Route.requiring(PUT, "/v1/data/{rest*}", "data:write").withResource("data://{rest}"),
      Route.requiring(GET, "/v1/data/keys", "data:keys"),
      Route.requiring(GET, "/{any}/keys", "any:keys"),
      Route.requiring(GET, "/{a}/{b}/{c}", "abc:read"),
      Route.open(GET, "/"));
  static final RouteTable TABLE = RouteTable.of(ROUTES);

  /** Pieces of segments, hostile ones included. */
  private static final String[] PIECES = {
      "admin", "keys", "v1", "algo", "data", "new", "acme", "x", "A", "ADMIN", "Keys", "~", "-", "_", ".", "..", "...",
      "%2e", "%2E", "%2f", "%2F", "%5c", "%5C", ";", ";x=1", "%3B", "%00", "%0a", "%41", "%61", "%6B", "%7e", "%7E", "%25",
      "%252e", "%", "%Z", "%zz", "%4", "\\", "\u00e9", "%C3%A9", "*", "%2A", ":", "@", "!", "$", "'", "(", "=", "+", ",",
      " ", "%20", "?", "#", "json", ".json", "{x}", ""};

  static String randomPath(Random r) {
    StringBuilder sb = new StringBuilder();
    int segments = r.nextInt(6);
    for (int s = 0; s < segments; s++) {
      sb.append(r.nextInt(25) == 0 ? "//" : "/");
      int pieces = 1 + r.nextInt(r.nextInt(4) == 0 ? 3 : 1);
      for (int p = 0; p < pieces; p++) {
        sb.append(PIECES[r.nextInt(PIECES.length)]);
      }
    }
    if (sb.length() == 0 || r.nextInt(15) == 0) {
      sb.append('/');
    }
    if (r.nextInt(8) == 0) {
      sb.append('?').append(PIECES[r.nextInt(PIECES.length)]).append("/../");
    }
    return sb.toString();
  }

  /** The same path written another way: unreserved characters percent-encoded, escapes' hex case flipped. */
  static String reencode(String canonical, Random r) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < canonical.length(); i++) {
      char c = canonical.charAt(i);
      if (c == '%') {
        String hex = canonical.substring(i + 1, i + 3);
        sb.append('%').append(r.nextBoolean() ? hex.toLowerCase(Locale.ROOT) : hex);
        i += 2;
      } else if ((Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0) && r.nextInt(3) == 0) {
        String hex = String.format(Locale.ROOT, "%02X", (int) c);
        sb.append('%').append(r.nextBoolean() ? hex.toLowerCase(Locale.ROOT) : hex);
      } else {
        sb.append(c);
      }
    }
    if (r.nextInt(4) == 0) {
      sb.append("?q=").append(r.nextInt(100));
    }
    return sb.toString();
  }

  static final String[] METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "get"};

  @Test
  void lookupWhenPathAndItsCanonicalFormThenSameAnswerOrRefused() {
    Random r = new Random(SEED);
    int refused = 0;
    int found = 0;
    for (int run = 0; run < RUNS; run++) {
      String raw = randomPath(r);
      String method = METHODS[r.nextInt(METHODS.length)];
      RouteLookup answer = TABLE.lookup(method, raw);
      if (answer instanceof RouteLookup.Refused) {
        refused++;
        assertThat(TABLE.match(method, raw)).isEmpty();
        continue;
      }
      String canonical = canonicalOf(answer);
      assertThat(CanonicalPath.parse(canonical).value()).as("canonical form is a fixed point: %s", raw).isEqualTo(canonical);
      assertNoAmbiguity(raw, canonical);
      RouteLookup again = TABLE.lookup(method, canonical);
      if (!again.equals(answer)) {
        fail("run %d (seed %d): %s %s answered %s but its canonical form %s answered %s", run, SEED, method, raw, answer, canonical, again);
      }
      String other = reencode(canonical, r);
      RouteLookup encoded = TABLE.lookup(method, other);
      if (!encoded.equals(answer)) {
        fail("run %d (seed %d): %s %s answered %s but the equivalent %s answered %s", run, SEED, method, canonical, answer, other, encoded);
      }
      if (answer instanceof RouteLookup.Found) {
        found++;
      }
    }
    // The generator must exercise both sides, or the property says nothing.
    assertThat(refused).isGreaterThan(RUNS / 10);
    assertThat(found).isGreaterThan(RUNS / 50);
  }

  private static String canonicalOf(RouteLookup answer) {
    return switch (answer) {
      case RouteLookup.Found f -> f.match().canonicalPath();
      case RouteLookup.NotFound n -> n.canonicalPath();
      case RouteLookup.MethodNotAllowed m -> m.canonicalPath();
      case RouteLookup.Refused x -> throw new AssertionError("refused");
    };
  }

  /** What a canonical path may never hold, whatever the raw path was. */
  private static void assertNoAmbiguity(String raw, String canonical) {
    String decodedUnreserved = canonical;
    assertThat(decodedUnreserved).as(raw).doesNotContain("//", ";", "\\").doesNotContainIgnoringCase("%2F").doesNotContainIgnoringCase("%5C")
        .doesNotContain("%00").doesNotContainIgnoringCase("%2E").doesNotContain("%41");
    for (String seg : CanonicalPath.parse(canonical).segments()) {
      assertThat(seg).as(raw).isNotIn(".", "..", "");
    }
    assertThat(canonical.equals("/") || !canonical.endsWith("/")).as(raw).isTrue();
    assertThat(canonical.chars().allMatch(c -> c > 0x20 && c < 0x7F)).as(raw).isTrue();
  }

  @Test
  void lookupWhenRandomCanonicalPathsThenTreeAgreesWithReferenceMatcher() {
    Random r = new Random(SEED + 1);
    String[] words = {"admin", "keys", "v1", "algo", "data", "new", "acme", "x"};
    for (int run = 0; run < RUNS; run++) {
      int n = r.nextInt(6);
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < n; i++) {
        sb.append('/').append(words[r.nextInt(words.length)]);
      }
      String path = sb.length() == 0 ? "/" : sb.toString();
      List<String> segments = CanonicalPath.parse(path).segments();
      for (HttpMethod m : HttpMethod.values()) {
        Optional<Route> expected = reference(m, segments);
        Optional<Route> actual = TABLE.match(m.name(), path).map(RouteMatch::route);
        if (!expected.equals(actual)) {
          fail("%s %s: reference %s, table %s", m, path, expected, actual);
        }
        if (expected.isEmpty()) {
          Set<HttpMethod> allowed = EnumSet.noneOf(HttpMethod.class);
          for (Route route : ROUTES) {
            if (fits(route, segments)) {
              allowed.add(route.method());
            }
          }
          RouteLookup l = TABLE.lookup(m.name(), path);
          if (allowed.isEmpty()) {
            assertThat(l).as(path).isInstanceOf(RouteLookup.NotFound.class);
          } else {
            assertThat(l).as(path).isEqualTo(new RouteLookup.MethodNotAllowed(path, allowed));
          }
        }
      }
    }
  }

  /** Every route that fits, then the most specific by the documented rule: leftmost difference, literal > variable > rest. */
  private static Optional<Route> reference(HttpMethod method, List<String> segments) {
    List<Route> fitting = new ArrayList<>();
    for (Route route : ROUTES) {
      if (route.method() == method && fits(route, segments)) {
        fitting.add(route);
      }
    }
    return fitting.stream().max(RouteCanonicalFormPropertyTest::bySpecificity);
  }

  private static boolean fits(Route route, List<String> segments) {
    List<PathTemplate.Segment> t = route.path().segments();
    for (int i = 0; i < t.size(); i++) {
      PathTemplate.Segment s = t.get(i);
      if (s instanceof PathTemplate.Rest) {
        return segments.size() > i;
      }
      if (i >= segments.size() || (s instanceof PathTemplate.Literal l && !l.text().equals(segments.get(i)))) {
        return false;
      }
    }
    return t.size() == segments.size();
  }

  private static int bySpecificity(Route a, Route b) {
    List<PathTemplate.Segment> x = a.path().segments();
    List<PathTemplate.Segment> y = b.path().segments();
    for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
      int c = Integer.compare(rank(x.get(i)), rank(y.get(i)));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  private static int rank(PathTemplate.Segment s) {
    return switch (s) {
      case PathTemplate.Literal l -> 2;
      case PathTemplate.Variable v -> 1;
      case PathTemplate.Rest r -> 0;
    };
  }
}
