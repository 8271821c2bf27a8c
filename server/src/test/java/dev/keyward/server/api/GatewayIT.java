package dev.keyward.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyward.core.authz.DecisionCode;
import dev.keyward.server.KeywardConfig;
import dev.keyward.server.KeywardConfig.GatewaySettings;
import dev.keyward.server.api.Fixtures.NewKey;
import dev.keyward.server.api.Fixtures.NewUser;
import dev.keyward.server.testing.EchoUpstream;
import dev.keyward.server.testing.TestHttp;
import dev.keyward.server.testing.TestHttp.Auth;
import dev.keyward.server.testing.TestServer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Gateway mode end to end: the real server started with {@code --upstream} and the
 * algorithm-hosting example routes, in front of a real upstream on 127.0.0.1, called with real
 * keys. Every answer is the one decision's answer: checked against the verification API too.
 */
class GatewayIT {
  static final Path ROUTES = Path.of("..", "examples", "routes", "algorithms.yaml");

  static EchoUpstream upstream;
  static TestServer server;
  static TestHttp http;
  static Auth verifier;

  static UnaryOperator<KeywardConfig> gatewayTo(String upstreamBase, UnaryOperator<GatewaySettings> more) {
    return c -> c.withRoutes(ROUTES).withGateway(more.apply(GatewaySettings.NONE.withUpstream(URI.create(upstreamBase))));
  }

  @BeforeAll
  static void start() {
    upstream = EchoUpstream.start();
    server = TestServer.start(gatewayTo(upstream.base(), s -> s));
    http = server.http();
    assertThat(http.post("/api/v1/roles", server.owner(), Map.of("name", "verifier", "permissions", List.of("keyward:verify")))
        .status()).isEqualTo(201);
    verifier = Fixtures.programmatic(http, server.owner(), "verifier").key();
  }

