package dev.keyward.server.gateway;

import static dev.keyward.server.gateway.GatewayHarness.ALICE;
import static dev.keyward.server.gateway.GatewayHarness.NOW;
import static dev.keyward.server.gateway.GatewayHarness.allow;
import static dev.keyward.server.gateway.GatewayHarness.allowLimited;
import static dev.keyward.server.gateway.GatewayHarness.refuse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyward.core.auth.Principal;
import dev.keyward.core.authz.Decision;
import dev.keyward.core.authz.DecisionCode;
import dev.keyward.core.authz.DecisionRequest;
import dev.keyward.core.error.KeywardException;
import dev.keyward.server.testing.EchoUpstream;
import dev.keyward.server.testing.TestHttp;
import dev.keyward.server.testing.TestHttp.Auth;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The gateway's HTTP mechanics against a real upstream, with decisions set by each test: what is
 * forwarded and how, what comes back, and every refusal's answer.
 */
class GatewayProxyIT {
  private static final String JSON_TYPE = "application/json; charset=utf-8";
  private static EchoUpstream upstream;
  private static GatewayHarness gateway;
  private static TestHttp http;
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() {
    upstream = EchoUpstream.start();
    gateway = GatewayHarness.start(upstream.base(), Duration.ofSeconds(10), List.of());
    http = gateway.http;
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
  }

  @BeforeEach
  void allowAlice() {
    gateway.decisions.set(r -> allow(ALICE));
    upstream.reset();
  }

