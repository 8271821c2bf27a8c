package dev.keyward.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.keyward.core.auth.Principal;
import dev.keyward.core.authz.Decision;
import dev.keyward.core.authz.DecisionCode;
import dev.keyward.core.authz.Permission;
import dev.keyward.core.key.Environment;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The remote door against a stand-in for the verification endpoint (the JDK's HTTP server): what
 * it sends, how it reads every documented answer, and that everything else fails closed. The real
 * endpoint is exercised in {@code FilterIT}.
 */
class RemoteDeciderTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String SERVICE_KEY = "kw_live_ServiceCredentialXYZ0123456789abcdefghijklmnopq";
  static final String CALLER_KEY = "kw_test_CallerKeyMaterial0123456789abcdefghijklmnopqr";

  HttpServer server;
  final List<Seen> seen = new CopyOnWriteArrayList<>();
  volatile int status = 200;
  volatile String answer = "{}";
  volatile long delayMillis;
  final List<String> logs = new CopyOnWriteArrayList<>();
  final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord r) {
      logs.add(r.getMessage() + (r.getThrown() == null ? "" : " " + r.getThrown()));
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  record Seen(String method, String path, String authorization, String contentType, JsonNode body) {}

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
    Logger.getLogger(RemoteDecider.class.getName()).addHandler(capture);
  }

  @AfterEach
  void stop() {
    server.stop(0);
    Logger.getLogger(RemoteDecider.class.getName()).removeHandler(capture);
    assertThat(String.join("\n", logs)).doesNotContain(SERVICE_KEY, CALLER_KEY);
  }

  private void handle(HttpExchange ex) throws IOException {
    byte[] in = ex.getRequestBody().readAllBytes();
    seen.add(new Seen(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), ex.getRequestHeaders().getFirst("Authorization"),
        ex.getRequestHeaders().getFirst("Content-Type"), in.length == 0 ? JSON.nullNode() : JSON.readTree(in)));
    if (delayMillis > 0) {
      try {
        Thread.sleep(delayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    byte[] out = answer.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, out.length == 0 ? -1 : out.length);
    ex.getResponseBody().write(out);
    ex.close();
  }

  URI base() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  Decider decider() {
    return RemoteDecider.builder(base(), SERVICE_KEY).timeout(Duration.ofMillis(800)).build();
  }

  static Question question() {
    return Question.of(List.of("Bearer " + CALLER_KEY), "GET", "/v1/invoices/42");
  }

  static final String VALID = """
      {"valid":true,"code":"VALID","message":"Allowed",
       "principal":{"tenantId":"ten_1","tenant":"acme","userId":"usr_1","email":"a@acme.example",
                    "roles":["CFO","Accountant"],"credential":"api_key","keyId":"key_1","environment":"production"},
       "permission":"invoices:read","resource":"invoice://42",
       "ratelimit":{"limit":100,"remaining":99,"resetAt":"2030-01-01T00:00:10Z"},"quota":7,"extra":"ignored"}""";

  @Test
  void decideWhenAskedThenPostsTheQuestionWithServiceCredentialAsBearer() {
    answer = VALID;
    decider().decide(question().withOrigin("https://app.example").withIp("198.51.100.4").withTenant("acme")
        .withResource("invoice://42"));
    assertThat(seen).hasSize(1);
    Seen s = seen.get(0);
    assertThat(s.method()).isEqualTo("POST");
    assertThat(s.path()).isEqualTo("/api/v1/verify");
    assertThat(s.authorization()).isEqualTo("Bearer " + SERVICE_KEY);
    assertThat(s.contentType()).isEqualTo("application/json");
    assertThat(s.body()).isEqualTo(JSON.createObjectNode()
        .put("credential", "Bearer " + CALLER_KEY).put("method", "GET").put("path", "/v1/invoices/42")
        .put("resource", "invoice://42").put("origin", "https://app.example").put("ip", "198.51.100.4")
        .put("tenant", "acme"));
  }

  @Test
  void decideWhenPermissionAskedThenSentInsteadOfMethodAndPath() {
    answer = VALID;
    decider().decide(question().withPermission(new Permission("invoices", "read")));
    assertThat(seen.get(0).body()).isEqualTo(JSON.createObjectNode()
        .put("credential", "Bearer " + CALLER_KEY).put("permission", "invoices:read"));
  }

  static String notFound(String message) {
    return "{\"valid\":false,\"code\":\"NOT_FOUND\",\"message\":\"" + message + "\",\"principal\":null,"
        + "\"permission\":\"invoices:read\",\"resource\":null,\"ratelimit\":null,\"quota\":null}";
  }

  @Test
  void decideWhenHeadersDoNotParseThenAnUnusableStandInIsAskedAndTheHeadersOwnRefusalAnswered() {
    answer = notFound("The Bearer credential is empty");
    // None, several, and one without a scheme (which the verification API would take for a bare key).
    Map<List<String>, String> cases = new LinkedHashMap<>();
    cases.put(List.of(), "Authentication required");
    cases.put(List.of("Bearer " + CALLER_KEY, "Bearer " + CALLER_KEY), "exactly one Authorization header");
    cases.put(List.of(CALLER_KEY), "needs a scheme");
    for (Map.Entry<List<String>, String> c : cases.entrySet()) {
      seen.clear();
      Verdict v = decider().decide(Question.of(c.getKey(), "GET", "/v1/invoices"));
      assertThat(seen.get(0).body().path("credential").asText()).isEqualTo(VerifyWire.UNUSABLE_CREDENTIAL);
      assertThat(seen.get(0).body().toString()).doesNotContain(CALLER_KEY);
      assertThat(v.decision().code()).isEqualTo(DecisionCode.NOT_FOUND);
      assertThat(v.message()).as(c.getKey().toString()).contains(c.getValue());
      assertThat(v.decision().permission()).isEqualTo(new Permission("invoices", "read"));
    }
  }

  @Test
  void decideWhenHeadersDoNotParseAndRouteDecidedFirstThenThatAnswerKept() {
    answer = "{\"valid\":false,\"code\":\"ROUTE_NOT_FOUND\",\"message\":\"No route matches /x\",\"principal\":null}";
    Verdict v = decider().decide(Question.of(List.of(), "GET", "/x"));
    assertThat(v.decision().code()).isEqualTo(DecisionCode.ROUTE_NOT_FOUND);
    assertThat(v.message()).isEqualTo("No route matches /x");
  }

  @Test
  void decideWhenHeadersDoNotParseButKeywardNamesACallerThenUnavailable() {
    answer = VALID;
    assertThat(decider().decide(Question.of(List.of(), "GET", "/x"))).isInstanceOf(Verdict.Unavailable.class);
  }

  @Test
  void decideWhenOptionalPartsAbsentThenTheyAreNotSent() {
    answer = VALID;
    decider().decide(question());
    assertThat(fieldNames(seen.get(0).body())).containsExactly("credential", "method", "path");
  }

  @Test
  void decideWhenCredentialHasASchemeThenSentAsItIsAndBasePrefixKept() {
    answer = VALID;
    RemoteDecider d = RemoteDecider.builder(URI.create(base() + "/kw/"), "Basic c3ZjQGFjbWU6cHc=").build();
    d.decide(question());
    assertThat(seen.get(0).authorization()).isEqualTo("Basic c3ZjQGFjbWU6cHc=");
    assertThat(seen.get(0).path()).isEqualTo("/kw/api/v1/verify");
    assertThat(d.verifyUri().toString()).endsWith("/kw/api/v1/verify");
  }

  @Test
  void decideWhenValidThenEveryFieldRead() {
    answer = VALID;
    Verdict v = decider().decide(question());
    assertThat(v.allowed()).isTrue();
    assertThat(v.status()).isEqualTo(200);
    Decision d = v.decision();
    assertThat(d).isEqualTo(new Decision(DecisionCode.VALID, "Allowed",
        new Principal("ten_1", "acme", "usr_1", "a@acme.example", Set.of("CFO", "Accountant"), Principal.CredentialType.API_KEY,
            "key_1", Environment.PRODUCTION, false),
        new Permission("invoices", "read"), "invoice://42",
        new Decision.Limit(100, 99, Instant.parse("2030-01-01T00:00:10Z")), 7L, List.of()));
  }

  @Test
  void decideWhenPublicRouteThenAllowedWithoutPrincipal() {
    answer = "{\"valid\":true,\"code\":\"VALID\",\"message\":\"Public route\",\"principal\":null,\"permission\":null,"
        + "\"resource\":null,\"ratelimit\":null,\"quota\":null}";
    Verdict v = decider().decide(question());
    assertThat(v.allowed()).isTrue();
    assertThat(v.principal()).isNull();
    assertThat(v.decision()).isEqualTo(new Decision(DecisionCode.VALID, "Public route", null, null, null, null, null, List.of()));
  }

  @Test
  void decideWhenResetAtIsEpochSecondsThenRead() {
    answer = VALID.replace("\"2030-01-01T00:00:10Z\"", "1893456010");
    assertThat(decider().decide(question()).decision().rateLimit().resetAt()).isEqualTo(Instant.parse("2030-01-01T00:00:10Z"));
  }

  @Test
  void decideWhenEveryRefusalCodeThenDecidedWithItsStatus() {
    for (DecisionCode code : DecisionCode.values()) {
      if (code == DecisionCode.VALID) {
        continue;
      }
      answer = "{\"valid\":false,\"code\":\"" + code + "\",\"message\":\"no: " + code + "\",\"principal\":null,"
          + "\"permission\":null,\"resource\":null,\"ratelimit\":null,\"quota\":null}";
      Verdict v = decider().decide(question());
      assertThat(v).as(code.name()).isInstanceOf(Verdict.Decided.class);
      assertThat(v.allowed()).isFalse();
      assertThat(v.decision().code()).isEqualTo(code);
      assertThat(v.status()).isEqualTo(code.status());
      assertThat(v.message()).isEqualTo("no: " + code);
    }
  }

  @Test
  void decideWhenAnswerNotExactlyReadableThenUnavailable() {
    List<String> bad = new ArrayList<>(List.of(
        "{\"valid\":false,\"code\":\"SOMETHING_NEW\",\"message\":\"x\"}",
        "{\"valid\":true,\"code\":\"FORBIDDEN\",\"message\":\"x\"}",
        "{\"valid\":false,\"code\":\"VALID\",\"message\":\"x\"}",
        "{\"valid\":\"true\",\"code\":\"VALID\",\"message\":\"x\"}",
        VALID.replace("\"userId\":\"usr_1\",", ""),
        VALID.replace("\"api_key\"", "\"telepathy\""),
        VALID.replace("\"production\"", "\"staging\""),
        VALID.replace("[\"CFO\",\"Accountant\"]", "\"CFO\""),
        VALID.replace("\"invoices:read\"", "\"not a permission\""),
        VALID.replace("\"2030-01-01T00:00:10Z\"", "\"tomorrow\""),
        VALID.replace("\"quota\":7", "\"quota\":\"7\""),
        "[]", "not json", ""));
    for (String body : bad) {
      answer = body;
      Verdict v = decider().decide(question());
      assertThat(v).as(body).isInstanceOf(Verdict.Unavailable.class);
      assertThat(v.allowed()).isFalse();
      assertThat(v.status()).isEqualTo(503);
    }
  }

  @Test
  void decideWhenAnswerTooLongThenUnavailable() {
    answer = VALID.replace("\"extra\":\"ignored\"", "\"extra\":\"" + "x".repeat(RemoteDecider.MAX_ANSWER_BYTES) + "\"");
    assertThat(decider().decide(question())).isInstanceOf(Verdict.Unavailable.class);
  }

  @Test
  void decideWhenServiceCredentialRefusedThenUnavailableAndLoggedWithoutIt() {
    for (int s : List.of(401, 403)) {
      status = s;
      answer = "{\"error\":\"forbidden\",\"message\":\"needs keyward:verify\"}";
      Verdict v = decider().decide(question());
      assertThat(v).isInstanceOf(Verdict.Unavailable.class);
      assertThat(((Verdict.Unavailable) v).reason()).contains("keyward:verify").doesNotContain(SERVICE_KEY);
    }
    assertThat(logs).anySatisfy(l -> assertThat(l).contains("service credential"));
  }

  @Test
  void decideWhenQuestionRefusedAs400ThenRejectedWithErrorAndField() {
    status = 400;
    answer = "{\"error\":\"invalid_request\",\"message\":\"'tenant' is not a tenant slug\",\"field\":\"tenant\",\"request_id\":\"r1\"}";
    Verdict v = decider().decide(question());
    assertThat(v).isEqualTo(new Verdict.Rejected(400, "invalid_request", "'tenant' is not a tenant slug", "tenant"));
  }

  @Test
  void decideWhenKeywardFailsThenUnavailable() {
    for (int s : List.of(500, 502, 503, 404)) {
      status = s;
      answer = s == 404 ? "<html>not here</html>" : "{\"error\":\"unavailable\",\"message\":\"db down\"}";
      assertThat(decider().decide(question())).as("status " + s).isInstanceOf(Verdict.Unavailable.class);
    }
  }

  @Test
  void decideWhenKeywardTooSlowThenUnavailableWithinTheTimeout() {
    answer = VALID;
    delayMillis = 6000;
    long start = System.nanoTime();
    Verdict v = RemoteDecider.builder(base(), SERVICE_KEY).timeout(Duration.ofMillis(300)).build().decide(question());
    long took = (System.nanoTime() - start) / 1_000_000;
    assertThat(v).isInstanceOf(Verdict.Unavailable.class);
    assertThat(((Verdict.Unavailable) v).reason()).contains("300 ms");
    // Returned at the timeout, long before Keyward would have answered (generous: loaded CI machines).
    assertThat(took).isBetween(250L, 4000L);
  }

  @Test
  void decideWhenNothingListensThenUnavailable() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Verdict v = Decider.remote(URI.create("http://127.0.0.1:" + port), SERVICE_KEY).decide(question());
    assertThat(v).isInstanceOf(Verdict.Unavailable.class);
    assertThat(v.message()).isEqualTo(Verdict.Unavailable.PUBLIC_MESSAGE);
  }

  @Test
  void decideWhenConnectionsReusedThenEveryCallAnswered() {
    answer = VALID;
    Decider d = decider();
    for (int i = 0; i < 20; i++) {
      assertThat(d.decide(question()).allowed()).isTrue();
    }
    assertThat(seen).hasSize(20);
  }

  @Test
  void toStringWhenPrintedThenNoCredential() {
    RemoteDecider.Builder b = RemoteDecider.builder(base(), SERVICE_KEY);
    assertThat(b.toString()).doesNotContain(SERVICE_KEY);
    assertThat(b.build().toString()).contains("/api/v1/verify").contains("<redacted>").doesNotContain(SERVICE_KEY);
    assertThat(question().toString()).doesNotContain(CALLER_KEY).contains("1 redacted");
  }

  @Test
  void builderWhenBadAddressCredentialOrTimeoutThenRefusedWithoutEchoingTheCredential() {
    assertThatThrownBy(() -> RemoteDecider.builder(URI.create("/relative"), SERVICE_KEY).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http(s)");
    assertThatThrownBy(() -> RemoteDecider.builder(URI.create("http://u:" + SERVICE_KEY + "@h/"), SERVICE_KEY).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining(SERVICE_KEY);
    assertThatThrownBy(() -> RemoteDecider.builder(URI.create("http://h/?x=1"), SERVICE_KEY).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RemoteDecider.builder(base(), "  ").build()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RemoteDecider.builder(base(), "Bearer x\r\nX-Evil: 1").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("x\r\n");
    assertThatThrownBy(() -> RemoteDecider.builder(base(), SERVICE_KEY).timeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> names = new ArrayList<>();
    n.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