  @AfterAll
  static void stop() {
    server.close();
    upstream.close();
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

  static Map<String, List<String>> upstreamHeaders(TestHttp.Response echoed) {
    Map<String, List<String>> out = new TreeMap<>();
    echoed.json().path("headers").fields().forEachRemaining(e -> {
      List<String> values = new ArrayList<>();
      e.getValue().forEach(v -> values.add(v.asText()));
      out.put(e.getKey(), values);
    });
    return out;
  }

  /** Headers that differ on every answer whatever was asked. */
  static Map<String, List<String>> stableHeaders(TestHttp.Response r) {
    Map<String, List<String>> h = new TreeMap<>(r.headers());
    h.remove("date");
    h.remove("x-request-id");
    h.remove("content-length"); // the request id in the body varies in length
    return h;
  }

  @Nested
  class Allowed {
    @Test
    void callWhenKeyAllowsItThenUpstreamAnswersAndSeesTheIdentityNotTheKey() {
      NewUser user = consumer();
      NewKey k = key(user, Map.of("resources", List.of("algo://acme/*")));
      TestHttp.Response r = http.post("/v1/algo/acme/resize?size=10&fit=cover", k.bearer(), Map.of("w", 1),
          "X-Keyward-User", "someone-else", "X-Keyward-Roles", "owner");
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(r.header("x-upstream")).isEqualTo("echo");
      assertThat(r.text("method")).isEqualTo("POST");
      assertThat(r.text("path")).isEqualTo("/v1/algo/acme/resize");
      assertThat(r.text("query")).isEqualTo("size=10&fit=cover");
      Map<String, List<String>> h = upstreamHeaders(r);
      assertThat(h).doesNotContainKey("authorization");
      assertThat(r.body()).doesNotContain(k.key());
      assertThat(h.get("x-keyward-user")).containsExactly(user.id());
      assertThat(h.get("x-keyward-tenant")).containsExactly("default");
      assertThat(h.get("x-keyward-key-id")).containsExactly(k.id());
      assertThat(h.get("x-keyward-roles")).containsExactly("consumer");
      assertThat(h.get("x-keyward-environment")).containsExactly("sandbox");
      assertThat(h.get("x-forwarded-for")).containsExactly("127.0.0.1");
    }

    @Test
    void publicRouteWhenNoCredentialThenForwardedWithoutIdentity() {
      TestHttp.Response r = http.get("/v1/status", Auth.NONE, "X-Keyward-User", "spoofed");
      assertThat(r.status()).isEqualTo(200);
      assertThat(upstreamHeaders(r).keySet()).noneMatch(k -> k.startsWith("x-keyward-"));
    }

    @Test
    void headWhenGetIsAllowedThenForwardedAsHeadWithoutBody() {
      NewKey k = key(consumer(), Map.of());
      TestHttp.Response r = http.send("HEAD", "/v1/algo", k.bearer(), null, null);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).isEmpty();
      assertThat(r.header("x-upstream")).isEqualTo("echo");
    }

    @Test
    void uploadWhenSeveralMegabytesThenStreamedWholeToTheUpstream() throws Exception {
      NewKey writer = key(developer(), Map.of("resources", List.of("data://*"), "dataAccess", "read_write"));
      byte[] body = new byte[6 * 1024 * 1024 + 1];
      new Random(3).nextBytes(body);
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(http.base() + "/v1/data/big/file.bin"))
          .header("Authorization", "Bearer " + writer.key())
          .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonNode echo = new TestHttp.Response(200, Map.of(), r.body()).json();
      assertThat(echo.path("bodyLength").asLong()).isEqualTo(body.length);
      assertThat(echo.path("bodySha256").asText()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
    }

    @Test
    void keywardPathsWhenCalledThenAnsweredByKeywardNeverForwarded() {
      int before = upstream.requests();
      Fixtures.assertError(http.get("/api/v1/no-such-thing", server.owner()), 404, "not_found");
      Fixtures.assertError(http.get("/oauth/nothing", Auth.NONE), 404, "not_found");
      Fixtures.assertError(http.get("/.well-known/nothing", Auth.NONE), 404, "not_found");
      Fixtures.assertError(http.get("/health/nothing", Auth.NONE), 404, "not_found");
      Fixtures.assertError(http.get("/auth/nothing", Auth.NONE), 404, "not_found");
      assertThat(http.get("/health/live", Auth.NONE).status()).isEqualTo(200);
      assertThat(http.get("/metrics", Auth.NONE).status()).isEqualTo(200);
      assertThat(http.get("/openapi.json", Auth.NONE).status()).isEqualTo(200);
      assertThat(Fixtures.me(http, server.owner())).isNotBlank();
      assertThat(upstream.requests()).isEqualTo(before);
    }

    @Test
    void rateLimitedKeyWhenCalledThenRateLimitHeadersThen429WithRetryAfter() {
      NewKey k = key(consumer(), Map.of("rateLimit", Map.of("limit", 2, "periodSeconds", 60)));
      TestHttp.Response first = http.get("/v1/algo", k.bearer());
      assertThat(first.status()).isEqualTo(200);
      assertThat(first.header("ratelimit-limit")).isEqualTo("2");
      assertThat(first.header("ratelimit-remaining")).isEqualTo("1");
      long reset = Long.parseLong(first.header("ratelimit-reset"));
      assertThat(reset).isBetween(1L, 60L);
      assertThat(http.get("/v1/algo", k.bearer()).header("ratelimit-remaining")).isEqualTo("0");
      int before = upstream.requests();
      TestHttp.Response limited = http.get("/v1/algo", k.bearer());
      Fixtures.assertError(limited, 429, "rate_limited");
      assertThat(Long.parseLong(limited.header("retry-after"))).isBetween(1L, 60L);
      assertThat(limited.header("ratelimit-remaining")).isEqualTo("0");
      assertThat(upstream.requests()).isEqualTo(before);
    }
  }

  @Nested
  class Refused {
    @Test
    void unknownExpiredAndRevokedWhenCalledThenOneIdentical401AndUpstreamNeverReached() throws Exception {
      NewUser user = consumer();
      NewKey revoked = key(user, Map.of());
      assertThat(http.post("/api/v1/keys/" + revoked.id() + "/revoke", user.basic(), Map.of()).status()).isEqualTo(200);
      NewKey expiring = key(user, Map.of("expiresAt", Instant.now().plusSeconds(1).toString()));
      Thread.sleep(1300);
      int before = upstream.requests();
      List<TestHttp.Response> answers = List.of(
          http.get("/v1/algo", Auth.bearer("kw_test_" + "a".repeat(49))),
          http.get("/v1/algo", Auth.NONE),
          http.get("/v1/algo", revoked.bearer()),
          http.get("/v1/algo", expiring.bearer()));
      TestHttp.Response first = answers.get(0);
      Fixtures.assertError(first, 401, "invalid_credentials");
      assertThat(first.headerValues("www-authenticate"))
          .containsExactly("Bearer realm=\"keyward\", error=\"invalid_token\"", "Basic realm=\"keyward\", charset=\"UTF-8\"");
      for (TestHttp.Response r : answers) {
        assertThat(Fixtures.withoutRequestId(r)).isEqualTo(Fixtures.withoutRequestId(first));
        assertThat(r.body()).doesNotContain(revoked.key()).doesNotContain(expiring.key());
      }
      // The same headers whatever was wrong with the credential; without one, RFC 6750 §3.1: no error code.
      assertThat(stableHeaders(answers.get(2))).isEqualTo(stableHeaders(first));
      assertThat(stableHeaders(answers.get(3))).isEqualTo(stableHeaders(first));
      assertThat(answers.get(1).headerValues("www-authenticate"))
          .containsExactly("Bearer realm=\"keyward\"", "Basic realm=\"keyward\", charset=\"UTF-8\"");
      assertThat(upstream.requests()).isEqualTo(before);
    }

