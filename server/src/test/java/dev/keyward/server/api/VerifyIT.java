package dev.keyward.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyward.server.api.Fixtures.NewKey;
import dev.keyward.server.api.Fixtures.NewUser;
import dev.keyward.server.testing.TestHttp;
import dev.keyward.server.testing.TestHttp.Auth;
import dev.keyward.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/v1/verify}: every decision code produced through the verification API, with
 * the algorithm-hosting example routes (so the example file is exercised end to end).
 */
class VerifyIT {
  static final Path ROUTES = Path.of("..", "examples", "routes", "algorithms.yaml");

  static TestServer server;
  static TestHttp http;
  static Auth verifier;

  @BeforeAll
  static void start() {
    server = TestServer.start(c -> c.withRoutes(ROUTES));
    http = server.http();
    assertThat(http.post("/api/v1/roles", server.owner(), Map.of("name", "verifier", "permissions", List.of("keyward:verify")))
        .status()).isEqualTo(201);
    verifier = Fixtures.programmatic(http, server.owner(), "verifier").key();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static JsonNode verify(String credential, String method, String path, String... more) {
    return decide("/api/v1/verify", credential, method, path, more);
  }

  static JsonNode decide(String endpoint, String credential, String method, String path, String... more) {
    Map<String, Object> body = new HashMap<>(Map.of("credential", credential, "method", method, "path", path));
    for (int i = 0; i < more.length; i += 2) {
      body.put(more[i], more[i + 1]);
    }
    TestHttp.Response r = http.post(endpoint, verifier, body);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  static void assertCode(JsonNode decision, String code) {
    assertThat(decision.path("code").asText()).as(decision.toString()).isEqualTo(code);
    assertThat(decision.path("valid").asBoolean()).as(decision.toString()).isEqualTo(code.equals("VALID"));
  }

  static NewKey key(NewUser owner, Map<String, ?> options) {
    Map<String, Object> body = new HashMap<>(options);
    body.putIfAbsent("name", "k-" + java.util.UUID.randomUUID());
    return Fixtures.key(http, owner.basic(), body);
  }

  static NewUser consumer() {
    return Fixtures.programmatic(http, server.owner(), "consumer");
  }

  static NewUser developer() {
    return Fixtures.programmatic(http, server.owner(), "developer");
  }

  @Test
  void validWhenRolePermissionAndResourcePatternCoverTheCallThenPrincipalPermissionAndResource() {
    NewUser user = consumer();
    NewKey k = key(user, Map.of("resources", List.of("algo://acme/*")));
    JsonNode d = verify(k.key(), "POST", "/v1/algo/acme/resize");
    assertCode(d, "VALID");
    assertThat(d.path("permission").asText()).isEqualTo("algo:invoke");
    assertThat(d.path("resource").asText()).isEqualTo("algo://acme/resize");
    assertThat(d.path("principal").path("email").asText()).isEqualTo(user.email());
    assertThat(d.path("principal").path("keyId").asText()).isEqualTo(k.id());
    assertThat(d.path("principal").path("roles").toString()).isEqualTo("[\"consumer\"]");
    assertThat(d.path("principal").path("credential").asText()).isEqualTo("api_key");
    assertCode(verify("Bearer " + k.key(), "POST", "/v1/algo/acme/resize"), "VALID");
    assertCode(verify("Basic " + java.util.Base64.getEncoder().encodeToString((k.key() + ":").getBytes()), "GET", "/v1/algo"), "VALID");
    assertCode(verify(k.key(), "HEAD", "/v1/algo/acme/resize"), "VALID");
  }

  @Test
  void credentialCodesWhenUnknownExpiredRevokedOrLockedThenEachNamed() throws Exception {
    assertCode(verify("kw_live_" + "a".repeat(49), "GET", "/v1/algo"), "NOT_FOUND");
    assertCode(verify("Bearer not-a-key", "GET", "/v1/algo"), "NOT_FOUND");
    NewUser user = consumer();
    NewKey revoked = key(user, Map.of());
    assertThat(http.post("/api/v1/keys/" + revoked.id() + "/revoke", user.basic(), Map.of()).status()).isEqualTo(200);
    assertCode(verify(revoked.key(), "GET", "/v1/algo"), "REVOKED");
    NewKey expiring = key(user, Map.of("expiresAt", Instant.now().plusSeconds(1).toString()));
    assertCode(verify(expiring.key(), "GET", "/v1/algo"), "VALID");
    Thread.sleep(1200);
    assertCode(verify(expiring.key(), "GET", "/v1/algo"), "EXPIRED");

    NewUser person = Fixtures.person(http, server.owner(), "consumer");
    for (int i = 0; i < 10; i++) {
      http.get("/api/v1/me", Auth.basic(person.email(), "wrong password " + i));
    }
    String right = "Basic " + java.util.Base64.getEncoder().encodeToString((person.email() + ":" + person.password()).getBytes());
    JsonNode locked = verify(right, "GET", "/v1/algo");
    assertCode(locked, "LOCKED");
  }

  @Test
  void forbiddenWhenPermissionResourceDataOrAlgorithmFlagMissingThenMessageSaysWhat() {
    NewKey consumerKey = key(consumer(), Map.of("resources", List.of("algo://acme/*")));
    JsonNode noPermission = verify(consumerKey.key(), "PUT", "/v1/algo/acme/resize");
    assertCode(noPermission, "FORBIDDEN");
    assertThat(noPermission.path("message").asText()).contains("algo:manage", "consumer");
    JsonNode otherOwner = verify(consumerKey.key(), "POST", "/v1/algo/globex/resize");
    assertCode(otherOwner, "FORBIDDEN");
    assertThat(otherOwner.path("message").asText()).contains("algo://globex/resize");
    assertCode(verify(consumerKey.key(), "POST", "/v1/algo/acmecorp/resize"), "FORBIDDEN");
    assertCode(verify(consumerKey.key(), "POST", "/v1/algo/acme/a%2Fb"), "BAD_PATH");

    NewUser dev = developer();
    NewKey reader = key(dev, Map.of("resources", List.of("data://*", "algo://*"), "dataAccess", "read"));
    assertCode(verify(reader.key(), "GET", "/v1/data/reports/2026/q3.csv"), "VALID");
    JsonNode write = verify(reader.key(), "PUT", "/v1/data/reports/2026/q3.csv");
    assertCode(write, "FORBIDDEN");
    assertThat(write.path("message").asText()).contains("read_write");
    NewKey writer = key(dev, Map.of("resources", List.of("data://reports/*"), "dataAccess", "read_write"));
    assertCode(verify(writer.key(), "PUT", "/v1/data/reports/2026/q3.csv"), "VALID");
    assertCode(verify(writer.key(), "PUT", "/v1/data/other/x"), "FORBIDDEN");
    NewKey noData = key(dev, Map.of("resources", List.of("data://*")));
    assertCode(verify(noData.key(), "GET", "/v1/data/x"), "FORBIDDEN");

    JsonNode noFlag = verify(reader.key(), "PUT", "/v1/algo/acme/resize");
    assertCode(noFlag, "FORBIDDEN");
    assertThat(noFlag.path("message").asText()).contains("manage algorithms");
    NewKey manager = key(dev, Map.of("resources", List.of("algo://acme/*"), "manageAlgorithms", true, "environment", "production"));
    assertCode(verify(manager.key(), "PUT", "/v1/algo/acme/resize"), "VALID");
    assertCode(verify(manager.key(), "POST", "/v1/algo/acme/resize/publish"), "VALID");
  }

  @Test
  void adminKeyWhenCallingTheApiBehindThenForbidden() {
    NewKey admin = Fixtures.adminKey(http, server.owner());
    JsonNode d = verify(admin.key(), "GET", "/v1/algo");
    assertCode(d, "FORBIDDEN");
    assertThat(d.path("message").asText()).contains("Admin keys");
  }

  @Test
  void environmentWhenSandboxOnProductionRouteOrProductionSwitchedOffThenEnvironmentDisabled() {
    NewUser dev = developer();
    NewKey sandbox = key(dev, Map.of("resources", List.of("algo://*"), "manageAlgorithms", true));
    assertCode(verify(sandbox.key(), "POST", "/v1/algo/acme/resize/publish"), "ENVIRONMENT_DISABLED");
    assertCode(verify(sandbox.key(), "PUT", "/v1/algo/acme/resize"), "VALID");
    NewKey production = key(dev, Map.of("environment", "production"));
    assertCode(verify(production.key(), "GET", "/v1/algo"), "VALID");
    try {
      assertThat(http.patch("/api/v1/tenants/default/settings", server.owner(), Map.of("productionEnabled", false)).status()).isEqualTo(200);
      JsonNode off = verify(production.key(), "GET", "/v1/algo");
      assertCode(off, "ENVIRONMENT_DISABLED");
      assertThat(off.path("message").asText()).contains("sandbox");
      assertCode(verify(sandbox.key(), "GET", "/v1/algo"), "VALID");
      TestHttp.Response refused = http.post("/api/v1/keys", dev.basic(), Map.of("name", "live", "environment", "production"));
      assertThat(refused.status()).isEqualTo(422);
      assertThat(refused.json().path("field").asText()).isEqualTo("environment");
    } finally {
      http.patch("/api/v1/tenants/default/settings", server.owner(), Map.of("productionEnabled", true));
    }
    assertCode(verify(production.key(), "GET", "/v1/algo"), "VALID");
  }

  @Test
  void userRequiredWhenPlainKeyThenRefusedAndWhenPartnerWithUserTokenThenValid() {
    NewUser partner = Fixtures.programmatic(http, server.owner(), "account-holder", "consumer");
    NewKey partnerKey = key(partner, Map.of());
    JsonNode plain = verify(partnerKey.key(), "GET", "/v1/account");
    assertCode(plain, "USER_REQUIRED");
    assertThat(plain.path("message").asText()).contains("User <user token>");

    NewUser person = Fixtures.person(http, server.owner(), "account-holder");
    TestHttp.Response signIn = http.post("/api/v1/auth", Auth.bearer(partnerKey.key()),
        Map.of("login", person.email(), "password", person.password()));
    assertThat(signIn.status()).as(signIn.body()).isEqualTo(200);
    String both = "Bearer " + partnerKey.key() + ", User " + signIn.text("user_token");
    JsonNode asUser = verify(both, "PATCH", "/v1/account");
    assertCode(asUser, "VALID");
    assertThat(asUser.path("principal").path("email").asText()).isEqualTo(person.email());
    assertThat(asUser.path("principal").path("credential").asText()).isEqualTo("partner_user");
    assertCode(verify(both, "GET", "/v1/algo"), "FORBIDDEN"); // the person's roles do not grant algo:list
  }

  @Test
  void callersWhenOriginOrNativeNotAllowedThenRefusedAndExactOriginAllowed() {
    NewUser user = consumer();
    NewKey nativeOnly = key(user, Map.of());
    assertCode(verify(nativeOnly.key(), "GET", "/v1/algo", "origin", "https://app.example.com"), "ORIGIN_NOT_ALLOWED");
    NewKey browser = key(user, Map.of("callers", Map.of("native", false, "browser", true, "hostnames", List.of("app.example.com"))));
    assertCode(verify(browser.key(), "GET", "/v1/algo", "origin", "https://app.example.com"), "VALID");
    assertCode(verify(browser.key(), "GET", "/v1/algo", "origin", "https://APP.example.com."), "VALID");
    for (String evil : List.of("https://app.example.com.evil.test", "http://app.example.com", "https://app.example.com:8443", "null")) {
      assertCode(verify(browser.key(), "GET", "/v1/algo", "origin", evil), "ORIGIN_NOT_ALLOWED");
    }
    assertCode(verify(browser.key(), "GET", "/v1/algo"), "NATIVE_NOT_ALLOWED");
    JsonNode password = verify("Basic " + java.util.Base64.getEncoder().encodeToString((user.email() + ":" + user.password()).getBytes()),
        "GET", "/v1/algo", "origin", "https://app.example.com");
    assertCode(password, "ORIGIN_NOT_ALLOWED");
  }

  @Test
  void ipAllowlistWhenCallerOutsideThenIpNotAllowed() {
    NewKey k = key(consumer(), Map.of("ipAllowlist", List.of("10.0.0.0/8", "2001:db8::/32")));
    assertCode(verify(k.key(), "GET", "/v1/algo", "ip", "10.1.2.3"), "VALID");
    assertCode(verify(k.key(), "GET", "/v1/algo", "ip", "::ffff:10.1.2.3"), "VALID");
    assertCode(verify(k.key(), "GET", "/v1/algo", "ip", "2001:db8::7"), "VALID");
    assertCode(verify(k.key(), "GET", "/v1/algo", "ip", "192.168.1.1"), "IP_NOT_ALLOWED");
    assertCode(verify(k.key(), "GET", "/v1/algo", "ip", "garbage"), "IP_NOT_ALLOWED");
    assertCode(verify(k.key(), "GET", "/v1/algo"), "IP_NOT_ALLOWED");
  }

  @Test
  void rateLimitWhenExceededThenRateLimitedAndExplainConsumesNothing() {
    NewKey k = key(consumer(), Map.of("rateLimit", Map.of("limit", 3, "periodSeconds", 60)));
    JsonNode explained = decide("/api/v1/verify/explain", k.key(), "GET", "/v1/algo");
    assertCode(explained, "VALID");
    assertThat(explained.path("ratelimit").path("remaining").asLong()).isEqualTo(3);
    for (int i = 2; i >= 0; i--) {
      JsonNode d = verify(k.key(), "GET", "/v1/algo");
      assertCode(d, "VALID");
      assertThat(d.path("ratelimit").path("limit").asLong()).isEqualTo(3);
      assertThat(d.path("ratelimit").path("remaining").asLong()).isEqualTo(i);
    }
    JsonNode limited = verify(k.key(), "GET", "/v1/algo");
    assertCode(limited, "RATE_LIMITED");
    assertThat(Instant.parse(limited.path("ratelimit").path("resetAt").asText())).isAfter(Instant.now());
  }

  @Test
  void quotaWhenUsedUpThenQuotaExceededAndRefusedCallsConsumeNothing() {
    NewUser user = consumer();
    NewKey k = key(user, Map.of("quota", 2, "resources", List.of("algo://acme/*")));
    assertCode(verify(k.key(), "POST", "/v1/algo/other/x"), "FORBIDDEN"); // refused: no use taken
    assertThat(verify(k.key(), "GET", "/v1/algo").path("quota").asLong()).isEqualTo(1);
    assertThat(verify(k.key(), "GET", "/v1/algo").path("quota").asLong()).isZero();
    assertCode(verify(k.key(), "GET", "/v1/algo"), "QUOTA_EXCEEDED");
    assertThat(http.get("/api/v1/keys/" + k.id(), user.basic()).json().path("quotaRemaining").asLong()).isZero();
    TestHttp.Response topUp = http.patch("/api/v1/keys/" + k.id(), user.basic(), Map.of("quota", 5));
    assertThat(topUp.status()).as(topUp.body()).isEqualTo(200);
    assertThat(verify(k.key(), "GET", "/v1/algo").path("quota").asLong()).isEqualTo(4);
  }

  @Test
  void routeCodesWhenNoRouteWrongMethodOrBadPathThenNamedAndPublicRoutesNeedNoCredential() {
    String k = key(consumer(), Map.of()).key();
    assertCode(verify(k, "GET", "/v2/unknown"), "ROUTE_NOT_FOUND");
    assertCode(verify(k, "PATCH", "/v1/algo"), "METHOD_NOT_ALLOWED");
    assertCode(verify(k, "TRACE", "/v1/algo"), "METHOD_NOT_ALLOWED");
    assertCode(verify(k, "OPTIONS", "/v2/unknown"), "ROUTE_NOT_FOUND");
    TestHttp.Response none = http.post("/api/v1/verify", verifier, Map.of("method", "GET", "path", "/v1/algo"));
    assertThat(none.status()).isEqualTo(200);
    assertCode(none.json(), "NOT_FOUND");
    for (String bad : List.of("/v1/algo/../admin", "/v1//algo", "/v1/algo/%2e%2e/x", "/v1/algo;x=1")) {
      assertCode(verify(k, "GET", bad), "BAD_PATH");
    }
    JsonNode open = verify("kw_live_" + "b".repeat(49), "GET", "/v1/status");
    assertCode(open, "VALID");
    assertThat(open.path("principal").isNull()).isTrue();
  }

  @Test
  void permissionWhenAskedDirectlyThenNoRouteNeeded() {
    NewKey k = key(consumer(), Map.of("resources", List.of("algo://acme/*")));
    Map<String, Object> body = Map.of("credential", k.key(), "permission", "algo:invoke", "resource", "algo://acme/x");
    JsonNode d = http.post("/api/v1/verify", verifier, body).json();
    assertCode(d, "VALID");
    JsonNode other = http.post("/api/v1/verify", verifier, Map.of("credential", k.key(), "permission", "algo:manage")).json();
    assertCode(other, "FORBIDDEN");
  }

  @Test
  void rolledKeyWhenWithinGraceThenBothSecretsValidAndAfterItTheOldOneExpired() throws Exception {
    NewUser user = consumer();
    NewKey k = key(user, Map.of());
    TestHttp.Response rolled = http.post("/api/v1/keys/" + k.id() + "/roll", user.basic(), Map.of("gracePeriodSeconds", 1));
    assertThat(rolled.status()).as(rolled.body()).isEqualTo(200);
    String fresh = rolled.text("key");
    assertThat(fresh).isNotEqualTo(k.key());
    assertThat(rolled.json().path("previousSecretExpiresAt").isNull()).isFalse();
    assertCode(verify(k.key(), "GET", "/v1/algo"), "VALID");
    assertCode(verify(fresh, "GET", "/v1/algo"), "VALID");
    Thread.sleep(1300);
    assertCode(verify(k.key(), "GET", "/v1/algo"), "EXPIRED");
    assertCode(verify(fresh, "GET", "/v1/algo"), "VALID");

    TestHttp.Response now = http.post("/api/v1/keys/" + k.id() + "/roll", user.basic(), Map.of("gracePeriodSeconds", 0));
    assertCode(verify(fresh, "GET", "/v1/algo"), "NOT_FOUND");
    assertCode(verify(now.text("key"), "GET", "/v1/algo"), "VALID");
  }

  @Test
  void explainWhenRefusedThenRulesInOrderEndingWithTheRefusingOne() {
    NewKey k = key(consumer(), Map.of("resources", List.of("algo://acme/*")));
    JsonNode d = decide("/api/v1/verify/explain", k.key(), "POST", "/v1/algo/globex/x");
    assertCode(d, "FORBIDDEN");
    List<String> names = Fixtures.texts(d.path("rules"), "rule");
    assertThat(names).startsWith("route", "credential").endsWith("resource");
    JsonNode last = d.path("rules").get(d.path("rules").size() - 1);
    assertThat(last.path("passed").asBoolean()).isFalse();
    assertThat(Fixtures.items(d.path("rules")).subList(0, names.size() - 1)).allMatch(r -> r.path("passed").asBoolean());
    assertThat(verify(k.key(), "POST", "/v1/algo/globex/x").has("rules")).isFalse();
  }

  @Test
  void callerWhenLackingVerifyPermissionThen403AndBadBodiesThen400NamingTheField() {
    NewUser plain = consumer();
    TestHttp.Response refused = http.post("/api/v1/verify", plain.key(), Map.of("credential", plain.defaultKey(), "method", "GET", "path", "/v1/algo"));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().path("message").asText()).contains("keyward:verify");
    assertThat(http.post("/api/v1/verify", Auth.NONE, Map.of("credential", "x", "method", "GET", "path", "/")).status()).isEqualTo(401);

    record Case(Map<String, ?> body, String field) {}
    for (Case c : List.of(
        new Case(Map.of("credential", "", "method", "GET", "path", "/v1/algo"), "credential"),
        new Case(Map.of("credential", "x".repeat(9000), "method", "GET", "path", "/v1/algo"), "credential"),
        new Case(Map.of("credential", "k", "path", "/v1/algo"), "method"),
        new Case(Map.of("credential", "k", "method", "G ET", "path", "/v1/algo"), "method"),
        new Case(Map.of("credential", "k", "method", "", "path", "/v1/algo"), "method"),
        new Case(Map.of("credential", "k", "method", "GET"), "path"),
        new Case(Map.of("credential", "k", "method", "GET", "path", "v1/algo"), "path"),
        new Case(Map.of("credential", "k", "method", "GET", "path", "/v1/algo", "permission", "algo:list"), "permission"),
        new Case(Map.of("credential", "k", "permission", "*"), "permission"),
        new Case(Map.of("credential", "k", "permission", "algo"), "permission"),
        new Case(Map.of("credential", "k", "method", "GET", "path", "/", "origin", ""), "origin"),
        new Case(Map.of("credential", "k", "method", "GET", "path", "/", "ip", 10), "ip"),
        new Case(Map.of("credential", "k", "method", "GET", "path", "/", "valid", true), "valid"))) {
      TestHttp.Response r = http.post("/api/v1/verify", verifier, c.body());
      assertThat(r.status()).as(c + " " + r.body()).isEqualTo(400);
      assertThat(r.json().path("field").asText()).as(c + " " + r.body()).isEqualTo(c.field());
    }
  }
}
