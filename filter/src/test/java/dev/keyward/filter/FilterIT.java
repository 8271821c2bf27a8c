package dev.keyward.filter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyward.server.testing.TestHttp;
import dev.keyward.server.testing.TestHttp.Auth;
import dev.keyward.server.testing.TestServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The filter end to end: a real Keyward server (the invoicing example routes and roles), a real
 * servlet container on 127.0.0.1 with the filter in front of a trivial application, and calls
 * over HTTP. The filter asks Keyward remotely, configured by init parameters as {@code web.xml}
 * would; {@link DoorsIT} checks that the in-process door answers the same.
 */
class FilterIT {
  static final Path ROUTES = Path.of("..", "examples", "routes", "invoicing.yaml");

  static TestServer keyward;
  static TestHttp admin;
  static String serviceKey;
  static ServletApp app;
  static TestHttp service;

  @BeforeAll
  static void start() throws Exception {
    keyward = TestServer.start(c -> c.withRoutes(ROUTES));
    admin = keyward.http();
    serviceKey = Keys.verifier(keyward);
    app = ServletApp.start(Map.of(KeywardFilter.URL_PARAM, admin.base(), KeywardFilter.CREDENTIAL_PARAM, serviceKey));
    service = new TestHttp(app.base());
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    keyward.close();
  }

  /** A 401 answer exactly as every invalid credential gets it. */
  static void assertInvalidCredentials(TestHttp.Response r, boolean credentialSent) {
    assertThat(r.status()).as(r.body()).isEqualTo(401);
    assertThat(r.header("Content-Type")).matches("(?i)application/json; ?charset=utf-8");
    assertThat(r.json()).isEqualTo(Keys.json("{\"error\":\"invalid_credentials\",\"message\":\"" + KeywardFilter.INVALID_CREDENTIALS_MESSAGE + "\"}"));
    assertThat(r.headerValues("WWW-Authenticate")).containsExactly(
        credentialSent ? "Bearer realm=\"keyward\", error=\"invalid_token\"" : "Bearer realm=\"keyward\"",
        "Basic realm=\"keyward\", charset=\"UTF-8\"");
  }

  @Nested
  class Allowed {
    @Test
    void requestWhenKeyOfRoleGrantsTheRouteThenApplicationSeesTheKeywardUser() {
      Keys.User cfo = Keys.user(keyward, "CFO");
      String key = Keys.key(keyward, cfo, Map.of());
      int before = app.reached.get();
      TestHttp.Response r = service.get("/sales_invoices/42?role=CFO", Auth.bearer(key));
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(r.text("user")).isEqualTo(cfo.id());
      assertThat(r.text("principal")).isEqualTo(cfo.id());
      assertThat(r.text("email")).isEqualTo(cfo.email());
      assertThat(r.text("tenant")).isEqualTo("default");
      assertThat(r.json().path("roles").toString()).isEqualTo("[\"CFO\"]");
      assertThat(r.json().path("inRole").asBoolean()).isTrue();
      assertThat(r.text("method")).isEqualTo("GET");
      assertThat(app.reached.get()).isEqualTo(before + 1);
      assertThat(service.get("/sales_invoices/42?role=Viewer", Auth.bearer(key)).json().path("inRole").asBoolean()).isFalse();
    }