    @Test
    void missingPermissionWhenCalledThen403NamingItAndUpstreamNeverReached() {
      NewKey k = key(consumer(), Map.of("resources", List.of("algo://acme/*")));
      int before = upstream.requests();
      TestHttp.Response r = http.send("PUT", "/v1/algo/acme/resize", k.bearer(), "{}", "application/json");
      Fixtures.assertError(r, 403, "forbidden");
      assertThat(r.text("message")).contains("algo:manage");
      assertThat(r.headers()).doesNotContainKey("www-authenticate");
      assertThat(upstream.requests()).isEqualTo(before);
    }

    @Test
    void routeCodesWhenUnroutedWrongMethodOrAmbiguousPathThen404Then405WithAllowThen400() {
      NewKey k = key(consumer(), Map.of());
      int before = upstream.requests();
      Fixtures.assertError(http.get("/v2/unknown", k.bearer()), 404, "route_not_found");
      TestHttp.Response wrong = http.send("PATCH", "/v1/algo", k.bearer(), "{}", "application/json");
      Fixtures.assertError(wrong, 405, "method_not_allowed");
      assertThat(wrong.header("allow")).isEqualTo("GET, HEAD");
      for (String bad : List.of("/v1/algo/%2e%2e/x", "/v1/algo/a%2Fb", "/v1/algo;x=1")) {
        TestHttp.Response r = http.get(bad, k.bearer());
        assertThat(r.status()).as(bad).isIn(400, 404);
        assertThat(r.status()).as(bad).isNotEqualTo(200);
      }
      Fixtures.assertError(http.get("/v1/algo/%2e%2e/x", k.bearer()), 400, "bad_path");
      assertThat(upstream.requests()).isEqualTo(before);
    }

    @Test
    void adminKeyWhenCallingTheApiBehindThen403() {
      NewKey admin = Fixtures.adminKey(http, server.owner());
      TestHttp.Response r = http.get("/v1/algo", admin.bearer());
      Fixtures.assertError(r, 403, "forbidden");
      assertThat(r.text("message")).contains("Admin keys");
    }

    @Test
    void ipAllowlistWhenCallerSpoofsForwardedForFromAnUntrustedPeerThen403() {
      NewKey k = key(consumer(), Map.of("ipAllowlist", List.of("10.0.0.0/8")));
      for (String spoof : List.of("10.1.2.3", "::ffff:10.0.0.1", "127.0.0.1, 10.1.2.3")) {
        TestHttp.Response r = http.get("/v1/algo", k.bearer(), "X-Forwarded-For", spoof, "X-Real-IP", "10.1.2.3");
        Fixtures.assertError(r, 403, "ip_not_allowed");
      }
      NewKey local = key(consumer(), Map.of("ipAllowlist", List.of("127.0.0.0/8")));
      assertThat(http.get("/v1/algo", local.bearer(), "X-Forwarded-For", "203.0.113.9").status())
          .as("the TCP peer decides").isEqualTo(200);
    }

    @Test
    void quotaWhenUsedUpThen429QuotaExceededWithoutRetryAfterSinceWaitingDoesNotHelp() {
      NewKey k = key(consumer(), Map.of("quota", 1));
      assertThat(http.get("/v1/algo", k.bearer()).status()).isEqualTo(200);
      TestHttp.Response r = http.get("/v1/algo", k.bearer());
      Fixtures.assertError(r, 429, "quota_exceeded");
      assertThat(r.headers()).doesNotContainKey("retry-after");
    }

    @Test
    void userRequiredWhenPlainKeyOnAUserRouteThen403() {
      NewKey k = key(Fixtures.programmatic(http, server.owner(), "account-holder"), Map.of());
      Fixtures.assertError(http.get("/v1/account", k.bearer()), 403, "user_required");
    }

    @Test
    void sandboxKeyWhenCallingAProductionRouteThen403EnvironmentDisabled() {
      NewKey k = key(developer(), Map.of("resources", List.of("algo://*"), "manageAlgorithms", true));
      Fixtures.assertError(http.post("/v1/algo/acme/resize/publish", k.bearer(), Map.of()), 403, "environment_disabled");
    }
  }

