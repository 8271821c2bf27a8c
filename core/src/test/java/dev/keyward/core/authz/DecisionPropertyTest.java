package dev.keyward.core.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.keyward.core.key.ApiKeyFormat;
import dev.keyward.core.key.Environment;
import dev.keyward.core.key.KeyService;
import dev.keyward.core.principal.UserService;
import dev.keyward.core.secret.SecretGenerator;
import dev.keyward.core.testing.TestKeyward;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * FUZ-07 (decision part), seeded so that a failure replays: a request path, its canonical form
 * and a re-encoding of it get the same decision for the same credential, or the path is refused
 * ({@code BAD_PATH}); and a random garbage credential is never {@code VALID} (except on a public
 * route, which reads no credential). Half the paths come from the route table's own property test
 * (the same hostile pieces: {@code ..}, {@code %2F}, {@code ;}, bad escapes…), half follow the
 * table's templates with such pieces as variable values, so that routes are matched often.
 */
class DecisionPropertyTest {
  private static final long SEED = 20261124L;
  private static final int RUNS = 20_000;
  private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  private final TestKeyward k = TestKeyward.start();
  private final DecisionEngine engine = k.decisions(RouteCanonicalFormPropertyTest.TABLE);
  private final String valid;

  DecisionPropertyTest() {
    // Wide rights but not all of them, and resource patterns covering some resources only, so that
    // the decisions spread over VALID and FORBIDDEN as well as the route codes.
    k.roleService().create(k.owner(), "wide", List.of("admin:*", "keys:*", "algo:*", "data:*"), null);
    UserService.CreatedUser u = k.createUser("fuzz@example.com", "wide");
    KeyService.IssuedKey key = k.keyService().create(k.owner(), new KeyService.CreateKey("fuzz", u.member().user().id(), null,
        Environment.SANDBOX, false, null, new KeyAccess(ResourcePatterns.parse("resources", List.of("algo://acme/*", "data://*",
            "key://*")), DataAccess.NONE, false, Callers.NATIVE_ONLY, IpAllowlist.ANY, null, null)));
    valid = key.secret().reveal();
  }

  private Decision decide(List<String> authorization, String method, String path, boolean explain) {
    return engine.decide(new DecisionRequest(authorization, method, path, null, null, null, TestKeyward.IP, null, explain,
        TestKeyward.ISSUER));
  }

  @Test
  void decideWhenPathReencodedThenSameDecisionAsItsCanonicalFormOrBadPathAndGarbageNeverValid() {
    Random r = new Random(SEED);
    List<String> key = List.of("Bearer " + valid);
    Map<DecisionCode, Integer> codes = new EnumMap<>(DecisionCode.class);
    int garbageRefused = 0;
    int allowedWithKey = 0;
    for (int run = 0; run < RUNS; run++) {
      String raw = r.nextBoolean() ? RouteCanonicalFormPropertyTest.randomPath(r) : routedPath(r);
      String method = RouteCanonicalFormPropertyTest.METHODS[r.nextInt(RouteCanonicalFormPropertyTest.METHODS.length)];
      boolean explain = r.nextInt(4) == 0;
      Decision d = decide(key, method, raw, explain);
      codes.merge(d.code(), 1, Integer::sum);
      allowedWithKey += d.code() == DecisionCode.VALID && d.principal() != null ? 1 : 0;

      List<String> garbage = garbage(r);
      Decision g = decide(garbage, method, raw, false);
      assertThat(g.principal()).as("run %d: %s with %s", run, raw, garbage).isNull();
      if (g.code() == DecisionCode.VALID) {
        assertThat(g.message()).as("run %d: only a public route allows %s, on %s", run, garbage, raw).isEqualTo("Public route");
        assertThat(d.code()).isEqualTo(DecisionCode.VALID);
        assertThat(d.principal()).isNull();
      } else {
        garbageRefused++;
      }

      if (d.code() == DecisionCode.BAD_PATH) {
        assertThat(RouteCanonicalFormPropertyTest.TABLE.lookup(method, raw)).isInstanceOf(RouteLookup.Refused.class);
        continue;
      }
      String canonical = CanonicalPath.parse(raw).value();
      Decision again = decide(key, method, canonical, explain);
      if (!again.equals(d)) {
        fail("run %d (seed %d): %s %s decided %s but its canonical form %s decided %s", run, SEED, method, raw, d, canonical, again);
      }
      String other = RouteCanonicalFormPropertyTest.reencode(canonical, r);
      Decision encoded = decide(key, method, other, explain);
      if (!encoded.equals(d)) {
        fail("run %d (seed %d): %s %s decided %s but the equivalent %s decided %s", run, SEED, method, canonical, d, other, encoded);
      }
    }
    // The generators must reach every kind of answer, or the property says little.
    assertThat(codes.getOrDefault(DecisionCode.BAD_PATH, 0)).as("%s", codes).isGreaterThan(RUNS / 10);
    assertThat(allowedWithKey).as("allowed by the key's rights, not a public route: %s", codes).isGreaterThan(RUNS / 100);
    assertThat(codes.getOrDefault(DecisionCode.FORBIDDEN, 0)).as("%s", codes).isGreaterThan(RUNS / 100);
    assertThat(codes.getOrDefault(DecisionCode.ROUTE_NOT_FOUND, 0)).as("%s", codes).isGreaterThan(RUNS / 100);
    assertThat(codes.getOrDefault(DecisionCode.METHOD_NOT_ALLOWED, 0)).as("%s", codes).isGreaterThan(RUNS / 100);
    assertThat(garbageRefused).isGreaterThan(RUNS / 2);
  }

