package dev.keyward.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.keyward.core.auth.Principal;
import dev.keyward.core.authz.Decision;
import dev.keyward.core.authz.DecisionCode;
import dev.keyward.core.authz.Permission;
import dev.keyward.filter.FilterIT.Keys;
import dev.keyward.server.testing.TestHttp;
import dev.keyward.server.testing.TestHttp.Auth;
import dev.keyward.server.testing.TestServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The two doors of the {@link Decider} against each other, on one real Keyward server (the
 * algorithm-hosting example routes): the same question through {@link Decider#remote} (the
 * verification API) and {@link Decider#local} (the server's own decision function, in process)
 * gets the same answer — code, message, caller, permission, resource, rate limit and quota — for
 * every code the decision function has.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DoorsIT {
  static final Path ROUTES = Path.of("..", "examples", "routes", "algorithms.yaml");

  /** How far two reset instants of one fixed window may differ (each call computes its own). */
  static final Duration RESET_JITTER = Duration.ofMillis(50);

  static TestServer keyward;
  static TestHttp http;
  static Decider remote;
  static Decider local;
  static final Set<DecisionCode> seen = EnumSet.noneOf(DecisionCode.class);

  @BeforeAll
  static void start() {
    keyward = TestServer.start(c -> c.withRoutes(ROUTES));
    http = keyward.http();
    remote = Decider.remote(URI.create(http.base()), Keys.verifier(keyward));
    // The server's own decision function; tokens name the address clients got them from.
    local = Decider.local(keyward.server().services().decisions(), http.base());
  }

  @AfterAll
  static void stop() {
    keyward.close();
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void everyDecisionCodeWasProducedThroughBothDoors() {
    assertThat(seen).isEqualTo(EnumSet.allOf(DecisionCode.class));
  }

  /** Asks both doors (remote first) and checks they agree; returns the shared decision. */
  static Decision both(Question q) {
    Verdict r = remote.decide(q);
    Verdict l = local.decide(q);
    assertThat(r).as("remote answer to %s", q).isInstanceOf(Verdict.Decided.class);
    assertThat(l).as("local answer to %s", q).isInstanceOf(Verdict.Decided.class);
    assertThat(comparable(r.decision())).as("%s", q).isEqualTo(comparable(l.decision()));
    if (r.decision().rateLimit() != null) {
      assertThat(r.decision().rateLimit().resetAt()).isCloseTo(l.decision().rateLimit().resetAt(), within(RESET_JITTER.toMillis(), ChronoUnit.MILLIS));
    }
    seen.add(r.decision().code());
    return r.decision();
  }

  static DecisionCode code(Question q) {
    return both(q).code();
  }

  /**
   * A decision as both doors can give it: the verification API does not tell admin keys apart
   * (they never reach a service behind the filter: the decision refuses them), and a rate limit's
   * reset instant is computed anew at each call (compared within {@link #RESET_JITTER}).
   */
  static Decision comparable(Decision d) {
    Principal p = d.principal();
    Principal wire = p == null ? null : new Principal(p.tenantId(), p.tenantSlug(), p.userId(), p.email(), p.roles(),
        p.credential(), p.keyId(), p.environment(), false);
    Decision.Limit l = d.rateLimit();
    Decision.Limit limit = l == null ? null : new Decision.Limit(l.limit(), l.remaining(), Instant.EPOCH);
    String message = d.message().replaceAll("retry after \\S+", "retry after <reset>");
    return new Decision(d.code(), message, wire, d.permission(), d.resource(), limit, d.quotaRemaining(), List.of());
  }

  static Question ask(String authorization, String method, String path) {
    return Question.of(List.of(authorization), method, path);
  }

  static String bearer(String key) {
    return "Bearer " + key;
  }

  static Keys.User user(String... roles) {
    return Keys.user(keyward, roles);
  }

  static String key(Keys.User owner, Map<String, ?> options) {
    return Keys.key(keyward, owner, options);
  }

  @Test
  void decideWhenValidThroughEveryCredentialFormThenSameCallerPermissionAndResource() {
    Keys.User consumer = user("consumer");
    String k = key(consumer, Map.of("resources", List.of("algo://acme/*")));
    Decision d = both(ask(bearer(k), "POST", "/v1/algo/acme/resize"));
    assertThat(d.code()).isEqualTo(DecisionCode.VALID);
    assertThat(d.principal().email()).isEqualTo(consumer.email());
    assertThat(d.permission()).isEqualTo(new Permission("algo", "invoke"));
    assertThat(d.resource()).isEqualTo("algo://acme/resize");
    String basicKey = "Basic " + Base64.getEncoder().encodeToString((k + ":").getBytes(StandardCharsets.UTF_8));
    assertThat(code(ask(basicKey, "GET", "/v1/algo"))).isEqualTo(DecisionCode.VALID);
    String basicPassword = "Basic " + Base64.getEncoder().encodeToString(
        (consumer.email() + ":" + consumer.password()).getBytes(StandardCharsets.UTF_8));
    assertThat(both(ask(basicPassword, "GET", "/v1/algo")).principal().credential()).isEqualTo(Principal.CredentialType.PASSWORD);
    TestHttp.Response token = http.post("/auth/api-key", Auth.NONE, Map.of("apiKey", k));
    assertThat(token.status()).as(token.body()).isEqualTo(200);
    Decision byToken = both(ask(bearer(token.text("access_token")), "GET", "/v1/algo"));
    assertThat(byToken.code()).isEqualTo(DecisionCode.VALID);
    assertThat(byToken.principal().credential()).isEqualTo(Principal.CredentialType.ACCESS_TOKEN);
    assertThat(code(ask(bearer(k), "HEAD", "/v1/algo/acme/resize"))).isEqualTo(DecisionCode.VALID);
    assertThat(both(Question.of(List.of(bearer(k)), "GET", "/ignored").withPermission(new Permission("algo", "invoke"))
        .withResource("algo://acme/x")).code()).isEqualTo(DecisionCode.VALID);
    assertThat(both(Question.of(List.of(), "GET", "/v1/status")).principal()).isNull();
  }

  @Test
  void decideWhenCredentialUnknownMalformedMissingExpiredRevokedOrLockedThenSameCode() throws Exception {
    Keys.User consumer = user("consumer");
    assertThat(code(ask(bearer("kw_live_" + "a".repeat(49)), "GET", "/v1/algo"))).isEqualTo(DecisionCode.NOT_FOUND);
    assertThat(code(ask("Bearer two words", "GET", "/v1/algo"))).isEqualTo(DecisionCode.NOT_FOUND);
    // What the verification API cannot carry as it is: none, several, one without a scheme.
    String k = key(consumer, Map.of());
    assertThat(code(Question.of(List.of(), "GET", "/v1/algo"))).isEqualTo(DecisionCode.NOT_FOUND);
    assertThat(code(Question.of(List.of(bearer(k), bearer(k)), "GET", "/v1/algo"))).isEqualTo(DecisionCode.NOT_FOUND);
    assertThat(code(Question.of(List.of(k), "GET", "/v1/algo"))).isEqualTo(DecisionCode.NOT_FOUND);

    Keys.NewKey revoked = Keys.newKey(keyward, consumer, Map.of());
    assertThat(http.post("/api/v1/keys/" + revoked.id() + "/revoke", consumer.auth(), Map.of()).status()).isEqualTo(200);
    assertThat(code(ask(bearer(revoked.key()), "GET", "/v1/algo"))).isEqualTo(DecisionCode.REVOKED);
    String expiring = key(consumer, Map.of("expiresAt", Instant.now().plusSeconds(1).toString()));
    Thread.sleep(1300);
    assertThat(code(ask(bearer(expiring), "GET", "/v1/algo"))).isEqualTo(DecisionCode.EXPIRED);

    TestHttp.Response person = http.post("/api/v1/users", keyward.owner(), Map.of("email", "p-" + java.util.UUID.randomUUID() + "@example.com",
        "name", "Person", "programmatic", false, "password", "pw-" + java.util.UUID.randomUUID(), "roles", List.of("consumer")));
    String email = person.text("email");
    for (int i = 0; i < 10; i++) {
      http.get("/api/v1/me", Auth.basic(email, "wrong password " + i));
    }
    String anyPassword = "Basic " + Base64.getEncoder().encodeToString((email + ":whatever").getBytes(StandardCharsets.UTF_8));
    assertThat(code(ask(anyPassword, "GET", "/v1/algo"))).isEqualTo(DecisionCode.LOCKED);
  }

  @Test
  void decideWhenLimitsOfTheKeyOrRouteRefuseThenSameCodeAndMessage() {
    Keys.User consumer = user("consumer");
    Keys.User developer = user("developer");
    String scoped = key(consumer, Map.of("resources", List.of("algo://acme/*")));
    Decision missing = both(ask(bearer(scoped), "PUT", "/v1/algo/acme/resize"));
    assertThat(missing.code()).isEqualTo(DecisionCode.FORBIDDEN);
    assertThat(missing.message()).contains("algo:manage");
    assertThat(code(ask(bearer(scoped), "POST", "/v1/algo/globex/resize"))).isEqualTo(DecisionCode.FORBIDDEN);
    assertThat(code(ask(bearer(Keys.key(keyward, developer, Map.of("resources", List.of("algo://*")))), "PUT", "/v1/algo/acme/x")))
        .isEqualTo(DecisionCode.FORBIDDEN);
    assertThat(code(ask(bearer(key(developer, Map.of("resources", List.of("algo://*"), "manageAlgorithms", true))),
        "POST", "/v1/algo/acme/resize/publish"))).isEqualTo(DecisionCode.ENVIRONMENT_DISABLED);
    assertThat(code(ask(bearer(key(user("account-holder"), Map.of())), "GET", "/v1/account"))).isEqualTo(DecisionCode.USER_REQUIRED);

    String nativeOnly = key(consumer, Map.of());
    assertThat(code(ask(bearer(nativeOnly), "GET", "/v1/algo").withOrigin("https://app.example.com")))
        .isEqualTo(DecisionCode.ORIGIN_NOT_ALLOWED);
    String browser = key(consumer, Map.of("callers", Map.of("native", false, "browser", true, "hostnames", List.of("app.example.com"))));
    assertThat(code(ask(bearer(browser), "GET", "/v1/algo").withOrigin("https://app.example.com"))).isEqualTo(DecisionCode.VALID);
    assertThat(code(ask(bearer(browser), "GET", "/v1/algo"))).isEqualTo(DecisionCode.NATIVE_NOT_ALLOWED);

    String fenced = key(consumer, Map.of("ipAllowlist", List.of("10.0.0.0/8")));
    assertThat(code(ask(bearer(fenced), "GET", "/v1/algo").withIp("10.1.2.3"))).isEqualTo(DecisionCode.VALID);
    assertThat(code(ask(bearer(fenced), "GET", "/v1/algo").withIp("192.0.2.1"))).isEqualTo(DecisionCode.IP_NOT_ALLOWED);
    assertThat(code(ask(bearer(fenced), "GET", "/v1/algo"))).isEqualTo(DecisionCode.IP_NOT_ALLOWED);

    String admin = adminKey();
    Decision adminRefused = both(ask(bearer(admin), "GET", "/v1/algo"));
    assertThat(adminRefused.code()).isEqualTo(DecisionCode.FORBIDDEN);
    assertThat(adminRefused.message()).contains("Admin keys");

    assertThat(code(ask(bearer(nativeOnly), "GET", "/v2/unknown"))).isEqualTo(DecisionCode.ROUTE_NOT_FOUND);
    assertThat(code(ask(bearer(nativeOnly), "PATCH", "/v1/algo"))).isEqualTo(DecisionCode.METHOD_NOT_ALLOWED);
    for (String bad : List.of("/v1/algo/../admin", "/v1//algo", "/v1/algo/%2e%2e/x", "/v1/algo;x=1")) {
      assertThat(code(ask(bearer(nativeOnly), "GET", bad))).as(bad).isEqualTo(DecisionCode.BAD_PATH);
    }
  }

  static String adminKey() {
    TestHttp.Response r = http.post("/api/v1/keys", keyward.owner(),
        Map.of("name", "admin-" + java.util.UUID.randomUUID(), "admin", true, "environment", "production"));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.text("key");
  }

  @Test
  void decideWhenRateLimitAndQuotaCountedThenBothDoorsShareOneCounter() {
    Keys.User consumer = user("consumer");
    // Each door consumes: the doors alternate on one key and see one sequence.
    String limited = key(consumer, Map.of("rateLimit", Map.of("limit", 3, "periodSeconds", 60)));
    List<Verdict> answers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      answers.add((i % 2 == 0 ? remote : local).decide(ask(bearer(limited), "GET", "/v1/algo")));
    }
    assertThat(answers.stream().map(v -> v.decision().code()).toList())
        .containsExactly(DecisionCode.VALID, DecisionCode.VALID, DecisionCode.VALID, DecisionCode.RATE_LIMITED);
    assertThat(answers.stream().map(v -> v.decision().rateLimit().remaining()).toList()).containsExactly(2L, 1L, 0L, 0L);
    Instant reset = answers.get(0).decision().rateLimit().resetAt();
    assertThat(answers).allSatisfy(v -> assertThat(v.decision().rateLimit().resetAt()).isCloseTo(reset, within(RESET_JITTER.toMillis(), ChronoUnit.MILLIS)));
    // Refused now, through both doors alike.
    assertThat(code(ask(bearer(limited), "GET", "/v1/algo"))).isEqualTo(DecisionCode.RATE_LIMITED);

    String quota = key(consumer, Map.of("quota", 2));
    assertThat(remote.decide(ask(bearer(quota), "GET", "/v1/algo")).decision().quotaRemaining()).isEqualTo(1L);
    assertThat(local.decide(ask(bearer(quota), "GET", "/v1/algo")).decision().quotaRemaining()).isZero();
    assertThat(code(ask(bearer(quota), "GET", "/v1/algo"))).isEqualTo(DecisionCode.QUOTA_EXCEEDED);
  }

  @Test
  void decideWhenTheStoreIsGoneThenBothDoorsFailClosed() {
    TestServer doomed = TestServer.start(c -> c.withRoutes(ROUTES));
    Decider doomedRemote = RemoteDecider.builder(URI.create(doomed.http().base()), Keys.verifier(doomed))
        .timeout(Duration.ofSeconds(2)).build();
    Decider doomedLocal = Decider.local(doomed.server().services().decisions(), doomed.http().base());
    String neverSeen = Keys.user(doomed, "consumer").defaultKey();
    doomed.close();
    Question q = ask(bearer(neverSeen), "GET", "/v1/algo");
    assertThat(doomedRemote.decide(q)).isInstanceOf(Verdict.Unavailable.class);
    Verdict l = doomedLocal.decide(q);
    assertThat(l.allowed()).isFalse();
    assertThat(l.status()).isEqualTo(503);
  }
}