  @Nested
  class Cors {
    @Test
    void preflightWhenRoutedThen204WithRoutedMethodsAndNoUpstreamCall() {
      int before = upstream.requests();
      TestHttp.Response r = http.send("OPTIONS", "/v1/algo/acme/resize", Auth.NONE, null, null,
          "Origin", "https://app.example.com", "Access-Control-Request-Method", "POST");
      assertThat(r.status()).isEqualTo(204);
      assertThat(r.body()).isEmpty();
      assertThat(r.header("access-control-allow-origin")).isEqualTo("https://app.example.com");
      assertThat(r.headerValues("vary")).contains("Origin");
      assertThat(r.header("access-control-allow-methods")).isEqualTo("GET, HEAD, POST, PUT, DELETE");
      assertThat(r.header("access-control-allow-headers")).isEqualTo("Authorization, Content-Type");
      assertThat(r.header("access-control-max-age")).isEqualTo("600");
      assertThat(upstream.requests()).isEqualTo(before);
    }

    @Test
    void preflightWhenNotRoutedThen404WithoutCorsHeaders() {
      TestHttp.Response r = http.send("OPTIONS", "/v2/nothing", Auth.NONE, null, null,
          "Origin", "https://app.example.com", "Access-Control-Request-Method", "GET");
      Fixtures.assertError(r, 404, "route_not_found");
      assertThat(r.headers()).doesNotContainKey("access-control-allow-origin");
    }

    @Test
    void browserKeyWhenCalledFromItsOriginThenEchoedAndFromAnotherThen403WithoutCors() {
      NewKey browser = key(consumer(), Map.of("callers", Map.of("native", false, "browser", true, "hostnames", List.of("app.example.com"))));
      TestHttp.Response ok = http.get("/v1/algo", browser.bearer(), "Origin", "https://app.example.com");
      assertThat(ok.status()).as(ok.body()).isEqualTo(200);
      assertThat(ok.header("access-control-allow-origin")).isEqualTo("https://app.example.com");
      assertThat(ok.headerValues("vary")).contains("Origin");
      assertThat(upstreamHeaders(ok).get("origin")).containsExactly("https://app.example.com");
      for (String evil : List.of("https://evil.example.com", "https://app.example.com.evil.test", "http://app.example.com", "null")) {
        TestHttp.Response r = http.get("/v1/algo", browser.bearer(), "Origin", evil);
        Fixtures.assertError(r, 403, "origin_not_allowed");
        assertThat(r.headers()).as(evil).doesNotContainKey("access-control-allow-origin");
      }
      Fixtures.assertError(http.get("/v1/algo", browser.bearer()), 403, "native_not_allowed");
      NewKey nativeOnly = key(consumer(), Map.of());
      Fixtures.assertError(http.get("/v1/algo", nativeOnly.bearer(), "Origin", "https://app.example.com"), 403, "origin_not_allowed");
    }
  }

  @Nested
  class DoorsAgree {
    @Test
    void gatewayAndVerificationApiWhenAskedTheSameThenTheSameCode() {
      NewUser dev = developer();
      NewKey reader = key(dev, Map.of("resources", List.of("data://*", "algo://acme/*"), "dataAccess", "read"));
      NewKey plain = key(consumer(), Map.of());
      record Call(String credential, String method, String path) {}
      List<Call> calls = List.of(
          new Call(reader.key(), "GET", "/v1/data/reports/q3.csv"),
          new Call(reader.key(), "PUT", "/v1/data/reports/q3.csv"),
          new Call(reader.key(), "POST", "/v1/algo/acme/x"),
          new Call(reader.key(), "POST", "/v1/algo/globex/x"),
          new Call(reader.key(), "PATCH", "/v1/algo"),
          new Call(reader.key(), "GET", "/v2/x"),
          new Call(reader.key(), "GET", "/v1/account"),
          new Call(plain.key(), "GET", "/v1/algo"),
          new Call(plain.key(), "DELETE", "/v1/data/x"),
          new Call("kw_test_" + "z".repeat(49), "GET", "/v1/algo"));
      for (Call c : calls) {
        TestHttp.Response verified = http.post("/api/v1/verify", verifier,
            Map.of("credential", c.credential(), "method", c.method(), "path", c.path()));
        String code = verified.json().path("code").asText();
        int before = upstream.requests();
        TestHttp.Response gw = http.send(c.method(), c.path(), Auth.bearer(c.credential()),
            c.method().equals("GET") || c.method().equals("DELETE") ? null : "{}", "application/json");
        assertThat(gw.status()).as(c + " verified as " + code).isEqualTo(DecisionCode.valueOf(code).status());
        assertThat(upstream.requests()).as(c.toString()).isEqualTo(code.equals("VALID") ? before + 1 : before);
        if (!code.equals("VALID")) {
          String expected = DecisionCode.valueOf(code).status() == 401 ? "invalid_credentials" : code.toLowerCase(Locale.ROOT);
          assertThat(gw.error()).isEqualTo(expected);
        }
      }
    }
  }