  /** Values for path variables: names that form resources, and pieces that must be refused or form none. */
  private static final String[] VALUES = {"acme", "globex", "resize", "x", "new", "keys", "k_1", "a.b", "~", "%61cme", "ac%6De",
      "%2e", "..", ".", "a%2Fb", "a;b", "*", "%2A", "a%25b", "%", "%C3%A9", "a b", "", "@", "a:b"};

  /** A path shaped like one of the table's routes, its variables filled with {@link #VALUES}. */
  private static String routedPath(Random r) {
    List<Route> routes = RouteCanonicalFormPropertyTest.ROUTES;
    Route route = routes.get(r.nextInt(routes.size()));
    StringBuilder sb = new StringBuilder();
    for (PathTemplate.Segment segment : route.path().segments()) {
      sb.append('/').append(switch (segment) {
        case PathTemplate.Literal l -> l.text();
        case PathTemplate.Variable v -> VALUES[r.nextInt(VALUES.length)];
        case PathTemplate.Rest rest -> VALUES[r.nextInt(VALUES.length)] + (r.nextBoolean() ? "/" + VALUES[r.nextInt(VALUES.length)] : "");
      });
    }
    String path = sb.length() == 0 ? "/" : sb.toString();
    return r.nextInt(10) == 0 ? path + "?q=" + VALUES[r.nextInt(VALUES.length)] : path;
  }

  /** A credential that is not the key: random text, unknown well-formed keys, the key altered, other schemes and forms. */
  private List<String> garbage(Random r) {
    return switch (r.nextInt(11)) {
      case 0 -> List.of(printable(r, r.nextInt(60)));
      case 1 -> List.of("Bearer " + base62(r, 1 + r.nextInt(70)));
      case 2 -> List.of("Bearer " + ApiKeyFormat.format(r.nextBoolean() ? Environment.SANDBOX : Environment.PRODUCTION,
          base62(r, SecretGenerator.SECRET_LENGTH)).reveal());
      case 3 -> List.of("Bearer " + mutated(r));
      case 4 -> List.of("Bearer " + (r.nextBoolean() ? valid.substring(0, r.nextInt(valid.length())) : valid + base62(r, 1 + r.nextInt(3))));
      case 5 -> List.of(basic(base62(r, 6) + "@example.com:" + printable(r, 12)));
      case 6 -> List.of(basic(valid + ":" + printable(r, 1 + r.nextInt(10))));
      case 7 -> List.of("Bearer " + valid + ", User " + base62(r, 20));
      case 8 -> List.of("Bearer eyJ" + base62(r, 30) + "." + base62(r, 40) + "." + base62(r, 43));
      case 9 -> List.of(switch (r.nextInt(5)) {
        case 0 -> "Token " + valid;
        case 1 -> "Bearer" + valid;
        case 2 -> "Bearer " + valid + " " + base62(r, 3);
        case 3 -> "Basic " + valid;
        default -> "Bearer " + valid.replace('_', '-');
      });
      default -> List.of("Bearer " + valid, printable(r, 20));
    };
  }

  /** The key with one character replaced by another. */
  private String mutated(Random r) {
    char[] c = valid.toCharArray();
    int i = r.nextInt(c.length);
    char replacement;
    do {
      replacement = BASE62.charAt(r.nextInt(BASE62.length()));
    } while (replacement == c[i]);
    c[i] = replacement;
    return new String(c);
  }

  private static String basic(String userAndPassword) {
    return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
  }

  private static String base62(Random r, int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append(BASE62.charAt(r.nextInt(BASE62.length())));
    }
    return sb.toString();
  }

  private static String printable(Random r, int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append((char) (0x20 + r.nextInt(0x5F)));
    }
    return sb.toString();
  }
}