    @Test
    void requestWhenBasicKeyOrHeadThenAllowedTooAndHeadDecidedAsGet() {
      Keys.User viewer = Keys.user(keyward, "Viewer");
      String key = Keys.key(keyward, viewer, Map.of());
      String basic = Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8));
      assertThat(service.get("/customers", Auth.raw("Basic " + basic)).status()).isEqualTo(200);
      assertThat(service.send("HEAD", "/customers", Auth.bearer(key), null, null).status()).isEqualTo(200);
    }

    @Test
    void requestWhenKeyHasRateLimitThenRateLimitHeadersAndAt429RetryAfter() {
      String key = Keys.key(keyward, Keys.user(keyward, "Sales"), Map.of("rateLimit", Map.of("limit", 2, "periodSeconds", 60)));
      TestHttp.Response first = service.get("/products", Auth.bearer(key));
      assertThat(first.status()).isEqualTo(200);
      assertThat(first.header("RateLimit-Limit")).isEqualTo("2");
      assertThat(first.header("RateLimit-Remaining")).isEqualTo("1");
      assertThat(Long.parseLong(first.header("RateLimit-Reset"))).isBetween(1L, 60L);
      assertThat(service.get("/products", Auth.bearer(key)).header("RateLimit-Remaining")).isEqualTo("0");
      int before = app.reached.get();
      TestHttp.Response limited = service.get("/products", Auth.bearer(key));
      assertThat(limited.status()).isEqualTo(429);
      assertThat(limited.error()).isEqualTo("rate_limited");
      assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 60L);
      assertThat(limited.header("RateLimit-Remaining")).isEqualTo("0");
      assertThat(app.reached.get()).isEqualTo(before);
    }
  }

  @Nested
  class Unauthorized {
    @Test
    void requestWhenUnknownRevokedExpiredMalformedOrMissingThenOne401AndApplicationNeverReached() throws Exception {
      Keys.User user = Keys.user(keyward, "CFO");
      Keys.NewKey revokedKey = Keys.newKey(keyward, user, Map.of());
      String revoked = revokedKey.key();
      assertThat(admin.post("/api/v1/keys/" + revokedKey.id() + "/revoke", user.auth(), Map.of()).status()).isEqualTo(200);
      String expiring = Keys.key(keyward, user, Map.of("expiresAt", Instant.now().plusSeconds(1).toString()));
      assertThat(service.get("/sales_invoices", Auth.bearer(expiring)).status()).isEqualTo(200);
      Thread.sleep(1300);
      int before = app.reached.get();
      List<TestHttp.Response> answers = new ArrayList<>();
      answers.add(service.get("/sales_invoices", Auth.bearer("kw_live_" + "a".repeat(49))));
      answers.add(service.get("/sales_invoices", Auth.bearer(revoked)));
      answers.add(service.get("/sales_invoices", Auth.bearer(expiring)));
      answers.add(service.get("/sales_invoices", Auth.raw("Bearer two words")));
      answers.add(service.get("/sales_invoices", Auth.raw(revoked)));
      answers.add(service.get("/sales_invoices", Auth.basic(user.email(), "wrong password")));
      for (TestHttp.Response r : answers) {
        assertInvalidCredentials(r, true);
        assertThat(r.body()).isEqualTo(answers.get(0).body()).doesNotContain(revoked, "REVOKED", "EXPIRED", "not_found");
      }
      assertInvalidCredentials(service.get("/sales_invoices", Auth.NONE), false);
      assertThat(app.reached.get()).isEqualTo(before);
    }
  }

  @Nested
  class Forbidden {
    @Test
    void requestWhenRolesLackThePermissionThen403NamingIt() {
      String viewer = Keys.key(keyward, Keys.user(keyward, "Viewer"), Map.of());
      int before = app.reached.get();
      TestHttp.Response r = service.post("/sales_invoices", Auth.bearer(viewer), Map.of("amount", 10));
      assertThat(r.status()).as(r.body()).isEqualTo(403);
      assertThat(r.error()).isEqualTo("forbidden");
      assertThat(r.text("permission")).isEqualTo("sales_invoices:create");
      assertThat(r.text("message")).contains("sales_invoices:create", "Viewer");
      TestHttp.Response bank = service.get("/bank_accounts", Auth.bearer(Keys.key(keyward, Keys.user(keyward, "Sales"), Map.of())));
      assertThat(bank.status()).isEqualTo(403);
      assertThat(bank.text("permission")).isEqualTo("bank_accounts:read");
      assertThat(app.reached.get()).isEqualTo(before);
    }

    @Test
    void requestWhenBrowserOriginOnNativeKeyThen403OriginNotAllowed() {
      String key = Keys.key(keyward, Keys.user(keyward, "CFO"), Map.of());
      TestHttp.Response r = service.get("/customers", Auth.bearer(key), "Origin", "https://app.example.com");
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.error()).isEqualTo("origin_not_allowed");
    }

    @Test
    void requestWhenUnroutedPathOrMethodThen404Or405FromTheRouteTable() {
      String key = Keys.key(keyward, Keys.user(keyward, "CFO"), Map.of());
      assertThat(service.get("/nowhere", Auth.bearer(key)).error()).isEqualTo("route_not_found");
      TestHttp.Response put = service.send("PUT", "/sales_invoices", Auth.bearer(key), "{}", "application/json");
      assertThat(put.status()).isEqualTo(405);
      assertThat(put.error()).isEqualTo("method_not_allowed");
    }
  }

  @Nested
  class BehindProxies {
    @Test
    void requestWhenKeyHasIpAllowlistThenPeerDecidesUnlessFromATrustedProxy() throws Exception {
      String key = Keys.key(keyward, Keys.user(keyward, "CFO"), Map.of("ipAllowlist", List.of("198.51.100.0/24")));
      // Behind no trusted proxy the peer is 127.0.0.1, whatever X-Forwarded-For says.
      TestHttp.Response direct = service.get("/customers", Auth.bearer(key), "X-Forwarded-For", "198.51.100.7");
      assertThat(direct.status()).isEqualTo(403);
      assertThat(direct.error()).isEqualTo("ip_not_allowed");
      try (ServletApp proxied = ServletApp.start(Map.of(KeywardFilter.URL_PARAM, admin.base(),
          KeywardFilter.CREDENTIAL_PARAM, serviceKey, KeywardFilter.TRUSTED_PROXIES_PARAM, "127.0.0.1, ::1"))) {
        TestHttp viaProxy = new TestHttp(proxied.base());
        assertThat(viaProxy.get("/customers", Auth.bearer(key), "X-Forwarded-For", "198.51.100.7").status()).isEqualTo(200);
        assertThat(viaProxy.get("/customers", Auth.bearer(key), "X-Forwarded-For", "198.51.100.7, 203.0.113.1").error())
            .isEqualTo("ip_not_allowed");
      }
    }
  }

  @Nested
  class FailClosed {
    @Test
    void requestWhenKeywardStopsThen503AndApplicationNeverReached() throws Exception {
      TestServer doomed = TestServer.start(c -> c.withRoutes(ROUTES));
      String verifier = Keys.verifier(doomed);
      String key = Keys.key(doomed, Keys.user(doomed, "CFO"), Map.of());
      try (ServletApp guarded = ServletApp.start(new KeywardFilter(
          RemoteDecider.builder(URI.create(doomed.http().base()), verifier).timeout(java.time.Duration.ofSeconds(2)).build()))) {
        TestHttp http = new TestHttp(guarded.base());
        assertThat(http.get("/customers", Auth.bearer(key)).status()).isEqualTo(200);
        doomed.close();
        TestHttp.Response r = http.get("/customers", Auth.bearer(key));
        assertThat(r.status()).as(r.body()).isEqualTo(503);
        assertThat(r.error()).isEqualTo("unavailable");
        assertThat(r.header("Retry-After")).isEqualTo("5");
        assertThat(r.body()).doesNotContain(verifier, key, doomed.http().base());
        assertThat(guarded.reached.get()).isEqualTo(1);
      }
    }

    @Test
    void requestWhenServiceCredentialLacksKeywardVerifyThen503() throws Exception {
      Keys.User plain = Keys.user(keyward, "CFO");
      try (ServletApp misconfigured = ServletApp.start(Map.of(KeywardFilter.URL_PARAM, admin.base(),
          KeywardFilter.CREDENTIAL_PARAM, plain.defaultKey()))) {
        TestHttp.Response r = new TestHttp(misconfigured.base()).get("/customers", Auth.bearer(plain.defaultKey()));
        assertThat(r.status()).as(r.body()).isEqualTo(503);
        assertThat(misconfigured.reached.get()).isZero();
      }
    }
  }

  /** Users and keys made through Keyward's admin API. */
  static final class Keys {
    record NewKey(String id, String key) {}

    record User(String id, String email, String password, String defaultKey) {
      Auth auth() {
        return Auth.basic(email, password);
      }
    }

    static JsonNode json(String text) {
      return new TestHttp.Response(200, Map.of(), text).json();
    }

    /** A programmatic user holding a role that grants {@code keyward:verify}; returns its key. */
    static String verifier(TestServer server) {
      TestHttp.Response role = server.http().post("/api/v1/roles", server.owner(),
          Map.of("name", "verifier", "permissions", List.of("keyward:verify")));
      assertThat(role.status()).as(role.body()).isIn(201, 409);
      return user(server, "verifier").defaultKey();
    }

    static User user(TestServer server, String... roles) {
      Map<String, Object> body = Map.of("email", "svc-" + UUID.randomUUID().toString().substring(0, 12) + "@example.com",
          "name", "Service", "programmatic", true, "roles", List.of(roles));
      TestHttp.Response r = server.http().post("/api/v1/users", server.owner(), body);
      assertThat(r.status()).as(r.body()).isEqualTo(201);
      return new User(r.text("id"), r.text("email"), r.text("password"), r.text("defaultKey"));
    }

    static String key(TestServer server, User owner, Map<String, ?> options) {
      return newKey(server, owner, options).key();
    }

    static NewKey newKey(TestServer server, User owner, Map<String, ?> options) {
      Map<String, Object> body = new HashMap<>(options);
      body.putIfAbsent("name", "k-" + UUID.randomUUID());
      TestHttp.Response r = server.http().post("/api/v1/keys", owner.auth(), body);
      assertThat(r.status()).as(r.body()).isEqualTo(201);
      return new NewKey(r.text("id"), r.text("key"));
    }
  }
}