  static Map<String, List<String>> upstreamHeaders(TestHttp.Response echoed) {
    Map<String, List<String>> out = new TreeMap<>();
    echoed.json().path("headers").fields().forEachRemaining(e -> {
      List<String> values = new java.util.ArrayList<>();
      e.getValue().forEach(v -> values.add(v.asText()));
      out.put(e.getKey(), values);
    });
    return out;
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Nested
  class Forwarded {
    @Test
    void getWhenAllowedThenUpstreamSeesMethodRawPathAndQueryAsSent() {
      TestHttp.Response r = http.get("/v1/items/a%20b/%C3%A9?x=1&y=%2F&y=2&empty=", Auth.bearer("kw_test_x"));
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(r.header("x-upstream")).isEqualTo("echo");
      assertThat(r.text("method")).isEqualTo("GET");
      assertThat(r.text("path")).isEqualTo("/v1/items/a%20b/%C3%A9");
      assertThat(r.text("query")).isEqualTo("x=1&y=%2F&y=2&empty=");
    }

    @Test
    void requestWhenDecidedThenDecisionAskedWithEveryAuthorizationValueRawPathOriginAndTenant() {
      String raw = "GET /v1/a%2Fb?q=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
          + "Authorization: Bearer kw_test_first\r\nAuthorization: User ut_second\r\n"
          + "Origin: https://app.example.com\r\nX-Keyward-Tenant: acme\r\n\r\n";
      TestHttp.Response r = http.raw(raw.getBytes(StandardCharsets.US_ASCII));
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      DecisionRequest asked = gateway.lastAsked();
      assertThat(asked.authorization()).containsExactly("Bearer kw_test_first", "User ut_second");
      assertThat(asked.method()).isEqualTo("GET");
      assertThat(asked.path()).isEqualTo("/v1/a%2Fb");
      assertThat(asked.origin()).isEqualTo("https://app.example.com");
      assertThat(asked.ip()).isEqualTo("127.0.0.1");
      assertThat(asked.tenantSlug()).isEqualTo("acme");
      assertThat(asked.permission()).isNull();
      assertThat(asked.explain()).isFalse();
    }

    @Test
    void oddPathsWhenForwardedThenTheUpstreamGetsExactlyThePathDecidedOn() {
      int before = upstream.requests();
      List<String> forwarded = new java.util.ArrayList<>();
      for (String path : List.of("/a/../b", "/a/./b", "//a//b", "/a/%2e%2e/b", "/a;x=1/b", "/%61dmin", "/a%2Fb", "/a/b/",
          "/a%20b", "/a+b", "/~user/x")) {
        TestHttp.Response r = http.raw(("GET " + path + "?q=%2e HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
            + "Authorization: Bearer x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        if (r.status() != 200) {
          assertThat(r.status()).as(path).isEqualTo(400); // refused: nothing forwarded
          assertThat(upstream.requests()).as(path).isEqualTo(before);
          continue;
        }
        before = upstream.requests();
        forwarded.add(path);
        assertThat(r.text("path")).as(path).isEqualTo(gateway.lastAsked().path());
        assertThat(r.text("query")).as(path).isEqualTo("q=%2e");
      }
      assertThat(forwarded).as("paths the upstream client sends unchanged are forwarded")
          .contains("/%61dmin", "/a%2Fb", "/a/b/", "/a%20b", "/a+b", "/~user/x", "/a/%2e%2e/b");
    }

    @Test
    void browserCallWithoutOriginWhenItHasARefererThenDecidedWithTheReferersOrigin() {
      http.get("/v1/items", Auth.bearer("x"), "Referer", "https://app.example.com/reports?page=2");
      assertThat(gateway.lastAsked().origin()).isEqualTo("https://app.example.com");
      http.get("/v1/items", Auth.bearer("x"));
      assertThat(gateway.lastAsked().origin()).as("a native call").isNull();
    }

    @Test
    void headWhenAllowedThenDecidedAsGetForwardedAsHeadAndAnsweredWithoutBody() {
      TestHttp.Response r = http.send("HEAD", "/v1/items", Auth.bearer("kw_test_x"), null, null);
      assertThat(r.status()).isEqualTo(200);
      assertThat(gateway.lastAsked().method()).isEqualTo("GET");
      assertThat(r.body()).isEmpty();
      assertThat(r.header("x-upstream")).isEqualTo("echo");
      assertThat(Long.parseLong(r.header("content-length"))).isPositive();
    }

    @Test
    void allowedWhenCredentialSentThenUpstreamNeverSeesItAndGetsTheDecidedIdentity() {
      TestHttp.Response r = http.get("/v1/items", Auth.bearer("kw_test_secret_value"));
      Map<String, List<String>> h = upstreamHeaders(r);
      assertThat(h).doesNotContainKey("authorization");
      assertThat(r.body()).doesNotContain("kw_test_secret_value");
      assertThat(h.get("x-keyward-user")).containsExactly("user-id-1");
      assertThat(h.get("x-keyward-tenant")).containsExactly("acme");
      assertThat(h.get("x-keyward-key-id")).containsExactly("key-id-1");
      assertThat(h.get("x-keyward-roles")).containsExactly("CFO,accountant,treasurer");
      assertThat(h.get("x-keyward-environment")).containsExactly("sandbox");
    }

    @Test
    void allowedWhenCallerSendsKeywardHeadersThenEveryOneIsReplacedOrDropped() {
      gateway.decisions.set(r -> allow(new Principal("t", "acme", "user-2", "u@example.com", Set.of(),
          Principal.CredentialType.ACCESS_TOKEN, null, null, false)));
      TestHttp.Response r = http.get("/v1/items", Auth.bearer("x"),
          "X-Keyward-User", "admin", "X-Keyward-Roles", "owner", "X-Keyward-Key-Id", "k", "X-Keyward-Environment", "production",
          "X-Keyward-Tenant", "acme", "X-Keyward-Anything", "1", "x-keyward-lower", "1");
      Map<String, List<String>> h = upstreamHeaders(r);
      assertThat(h.get("x-keyward-user")).containsExactly("user-2");
      assertThat(h.get("x-keyward-tenant")).containsExactly("acme");
      assertThat(h).doesNotContainKeys("x-keyward-roles", "x-keyward-key-id", "x-keyward-environment", "x-keyward-anything",
          "x-keyward-lower");
    }

    @Test
    void publicRouteWhenAllowedWithoutPrincipalThenNoIdentityHeadersAtAll() {
      gateway.decisions.set(r -> allow(null));
      TestHttp.Response r = http.get("/public", Auth.NONE, "X-Keyward-User", "admin", "X-Keyward-Tenant", "acme");
      assertThat(r.status()).isEqualTo(200);
      assertThat(upstreamHeaders(r).keySet()).noneMatch(k -> k.startsWith("x-keyward-"));
    }

    @Test
    void requestWhenHopByHopHeadersSentThenNotForwardedAndOthersAre() {
      String raw = "GET /v1/items HTTP/1.1\r\nHost: api.example.com\r\nConnection: close, X-Drop-Me\r\nX-Drop-Me: 1\r\n"
          + "Keep-Alive: timeout=5\r\nTE: trailers\r\nProxy-Authorization: Basic eDp5\r\nUpgrade: websocket\r\n"
          + "Proxy-Connection: keep-alive\r\nX-Keep-Me: yes\r\nCookie: c=1\r\nUser-Agent: test-agent\r\n\r\n";
      TestHttp.Response r = http.raw(raw.getBytes(StandardCharsets.US_ASCII));
      Map<String, List<String>> h = upstreamHeaders(r);
      assertThat(h).doesNotContainKeys("x-drop-me", "keep-alive", "te", "proxy-authorization", "upgrade", "proxy-connection");
      assertThat(h.get("x-keep-me")).containsExactly("yes");
      assertThat(h.get("cookie")).containsExactly("c=1");
      assertThat(h.get("user-agent")).containsExactly("test-agent");
      assertThat(h.get("connection")).doesNotContain("close, X-Drop-Me");
    }

    @Test
    void requestWhenFromUntrustedPeerThenForwardingHeadersAreReplacedNotAppended() {
      TestHttp.Response r = http.get("/v1/items", Auth.bearer("x"), "X-Forwarded-For", "6.6.6.6", "X-Forwarded-Proto", "https",
          "X-Forwarded-Host", "evil.example", "X-Real-IP", "6.6.6.6", "Forwarded", "for=6.6.6.6", "X-Forwarded-Prefix", "/evil");
      Map<String, List<String>> h = upstreamHeaders(r);
      assertThat(h.get("x-forwarded-for")).containsExactly("127.0.0.1");
      assertThat(h.get("x-forwarded-proto")).containsExactly("http");
      assertThat(h.get("x-forwarded-host")).containsExactly(http.base().substring("http://".length()));
      assertThat(h).doesNotContainKeys("x-real-ip", "forwarded", "x-forwarded-prefix");
      assertThat(gateway.lastAsked().ip()).as("a spoofed X-Forwarded-For is not the caller").isEqualTo("127.0.0.1");
    }

    @Test
    void answerWhenUpstreamSetsStatusThenItIsPassedOnUnchanged() {
      for (int status : new int[] {201, 204, 304, 400, 404, 418, 500, 503}) {
        TestHttp.Response r = http.get("/status/" + status, Auth.bearer("x"));
        assertThat(r.status()).isEqualTo(status);
        if (status != 204 && status != 304) {
          assertThat(r.json().path("status").asInt()).as("the upstream's own body").isEqualTo(status);
        }
      }
    }

    @Test
    void answerWhenUpstreamSendsHopByHopCorsAndCookieHeadersThenCookiesKeptHopByHopAndCorsDropped() {
      TestHttp.Response r = http.get("/answer-headers", Auth.bearer("x"));
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("ok");
      assertThat(r.headerValues("set-cookie")).containsExactlyInAnyOrder("a=1; Path=/", "b=2; Path=/");
      assertThat(r.header("cache-control")).isEqualTo("max-age=60");
      assertThat(r.headers()).doesNotContainKeys("access-control-allow-origin", "access-control-allow-credentials",
          "keep-alive", "proxy-authenticate", "x-hop");
    }

    @Test
    void upstreamWhenItSetCookiesThenTheGatewayKeepsNoneForLaterCallers() {
      http.get("/answer-headers", Auth.bearer("x"));
      TestHttp.Response r = http.get("/v1/items", Auth.bearer("x"));
      assertThat(upstreamHeaders(r)).doesNotContainKey("cookie");
    }

    @Test
    void callsWhenOneAfterAnotherThenTheUpstreamConnectionIsKeptAliveAndReused() {
      try (EchoUpstream own = EchoUpstream.start();
          GatewayHarness pooled = GatewayHarness.start(own.base(), Duration.ofSeconds(5), List.of())) {
        for (int i = 0; i < 10; i++) {
          assertThat(pooled.http.get("/v1/items?i=" + i, Auth.bearer("x")).status()).isEqualTo(200); // small, known length
          assertThat(pooled.http.post("/v1/items", Auth.bearer("x"), Map.of("i", i)).status()).isEqualTo(200);
          assertThat(pooled.http.get("/x/bytes?n=" + (100_000 + i), Auth.bearer("x")).status()).isEqualTo(200); // chunked
          assertThat(pooled.http.get("/x/sized?n=" + (100_000 + i), Auth.bearer("x")).status()).isEqualTo(200); // large, known length
          assertThat(pooled.http.get("/x/status/204", Auth.bearer("x")).status()).isEqualTo(204);
          assertThat(pooled.http.get("/x/status/404", Auth.bearer("x")).status()).isEqualTo(404);
        }
        assertThat(own.requests()).isEqualTo(60);
        assertThat(own.connections()).as("connections for 60 calls made one after another").isEqualTo(1);
      }
    }

    @Test
    void upstreamWithBasePathWhenCalledThenPathIsAppendedToIt() {
      try (GatewayHarness based = GatewayHarness.start(upstream.base() + "/base/", Duration.ofSeconds(5), List.of())) {
        TestHttp.Response r = based.http.get("/v1/items?x=1", Auth.bearer("x"));
        assertThat(r.text("path")).isEqualTo("/base/v1/items");
        assertThat(r.text("query")).isEqualTo("x=1");
      }
    }
  }

  @Nested
  class Streaming {
    @Test
    void requestBodyWhenSeveralMegabytesThenForwardedWhole() throws Exception {
      byte[] body = new byte[8 * 1024 * 1024 + 13];
      new Random(7).nextBytes(body);
      HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(http.base() + "/upload"))
          .header("Authorization", "Bearer x").header("Content-Type", "application/octet-stream")
          .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonNode echo = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
      assertThat(echo.path("bodyLength").asLong()).isEqualTo(body.length);
      assertThat(echo.path("bodySha256").asText()).isEqualTo(sha256(body));
      assertThat(echo.path("headers").path("content-length").get(0).asText()).isEqualTo(Integer.toString(body.length));
    }

    @Test
    void requestBodyWhenChunkedThenForwardedChunkedAndWhole() throws Exception {
      byte[] body = new byte[3 * 1024 * 1024 + 5];
      new Random(11).nextBytes(body);
      HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(http.base() + "/upload"))
          .header("Authorization", "Bearer x")
          .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build(),
          HttpResponse.BodyHandlers.ofString());
      JsonNode echo = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.body());
      assertThat(echo.path("bodyLength").asLong()).isEqualTo(body.length);
      assertThat(echo.path("bodySha256").asText()).isEqualTo(sha256(body));
      assertThat(echo.path("headers").path("transfer-encoding").get(0).asText()).isEqualToIgnoringCase("chunked");
      assertThat(echo.path("headers").has("expect")).as("no 100-continue round trip added").isFalse();
    }

    @Test
    void requestBodyWhenSentSlowlyThenUpstreamReadsItsStartBeforeTheCallerSendsTheRest() throws Exception {
      // A raw socket: the test decides exactly when each chunk leaves.
      try (Socket s = new Socket("127.0.0.1", URI.create(http.base()).getPort())) {
        s.setSoTimeout(20_000);
        OutputStream out = s.getOutputStream();
        out.write(("POST /wait-body HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer x\r\nTransfer-Encoding: chunked\r\n"
            + "Connection: close\r\n\r\n4\r\nabcd\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        assertThat(upstream.awaitFirstBytes(10)).as("the upstream got the body's start while the caller was still sending").isTrue();
        out.write("4\r\nefgh\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        StringBuilder answer = new StringBuilder();
        byte[] buffer = new byte[4096];
        while (!answer.toString().contains("bodySha256")) {
          int n = s.getInputStream().read(buffer);
          assertThat(n).as("answer so far: %s", answer).isPositive();
          answer.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
        }
        assertThat(answer.toString()).startsWith("HTTP/1.1 200").contains("\"bodyLength\":8");
      }
    }

    @Test
    void requestBodyWhenOverTheLimitThen413AndTheGatewayKeepsWorking() throws Exception {
      try (GatewayHarness small = GatewayHarness.start(upstream.base(), Duration.ofSeconds(5), List.of(), 1024 * 1024)) {
        byte[] body = new byte[2 * 1024 * 1024];
        // Expect: 100-continue, as careful clients send large bodies: the 413 comes before any byte
        // of the body, so no race with a connection closed while the caller is still sending.
        HttpResponse<String> sized = CLIENT.send(HttpRequest.newBuilder(URI.create(small.base() + "/upload")).expectContinue(true)
            .header("Authorization", "Bearer x").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(sized.statusCode()).as(sized.body()).isEqualTo(413);
        assertThat(sized.body()).contains("payload_too_large");
        int echoed = upstream.echoedBodies().size();
        HttpResponse<String> chunked;
        try {
          chunked = CLIENT.send(HttpRequest.newBuilder(URI.create(small.base() + "/upload"))
              .header("Authorization", "Bearer x")
              .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build(),
              HttpResponse.BodyHandlers.ofString());
          assertThat(chunked.statusCode()).as(chunked.body()).isEqualTo(413);
        } catch (IOException refusedMidBody) {
          // the gateway may also close the connection while the caller is still sending
        }
        assertThat(upstream.echoedBodies().subList(echoed, upstream.echoedBodies().size()))
            .as("the upstream never takes a cut-off body for a whole one").isEmpty();
        TestHttp.Response after = small.http.post("/v1/items", Auth.bearer("x"), Map.of("a", 1));
        assertThat(after.status()).as("later calls still work").isEqualTo(200);
        assertThat(after.json().path("bodyLength").asLong()).isEqualTo(7);
      }
    }

    @Test
    void answerBodyWhenSeveralMegabytesThenStreamedWhole() throws Exception {
      long n = 9L * 1024 * 1024 + 3;
      HttpResponse<InputStream> r = CLIENT.send(HttpRequest.newBuilder(URI.create(http.base() + "/bytes?n=" + n))
          .header("Authorization", "Bearer x").build(), HttpResponse.BodyHandlers.ofInputStream());
      assertThat(r.statusCode()).isEqualTo(200);
      long i = 0;
      try (InputStream in = r.body()) {
        byte[] buffer = new byte[64 * 1024];
        int read;
        while ((read = in.read(buffer)) >= 0) {
          for (int j = 0; j < read; j++, i++) {
            if (buffer[j] != EchoUpstream.pattern(i)) {
              throw new AssertionError("byte " + i + " differs");
            }
          }
        }
      }
      assertThat(i).isEqualTo(n);
    }

    @Test
    void answerBodyWhenUpstreamSendsPartThenWaitsThenTheCallerGetsThePartFirst() throws Exception {
      HttpResponse<InputStream> r = CLIENT.send(HttpRequest.newBuilder(URI.create(http.base() + "/stream"))
          .header("Authorization", "Bearer x").build(), HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = r.body()) {
        byte[] first = in.readNBytes("first;".length());
        assertThat(new String(first, StandardCharsets.US_ASCII)).as("got before the upstream went on").isEqualTo("first;");
        upstream.releaseStream();
        assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("second;");
      }
    }

    @Test
    void answerBodyWhenUpstreamBreaksOffThenTheCallerSeesABrokenAnswerNotAShortOne() {
      for (String path : List.of("/broken", "/broken-chunked")) {
        assertThatThrownBy(() -> CLIENT.send(HttpRequest.newBuilder(URI.create(http.base() + path))
            .header("Authorization", "Bearer x").build(), HttpResponse.BodyHandlers.ofByteArray()))
            .as(path).isInstanceOf(IOException.class);
      }
    }
  }

  @Nested
  class Refused {
    @Test
    void unknownExpiredAndRevokedWhenRefusedThenOneIdentical401() {
      JsonNode first = null;
      Map<String, List<String>> firstHeaders = null;
      int before = upstream.requests();
      for (DecisionCode code : List.of(DecisionCode.NOT_FOUND, DecisionCode.EXPIRED, DecisionCode.REVOKED)) {
        gateway.decisions.set(r -> refuse(code, "The key " + code + " (a message that must not show)"));
        TestHttp.Response r = http.get("/v1/items", Auth.bearer("kw_test_x"));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.headerValues("www-authenticate"))
            .containsExactly("Bearer realm=\"keyward\", error=\"invalid_token\"", "Basic realm=\"keyward\", charset=\"UTF-8\"");
        assertThat(r.header("content-type")).isEqualTo(JSON_TYPE);
        assertThat(r.error()).isEqualTo("invalid_credentials");
        assertThat(r.text("message")).isEqualTo(dev.keyward.core.auth.Authenticator.MISSING_OR_INVALID_MESSAGE);
        assertThat(r.body()).doesNotContain("must not show").doesNotContain("kw_test_x");
        JsonNode body = r.json().deepCopy();
        assertThat(body.path("request_id").asText()).isNotBlank();
        ((ObjectNode) body).remove("request_id");
        Map<String, List<String>> headers = new TreeMap<>(r.headers());
        headers.remove("date");
        headers.remove("x-request-id");
        headers.remove("content-length"); // the request id in the body varies in length
        if (first == null) {
          first = body;
          firstHeaders = headers;
        } else {
          assertThat(body).isEqualTo(first);
          assertThat(headers).isEqualTo(firstHeaders);
        }
      }
      assertThat(upstream.requests()).isEqualTo(before);
    }

    @Test
    void refusalsWhenDecidedThenStatusCodeAndMessageOfTheDecisionAndUpstreamNeverReached() {
      int before = upstream.requests();
      for (DecisionCode code : DecisionCode.values()) {
        if (code == DecisionCode.VALID || code.status() == 401) {
          continue;
        }
        gateway.decisions.set(r -> refuse(code, "Because " + code.name()));
        TestHttp.Response r = http.post("/v1/items", Auth.bearer("x"), Map.of("a", 1));
        assertThat(r.status()).as(code.name()).isEqualTo(code.status());
        assertThat(r.header("content-type")).isEqualTo(JSON_TYPE);
        assertThat(r.error()).isEqualTo(code.name().toLowerCase(java.util.Locale.ROOT));
        assertThat(r.text("message")).isEqualTo("Because " + code.name());
        assertThat(r.headers()).doesNotContainKey("www-authenticate");
      }
      assertThat(upstream.requests()).as("no refused call reaches the upstream").isEqualTo(before);
    }

    @Test
    void rateLimitedWhenRefusedThen429WithRetryAfterAndRateLimitHeaders() {
      gateway.decisions.set(r -> new dev.keyward.core.authz.Decision(DecisionCode.RATE_LIMITED, "Slow down", ALICE, null, null,
          new dev.keyward.core.authz.Decision.Limit(100, 0, NOW.plusMillis(12_300)), null, List.of()));
      TestHttp.Response r = http.get("/v1/items", Auth.bearer("x"));
      assertThat(r.status()).isEqualTo(429);
      assertThat(r.error()).isEqualTo("rate_limited");
      assertThat(r.header("retry-after")).isEqualTo("13");
      assertThat(r.header("ratelimit-limit")).isEqualTo("100");
      assertThat(r.header("ratelimit-remaining")).isEqualTo("0");
      assertThat(r.header("ratelimit-reset")).isEqualTo("13");
    }

    @Test
    void methodNotAllowedWhenRefusedThen405WithAllowFromTheDecision() {
      gateway.decisions.set(r -> new Decision(DecisionCode.METHOD_NOT_ALLOWED, "This path allows GET, HEAD, POST",
          null, null, null, null, null, List.of(), List.of("GET", "HEAD", "POST")));
      TestHttp.Response r = http.delete("/v1/items", Auth.bearer("x"));
      assertThat(r.status()).isEqualTo(405);
      assertThat(r.header("allow")).isEqualTo("GET, HEAD, POST");
    }

    @Test
    void storeUnavailableWhenDecidingThen503WithRetryAfterAndUpstreamNeverReached() {
      int before = upstream.requests();
      gateway.decisions.set(r -> {
        throw KeywardException.unavailable("test: store down", null);
      });
      TestHttp.Response r = http.get("/v1/items", Auth.bearer("kw_test_x"));
      assertThat(r.status()).isEqualTo(503);
      assertThat(r.error()).isEqualTo("unavailable");
      assertThat(r.header("retry-after")).isEqualTo("5");
      assertThat(r.body()).doesNotContain("test: store down");
      assertThat(upstream.requests()).isEqualTo(before);
    }

    @Test
    void decisionWhenItFailsUnexpectedlyThen500AndUpstreamNeverReached() {
      int before = upstream.requests();
      gateway.decisions.set(r -> {
        throw new IllegalStateException("bug");
      });
      TestHttp.Response r = http.get("/v1/items", Auth.bearer("x"));
      assertThat(r.status()).isEqualTo(500);
      assertThat(r.body()).doesNotContain("bug").doesNotContain("IllegalState");
      assertThat(upstream.requests()).isEqualTo(before);
    }

    @Test
    void methodOrPathOverrideWhenSentThen400BeforeAnyDecisionAndUpstreamNeverReached() {
      int before = upstream.requests();
      int asked = gateway.asked.size();
      for (String header : List.of("X-HTTP-Method-Override", "x-http-method", "X-Method-Override", "X-Original-Method",
          "X-Original-URL", "X-Rewrite-URL")) {
        TestHttp.Response r = http.get("/v1/items", Auth.bearer("x"), header, header.toLowerCase(java.util.Locale.ROOT).contains("url")
            ? "/admin" : "DELETE");
        assertThat(r.status()).as(header).isEqualTo(400);
        assertThat(r.json().path("field").asText()).isEqualToIgnoringCase(header);
      }
      for (String query : List.of("?_method=DELETE", "?a=1&_METHOD=delete")) {
        TestHttp.Response r = http.post("/v1/items" + query, Auth.bearer("x"), Map.of());
        assertThat(r.status()).as(query).isEqualTo(400);
        assertThat(r.json().path("field").asText()).isEqualTo("_method");
      }
      assertThat(gateway.asked).hasSize(asked);
      assertThat(upstream.requests()).isEqualTo(before);
      assertThat(http.get("/v1/items?method=x&x_method=y", Auth.bearer("x")).status()).as("other names pass").isEqualTo(200);
    }

    @Test
    void twoTenantHeadersWhenSentThen400BeforeAnyDecision() {
      int asked = gateway.asked.size();
      TestHttp.Response r = http.rawGet("/v1/items", "X-Keyward-Tenant: a", "X-Keyward-Tenant: b");
      assertThat(r.status()).isEqualTo(400);
      assertThat(gateway.asked).hasSize(asked);
    }
  }

  @Nested
  class RateLimitHeaders {
    @Test
    void allowedWhenTheKeyHasALimitThenRateLimitHeadersOnTheUpstreamsAnswer() {
      gateway.decisions.set(r -> allowLimited(ALICE, 60, 59, NOW.plusSeconds(30)));
      TestHttp.Response r = http.get("/v1/items", Auth.bearer("x"));
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("ratelimit-limit")).isEqualTo("60");
      assertThat(r.header("ratelimit-remaining")).isEqualTo("59");
      assertThat(r.header("ratelimit-reset")).isEqualTo("30");
    }

    @Test
    void allowedWhenNoLimitThenNoRateLimitHeaders() {
      TestHttp.Response r = http.get("/v1/items", Auth.bearer("x"));
      assertThat(r.headers()).doesNotContainKeys("ratelimit-limit", "ratelimit-remaining", "ratelimit-reset");
    }

    @Test
    void refusedWhenTheKeyHasALimitThenRateLimitHeadersToo() {
      gateway.decisions.set(r -> new dev.keyward.core.authz.Decision(DecisionCode.FORBIDDEN, "No", ALICE, null, null,
          new dev.keyward.core.authz.Decision.Limit(10, 3, NOW.plusSeconds(5)), null, List.of()));
      TestHttp.Response r = http.get("/v1/items", Auth.bearer("x"));
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.header("ratelimit-remaining")).isEqualTo("3");
      assertThat(r.header("ratelimit-reset")).isEqualTo("5");
    }
  }

  @Nested
  class UpstreamFailures {
    @Test
    void upstreamWhenNothingListensThen502Json() throws Exception {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      try (GatewayHarness down = GatewayHarness.start("http://127.0.0.1:" + port, Duration.ofSeconds(5), List.of())) {
        TestHttp.Response r = down.http.get("/v1/items", Auth.bearer("x"));
        assertThat(r.status()).isEqualTo(502);
        assertThat(r.header("content-type")).isEqualTo(JSON_TYPE);
        assertThat(r.error()).isEqualTo("bad_gateway");
        assertThat(r.body()).doesNotContain("127.0.0.1:" + port).doesNotContain("Exception");
      }
    }

    @Test
    void upstreamWhenSlowerThanTheTimeoutThen504Json() {
      try (GatewayHarness impatient = GatewayHarness.start(upstream.base(), Duration.ofMillis(300), List.of())) {
        long start = System.nanoTime();
        TestHttp.Response r = impatient.http.get("/slow?ms=3000", Auth.bearer("x"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(r.status()).isEqualTo(504);
        assertThat(r.header("content-type")).isEqualTo(JSON_TYPE);
        assertThat(r.error()).isEqualTo("gateway_timeout");
        assertThat(millis).as("answered at the timeout, not when the upstream finished").isLessThan(2500);
        TestHttp.Response fast = impatient.http.get("/slow?ms=10", Auth.bearer("x"));
        assertThat(fast.status()).as("within the timeout").isEqualTo(200);
      }
    }
  }

  @Nested
  class TrustedProxy {
    @Test
    void peerWhenTrustedThenRightMostUntrustedForwardedForIsTheCallerAndTheChainIsAppended() {
      try (GatewayHarness behind = GatewayHarness.start(upstream.base(), Duration.ofSeconds(5), List.of("127.0.0.0/8", "10.0.0.0/8"))) {
        TestHttp.Response r = behind.http.rawGet("/v1/items", "Authorization: Bearer x",
            "X-Forwarded-For: 6.6.6.6, 203.0.113.7", "X-Forwarded-For: 10.1.2.3", "X-Forwarded-Proto: https",
            "X-Forwarded-Host: api.example.com", "X-Real-IP: 1.1.1.1");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(behind.lastAsked().ip()).isEqualTo("203.0.113.7");
        Map<String, List<String>> h = upstreamHeaders(r);
        assertThat(h.get("x-forwarded-for")).containsExactly("6.6.6.6, 203.0.113.7, 10.1.2.3, 127.0.0.1");
        assertThat(h.get("x-forwarded-proto")).containsExactly("https");
        assertThat(h.get("x-forwarded-host")).containsExactly("api.example.com");
        assertThat(h.get("x-real-ip")).containsExactly("1.1.1.1");
      }
    }
  }

  @Nested
  class Cors {
    @Test
    void preflightWhenPathIsRoutedThen204WithCorsHeadersWithoutDecisionOrUpstream() {
      int before = upstream.requests();
      int asked = gateway.asked.size();
      TestHttp.Response r = http.send("OPTIONS", "/v1/items", Auth.NONE, null, null,
          "Origin", "https://app.example.com", "Access-Control-Request-Method", "POST",
          "Access-Control-Request-Headers", "authorization, content-type");
      assertThat(r.status()).isEqualTo(204);
      assertThat(r.body()).isEmpty();
      assertThat(r.header("access-control-allow-origin")).isEqualTo("https://app.example.com");
      assertThat(r.headerValues("vary")).contains("Origin");
      assertThat(r.header("access-control-allow-methods")).isEqualTo("GET, HEAD, POST");
      assertThat(r.header("access-control-allow-headers")).isEqualTo("Authorization, Content-Type");
      assertThat(r.header("access-control-max-age")).isEqualTo("600");
      assertThat(r.headers()).doesNotContainKey("access-control-allow-credentials");
      assertThat(upstream.requests()).isEqualTo(before);
      assertThat(gateway.asked).hasSize(asked);
    }

    @Test
    void preflightWhenOriginIsNullOrNotAWebOriginThen403WithoutCorsHeaders() {
      for (String origin : List.of("null", "*", "https://a.example.com/path", "file://", "https://user@a.example.com",
          "https://" + "a".repeat(400) + ".com", "javascript:alert(1)")) {
        TestHttp.Response r = http.send("OPTIONS", "/v1/items", Auth.NONE, null, null,
            "Origin", origin, "Access-Control-Request-Method", "GET");
        assertThat(r.status()).as(origin).isEqualTo(403);
        assertThat(r.error()).isEqualTo("origin_not_allowed");
        assertThat(r.headers()).doesNotContainKey("access-control-allow-origin");
      }
    }

    @Test
    void preflightWhenPathIsNotRoutedThenTheDecisionAnswersWithoutCorsHeaders() {
      gateway.decisions.set(r -> refuse(DecisionCode.ROUTE_NOT_FOUND, "No route for this path"));
      TestHttp.Response r = http.send("OPTIONS", "/none/here", Auth.NONE, null, null,
          "Origin", "https://app.example.com", "Access-Control-Request-Method", "GET");
      assertThat(r.status()).isEqualTo(404);
      assertThat(r.error()).isEqualTo("route_not_found");
      assertThat(r.headers()).doesNotContainKey("access-control-allow-origin");
      assertThat(gateway.lastAsked().method()).isEqualTo("OPTIONS");
    }

    @Test
    void browserCallWhenAllowedThenOriginEchoedWithVaryAndTheUpstreamsVaryKept() {
      TestHttp.Response r = http.get("/answer-headers", Auth.bearer("x"), "Origin", "https://app.example.com");
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("access-control-allow-origin")).isEqualTo("https://app.example.com");
      assertThat(String.join(",", r.headerValues("vary"))).contains("Accept-Encoding").contains("Origin");
    }

    @Test
    void browserCallWhenRefusedThenNoCorsHeaders() {
      gateway.decisions.set(r -> refuse(DecisionCode.ORIGIN_NOT_ALLOWED, "This key does not allow calls from this origin"));
      TestHttp.Response r = http.get("/v1/items", Auth.bearer("x"), "Origin", "https://evil.example.com");
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.error()).isEqualTo("origin_not_allowed");
      assertThat(r.headers()).doesNotContainKeys("access-control-allow-origin", "access-control-allow-methods");
    }

    @Test
    void twoOriginHeadersWhenSentThen400() {
      TestHttp.Response r = http.rawGet("/v1/items", "Origin: https://a.example.com", "Origin: https://b.example.com");
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.headers()).doesNotContainKey("access-control-allow-origin");
    }
  }
}