  @Nested
  class BehindATrustedProxy {
    @Test
    void forwardedForWhenFromATrustedProxyThenItsRightMostUntrustedEntryIsTheCaller() {
      try (TestServer behind = TestServer.start(gatewayTo(upstream.base(), s -> s.withTrustedProxies(List.of("127.0.0.1/32"))))) {
        TestHttp h = behind.http();
        NewUser user = Fixtures.programmatic(h, behind.owner(), "consumer");
        NewKey k = Fixtures.key(h, user.basic(), Map.of("name", "ip", "ipAllowlist", List.of("10.0.0.0/8")));
        assertThat(h.get("/v1/algo", k.bearer(), "X-Forwarded-For", "10.1.2.3").status()).isEqualTo(200);
        assertThat(h.get("/v1/algo", k.bearer(), "X-Forwarded-For", "::ffff:10.0.0.1").status()).as("mapped IPv4").isEqualTo(200);
        assertThat(h.get("/v1/algo", k.bearer(), "X-Forwarded-For", "10.1.2.3, 203.0.113.9").status())
            .as("the right-most untrusted entry decides").isEqualTo(403);
        assertThat(h.rawGet("/v1/algo", "Authorization: Bearer " + k.key(), "X-Forwarded-For: 10.1.2.3", "X-Forwarded-For: 203.0.113.9")
            .status()).as("several headers are one list").isEqualTo(403);
        assertThat(h.get("/v1/algo", k.bearer(), "X-Forwarded-For", "garbage").status()).as("unknown address").isEqualTo(403);
        assertThat(h.get("/v1/algo", k.bearer()).status()).as("no header: the proxy itself").isEqualTo(403);
        TestHttp.Response echoed = h.get("/v1/algo", k.bearer(), "X-Forwarded-For", "10.1.2.3");
        assertThat(upstreamHeaders(echoed).get("x-forwarded-for")).containsExactly("10.1.2.3, 127.0.0.1");
      }
    }
  }

  @Nested
  class Failures {
    @Test
    void upstreamWhenDownThen502AndWhenSlowThen504() throws Exception {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      try (TestServer down = TestServer.start(gatewayTo("http://127.0.0.1:" + port, s -> s))) {
        NewKey k = Fixtures.key(down.http(), down.owner(), Map.of("name", "k"));
        Fixtures.assertError(down.http().get("/v1/status", Auth.NONE), 502, "bad_gateway");
        Fixtures.assertError(down.http().get("/v1/algo", k.bearer()), 502, "bad_gateway");
      }
      try (TestServer impatient = TestServer.start(gatewayTo(upstream.base(), s -> s.withTimeout(Duration.ofMillis(300))))) {
        NewUser dev = Fixtures.programmatic(impatient.http(), impatient.owner(), "developer");
        NewKey k = Fixtures.key(impatient.http(), dev.basic(), Map.of("name", "d", "resources", List.of("data://*"), "dataAccess", "read"));
        Fixtures.assertError(impatient.http().get("/v1/data/x/slow?ms=3000", k.bearer()), 504, "gateway_timeout");
        assertThat(impatient.http().get("/v1/data/x/slow?ms=1", k.bearer()).status()).isEqualTo(200);
      }
    }

    @Test
    void storeWhenGoneThen503WithRetryAfterAndUpstreamNeverReached() {
      try (TestServer failing = TestServer.start(gatewayTo(upstream.base(), s -> s))) {
        String key = Fixtures.key(failing.http(), failing.owner(), Map.of("name", "k")).key();
        failing.server().services().database().dataSource().close();
        int before = upstream.requests();
        TestHttp.Response r = failing.http().get("/v1/algo", Auth.bearer(key));
        Fixtures.assertError(r, 503, "unavailable");
        assertThat(r.header("retry-after")).isEqualTo("5");
        assertThat(r.body()).doesNotContain(key).doesNotContain("SQL");
        assertThat(upstream.requests()).isEqualTo(before);
      }
    }
  }
}
