package dev.keyward.core.authz;

import static dev.keyward.core.authz.HttpMethod.DELETE;
import static dev.keyward.core.authz.HttpMethod.GET;
import static dev.keyward.core.authz.HttpMethod.PATCH;
import static dev.keyward.core.authz.HttpMethod.POST;
import static dev.keyward.core.authz.HttpMethod.PUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.core.error.ErrorCode;
import dev.keyward.core.error.KeywardException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RouteTableTest {
  private static final Route ADMIN = Route.requiring(GET, "/admin", "admin:read");
  private static final Route ADMIN_KEYS = Route.requiring(GET, "/admin/keys", "keys:read");
  private static final Route KEYS = Route.requiring(GET, "/keys", "keys:list");
  private static final Route ALGO_NEW = Route.requiring(GET, "/v1/algo/new", "algo:list-new");
  private static final Route ALGO_OWNER = Route.requiring(GET, "/v1/algo/{owner}", "algo:list");
  private static final Route ALGO_INVOKE = Route.requiring(POST, "/v1/algo/{owner}/{name}", "algo:invoke").withResource("algo://{owner}/{name}");
  private static final Route ALGO_READ = Route.requiring(GET, "/v1/algo/{owner}/{name}", "algo:read").withResource("algo://{owner}/{name}");
  private static final Route DATA_READ = Route.requiring(GET, "/v1/data/{rest*}", "data:read").withResource("data://{rest}").withData(DataAccess.READ);
  private static final Route DATA_ONE = Route.requiring(GET, "/v1/data/{bucket}", "data:list");
  private static final Route STATUS = Route.open(GET, "/");

  private static final RouteTable TABLE = RouteTable.of(List.of(
      ADMIN, ADMIN_KEYS, KEYS, ALGO_NEW, ALGO_OWNER, ALGO_INVOKE, ALGO_READ, DATA_READ, DATA_ONE, STATUS));

  private static Route routeOf(String method, String path) {
    return TABLE.match(method, path).orElseThrow(() -> new AssertionError("no match for " + method + " " + path)).route();
  }

  @Test
  void matchWhenExactLiteralPathThenThatRoute() {
    assertThat(routeOf("GET", "/admin")).isEqualTo(ADMIN);
    assertThat(routeOf("GET", "/admin/keys")).isEqualTo(ADMIN_KEYS);
    assertThat(routeOf("GET", "/")).isEqualTo(STATUS);
  }

  @Test
  void matchWhenVariablesThenCapturedAndResourceFormed() {
    RouteMatch m = TABLE.match("POST", "/v1/algo/acme/resize?version=2").orElseThrow();
    assertThat(m.route()).isEqualTo(ALGO_INVOKE);
    assertThat(m.variables()).isEqualTo(Map.of("owner", "acme", "name", "resize"));
    assertThat(m.canonicalPath()).isEqualTo("/v1/algo/acme/resize");
    assertThat(m.resource()).isEqualTo(new ResourceExpansion.Formed("algo://acme/resize"));
  }

  @Test
  void matchWhenRouteNamesNoResourceThenNone() {
    assertThat(TABLE.match("GET", "/admin").orElseThrow().resource()).isEqualTo(ResourceExpansion.NONE);
  }

  @Test
  void matchWhenLiteralAndVariableBothFitThenLiteralWins() {
    assertThat(routeOf("GET", "/v1/algo/new")).isEqualTo(ALGO_NEW);
    assertThat(routeOf("GET", "/v1/algo/acme")).isEqualTo(ALGO_OWNER);
    assertThat(TABLE.match("GET", "/v1/algo/acme").orElseThrow().variables()).containsEntry("owner", "acme");
  }

  @Test
  void matchWhenVariableAndRestBothFitThenVariableWins() {
    assertThat(routeOf("GET", "/v1/data/bucket1")).isEqualTo(DATA_ONE);
    RouteMatch deep = TABLE.match("GET", "/v1/data/bucket1/2024/report.csv").orElseThrow();
    assertThat(deep.route()).isEqualTo(DATA_READ);
    assertThat(deep.variables()).containsEntry("rest", "bucket1/2024/report.csv");
    assertThat(deep.resource()).isEqualTo(new ResourceExpansion.Formed("data://bucket1/2024/report.csv"));
  }

  @Test
  void matchWhenRestWouldBeEmptyThenNoMatch() {
    assertThat(TABLE.lookup("GET", "/v1/data")).isInstanceOf(RouteLookup.NotFound.class);
  }

  @Test
  void matchWhenLeftmostDifferenceIsLiteralThenItWinsOverLaterLiterals() {
    Route leftLiteral = Route.requiring(GET, "/a/{x}/c", "p:left");
    Route rightLiteral = Route.requiring(GET, "/{y}/b/c", "p:right");
    RouteTable t = RouteTable.of(List.of(rightLiteral, leftLiteral));
    assertThat(t.match("GET", "/a/b/c").orElseThrow().route()).isEqualTo(leftLiteral);
    assertThat(t.match("GET", "/z/b/c").orElseThrow().route()).isEqualTo(rightLiteral);
  }

  @Test
  void matchWhenLiteralBranchHasNoRouteForTheMethodThenBacktracksToVariable() {
    // POST /v1/algo/new has no route of its own: the literal 'new' does not hide POST /v1/algo/{owner}.
    Route publish = Route.requiring(POST, "/v1/algo/{owner}", "algo:publish");
    RouteTable t = RouteTable.of(List.of(ALGO_NEW, publish));
    assertThat(t.match("POST", "/v1/algo/new").orElseThrow().route()).isEqualTo(publish);
    assertThat(t.match("GET", "/v1/algo/new").orElseThrow().route()).isEqualTo(ALGO_NEW);
    // A dead end deeper in the literal branch also falls back.
    Route deep = Route.requiring(GET, "/v1/algo/new/{x}/y", "p:deep");
    Route wide = Route.requiring(GET, "/v1/algo/{o}/{n}/z", "p:wide");
    RouteTable t2 = RouteTable.of(List.of(deep, wide));
    assertThat(t2.match("GET", "/v1/algo/new/q/z").orElseThrow().route()).isEqualTo(wide);
    assertThat(t2.match("GET", "/v1/algo/new/q/y").orElseThrow().route()).isEqualTo(deep);
  }

  @Test
  void lookupWhenHeadThenDecidedAsGet() {
    RouteLookup l = TABLE.lookup("HEAD", "/v1/algo/acme/resize");
    assertThat(l).isInstanceOfSatisfying(RouteLookup.Found.class, f -> assertThat(f.match().route()).isEqualTo(ALGO_READ));
  }

  @Test
  void lookupWhenPathKnownButMethodNotThenMethodNotAllowedWithAllow() {
    RouteLookup l = TABLE.lookup("DELETE", "/v1/algo/acme/resize");
    assertThat(l).isInstanceOfSatisfying(RouteLookup.MethodNotAllowed.class, m -> {
      assertThat(m.allowed()).containsExactlyInAnyOrder(GET, POST);
      assertThat(m.allowHeader()).isEqualTo("GET, HEAD, POST");
      assertThat(m.canonicalPath()).isEqualTo("/v1/algo/acme/resize");
      assertThat(m.toException().code()).isEqualTo(ErrorCode.METHOD_NOT_ALLOWED);
    });
    assertThat(TABLE.match("DELETE", "/v1/algo/acme/resize")).isEmpty();
  }

  @Test
  void lookupWhenAllowedMethodsComeFromSeveralTemplatesThenUnion() {
    // /v1/data/x fits {bucket} (GET) and {rest*} (GET); add a PUT on rest and a PATCH on a literal.
    RouteTable t = RouteTable.of(List.of(DATA_ONE, DATA_READ,
        Route.requiring(PUT, "/v1/data/{rest*}", "data:write"), Route.requiring(PATCH, "/v1/data/x", "data:patch")));
    assertThat(t.lookup("DELETE", "/v1/data/x"))
        .isInstanceOfSatisfying(RouteLookup.MethodNotAllowed.class, m -> assertThat(m.allowed()).containsExactlyInAnyOrder(GET, PUT, PATCH));
    assertThat(t.lookup("DELETE", "/v1/data/y"))
        .isInstanceOfSatisfying(RouteLookup.MethodNotAllowed.class, m -> assertThat(m.allowHeader()).isEqualTo("GET, HEAD, PUT"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"OPTIONS", "TRACE", "CONNECT", "get", "Get", "FOO", ""})
  void lookupWhenOptionsOrUnknownMethodOnKnownPathThenNeverRouted(String method) {
    assertThat(TABLE.lookup(method, "/admin")).isInstanceOfSatisfying(RouteLookup.MethodNotAllowed.class,
        m -> assertThat(m.allowHeader()).isEqualTo("GET, HEAD"));
  }

  @Test
  void lookupWhenUnknownPathThenNotFound() {
    assertThat(TABLE.lookup("GET", "/nothing/here")).isInstanceOfSatisfying(RouteLookup.NotFound.class, n -> {
      assertThat(n.canonicalPath()).isEqualTo("/nothing/here");
      assertThat(n.toException().code()).isEqualTo(ErrorCode.NOT_FOUND);
    });
    assertThat(TABLE.lookup("OPTIONS", "/nothing")).isInstanceOf(RouteLookup.NotFound.class);
    assertThat(RouteTable.EMPTY.lookup("GET", "/admin")).isInstanceOf(RouteLookup.NotFound.class);
  }

  /** BAD-43: every variant is either the canonical decision or refused; none reaches another route. */
  @Test
  void lookupWhenBad43VariantsThenCanonicalDecisionOrRefused() {
    assertRefused("GET", "//admin");
    assertRefused("GET", "/admin/../keys");
    assertRefused("GET", "/admin/%2e%2e/keys");
    assertRefused("GET", "/admin/%2E%2e/keys");
    assertRefused("GET", "/admin%2Fkeys");
    assertRefused("GET", "/admin%2fkeys");
    assertRefused("GET", "/admin;x=1");
    assertRefused("GET", "/admin;x=1/keys");
    assertRefused("GET", "/admin/");
    assertRefused("GET", "/admin/keys/");
    assertRefused("GET", "/admin/./keys");
    assertRefused("GET", "/admin\\keys");
    assertRefused("GET", "/v1/algo/acme/resize%00");
    // Case-sensitive literals, '.json' is another path.
    assertThat(TABLE.lookup("GET", "/ADMIN")).isInstanceOf(RouteLookup.NotFound.class);
    assertThat(TABLE.lookup("GET", "/Admin/keys")).isInstanceOf(RouteLookup.NotFound.class);
    assertThat(TABLE.lookup("GET", "/admin.json")).isInstanceOf(RouteLookup.NotFound.class);
    assertThat(TABLE.lookup("GET", "/admin/keys.json")).isInstanceOf(RouteLookup.NotFound.class);
    // Encoded unreserved characters are the same path, and decide the same.
    assertThat(routeOf("GET", "/%61dmin/%6Beys")).isEqualTo(ADMIN_KEYS);
    assertThat(routeOf("GET", "/admin?/../keys")).isEqualTo(ADMIN);
  }

  private static void assertRefused(String method, String path) {
    assertThat(TABLE.lookup(method, path)).as(path).isInstanceOfSatisfying(RouteLookup.Refused.class, r -> {
      assertThat(r.message()).startsWith("The path is refused: ");
      assertThat(r.toException().code()).isEqualTo(ErrorCode.INVALID_REQUEST);
      assertThat(r.toException().field()).isEqualTo("path");
    });
    assertThat(TABLE.match(method, path)).as(path).isEmpty();
  }

  @Test
  void matchWhenVariableValueIsHostileThenNoResourceFormed() {
    // Values that reach a variable in canonical form but would change the resource's structure.
    for (String path : List.of("/v1/algo/acme/a%2Ab", "/v1/algo/acme/*", "/v1/algo/a..b/x", "/v1/algo/acme/a%20b",
        "/v1/algo/acme/%25", "/v1/algo/acme/x%3F")) {
      RouteMatch m = TABLE.match("POST", path).orElseThrow(() -> new AssertionError(path));
      assertThat(m.resource()).as(path).isInstanceOf(ResourceExpansion.Unformable.class);
    }
    RouteMatch rest = TABLE.match("GET", "/v1/data/a/b%2A/c").orElseThrow();
    assertThat(rest.resource()).isInstanceOfSatisfying(ResourceExpansion.Unformable.class, u -> assertThat(u.variable()).isEqualTo("rest"));
    // '..' and '/' never reach a variable: the path is refused first.
    assertRefused("POST", "/v1/algo/acme/..");
    assertRefused("POST", "/v1/algo/acme%2Fevil/x");
  }

  @Test
  void matchWhenVariableValueHasSubDelimsThenKeptAndFormed() {
    RouteMatch m = TABLE.match("POST", "/v1/algo/acme/a:b@c!").orElseThrow();
    assertThat(m.resource()).isEqualTo(new ResourceExpansion.Formed("algo://acme/a:b@c!"));
  }

  @Test
  void ofWhenSameMethodAndShapeThenRefusedNamingBoth() {
    Route a = Route.requiring(GET, "/v1/algo/{owner}", "algo:list");
    Route b = Route.requiring(GET, "/v1/algo/{name}", "algo:read");
    assertThatThrownBy(() -> RouteTable.of(List.of(a, b)))
        .isInstanceOfSatisfying(KeywardException.class, e -> assertThat(e.publicMessage())
            .contains("GET '/v1/algo/{name}'").contains("matches the same requests as").contains("GET '/v1/algo/{owner}'"));
    assertThatThrownBy(() -> RouteTable.of(List.of(DATA_READ, Route.requiring(GET, "/v1/data/{x*}", "data:other"))))
        .isInstanceOf(KeywardException.class);
    assertThatThrownBy(() -> RouteTable.of(List.of(ADMIN, ADMIN))).isInstanceOf(KeywardException.class);
  }

  @Test
  void ofWhenSameShapeDifferentMethodOrOverlappingShapesThenAccepted() {
    RouteTable t = RouteTable.of(List.of(ALGO_READ, ALGO_INVOKE, Route.requiring(GET, "/v1/algo/{o}/{n}/{v}", "algo:read"),
        Route.requiring(GET, "/v1/algo/x/{n}", "algo:x"), Route.requiring(GET, "/v1/algo/{o}/y", "algo:y")));
    assertThat(t.size()).isEqualTo(5);
    assertThat(t.routes()).startsWith(ALGO_READ, ALGO_INVOKE);
    assertThat(t.match("GET", "/v1/algo/x/y").orElseThrow().route().permission()).contains(new Permission("algo", "x"));
  }

  @Test
  void builderWhenConflictCheckedFirstThenNamesTheEarlierRoute() {
    RouteTable.Builder b = RouteTable.builder().add(ALGO_OWNER);
    assertThat(b.conflictWith(Route.requiring(GET, "/v1/algo/{x}", "a:b"))).contains(ALGO_OWNER);
    assertThat(b.conflictWith(Route.requiring(DELETE, "/v1/algo/{x}", "a:b"))).isEmpty();
    RouteTable t = b.build();
    assertThatThrownBy(() -> b.add(ADMIN)).isInstanceOf(IllegalStateException.class);
    assertThat(t.routes()).containsExactly(ALGO_OWNER);
  }

  @Test
  void matchWhenPathMuchDeeperThanAnyRouteThenNotFoundQuickly() {
    String deep = "/v1" + "/algo".repeat(400);
    assertThat(TABLE.lookup("GET", deep)).isInstanceOf(RouteLookup.NotFound.class);
    assertThat(Set.of(TABLE.lookup("GET", deep + "/")).iterator().next()).isInstanceOf(RouteLookup.Refused.class);
  }

  @Test
  void unusedGrantsWhenNoRouteRequiresTheGrantThenNamedAndKeywardsOwnNever() {
    RouteTable t = RouteTable.of(List.of(ADMIN, KEYS, Route.open(GET, "/status")));
    List<Permission> grants = List.of(Permission.parseGrant("g", "admin:read"), Permission.parseGrant("g", "keys:*"),
        Permission.parseGrant("g", "*:read"), Permission.parseGrant("g", "admn:read"), Permission.parseGrant("g", "algo:*"),
        Permission.VERIFY, Permission.MANAGE_OWN_KEYS, Permission.ALL);
    assertThat(t.unusedGrants(grants)).extracting(Permission::toString).containsExactly("admn:read", "algo:*");
    assertThat(RouteTable.EMPTY.unusedGrants(grants)).as("no table: nothing to compare with").isEmpty();
    assertThat(RouteTable.of(List.of(Route.open(GET, "/status"))).unusedGrants(grants)).as("public routes only").isEmpty();
  }
}
