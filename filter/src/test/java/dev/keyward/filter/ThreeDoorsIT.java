package dev.keyward.filter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyward.core.authz.DecisionCode;
import dev.keyward.core.authz.WebOrigin;
import dev.keyward.filter.FilterIT.Keys;
import dev.keyward.server.KeywardConfig.GatewaySettings;
import dev.keyward.server.testing.EchoUpstream;
import dev.keyward.server.testing.TestHttp;
import dev.keyward.server.testing.TestHttp.Auth;
import dev.keyward.server.testing.TestServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The three doors of one decision against each other, over HTTP: the same call sent to the
 * gateway (a Keyward server in front of an echoing upstream), to a servlet application behind
 * the filter (asking that server remotely), and asked of the verification API. For each kind of
 * call — allowed, every way a credential can be bad, each refusal the decision has — the gateway
 * and the filter answer with the same status, error code, message and decision headers, and the
 * verification API names the code both doors turned into that status.
 */
class ThreeDoorsIT {
  /** A Keyward server that is also a gateway in front of an echoing upstream, and a filtered servlet application asking it. */
  record Doors(EchoUpstream upstream, TestServer keyward, ServletApp app, TestHttp gateway, TestHttp filtered, String verifier)
      implements AutoCloseable {
    static Doors start(Path routes) throws Exception {
      EchoUpstream upstream = EchoUpstream.start();
      TestServer keyward = TestServer.start(c -> c.withRoutes(routes)
          .withGateway(GatewaySettings.NONE.withUpstream(URI.create(upstream.base()))));
      String verifier = Keys.verifier(keyward);
      ServletApp app = ServletApp.start(Map.of(KeywardFilter.URL_PARAM, keyward.http().base(), KeywardFilter.CREDENTIAL_PARAM, verifier));
      return new Doors(upstream, keyward, app, keyward.http(), new TestHttp(app.base()), verifier);
    }

    @Override
    public void close() throws Exception {
      app.close();
      keyward.close();
      upstream.close();
    }
  }

  static Doors invoicing;
  static Doors algorithms;

  @BeforeAll
  static void start() throws Exception {
    invoicing = Doors.start(FilterIT.ROUTES);
    algorithms = Doors.start(DoorsIT.ROUTES);
  }

  @AfterAll
  static void stop() throws Exception {
    invoicing.close();
    algorithms.close();
  }

  /** One kind of call: how to make it at a door, given a credential made for that door. */
  record Call(String name, String method, String path, Function<Integer, @Nullable String> credential, String... headers) {}

  /** What must agree between the doors. */
  static Map<String, Object> seen(TestHttp.Response r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("status", r.status());
    if (r.status() >= 400) {
      JsonNode body = r.json().deepCopy();
      ObjectNode o = (ObjectNode) body;
      o.remove("request_id"); // the gateway's, for its logs
      // Each door's key has its own window, started a few milliseconds apart.
      o.put("message", o.path("message").asText().replaceAll("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z", "<instant>"));
      m.put("body", body);
    }
    for (String h : List.of("WWW-Authenticate", "Allow", "RateLimit-Limit", "RateLimit-Remaining", "Access-Control-Allow-Origin",
        "Access-Control-Expose-Headers", "Access-Control-Allow-Methods", "Access-Control-Allow-Headers", "Access-Control-Max-Age")) {
      m.put(h, r.headerValues(h));
    }
    m.put("Vary: Origin", r.headerValues("Vary").stream().anyMatch(v -> v.contains("Origin")));
    m.put("Retry-After present", r.header("Retry-After") != null);
    return m;
  }

  static TestHttp.Response send(TestHttp door, Call call, int doorIndex) {
    String credential = call.credential().apply(doorIndex);
    // A credential with its scheme ("Basic …") goes as it is; a bare one as a Bearer credential.
    Auth auth = credential == null ? Auth.NONE : credential.contains(" ") ? Auth.raw(credential) : Auth.bearer(credential);
    return door.send(call.method(), call.path(), auth, null, null, call.headers());
  }

  /** The verification API's code for the same call (asked after both doors, so it sees what they consumed). */
  static JsonNode verify(Doors doors, Call call, int doorIndex) {
    Map<String, Object> q = new LinkedHashMap<>();
    String credential = call.credential().apply(doorIndex);
    if (credential != null) {
      q.put("credential", credential);
    }
    q.put("method", call.method().equals("HEAD") ? "GET" : call.method());
    q.put("path", call.path());
    // The verification API takes the origin the caller read (Origin, else Referer's), as the doors read it.
    String origin = null;
    String referer = null;
    for (int i = 0; i + 1 < call.headers().length; i += 2) {
      if (call.headers()[i].equalsIgnoreCase("Origin")) {
        origin = call.headers()[i + 1];
      } else if (call.headers()[i].equalsIgnoreCase("Referer")) {
        referer = call.headers()[i + 1];
      }
    }
    String read = WebOrigin.ofCall(origin, referer);
    if (read != null) {
      q.put("origin", read);
    }
    q.put("ip", "127.0.0.1");
    TestHttp.Response r = doors.gateway().post("/api/v1/verify/explain", Auth.bearer(doors.verifier()), q);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  @Test
  void everyKindOfCallWhenSentToGatewayAndFilterThenSameAnswerAndTheVerificationApiNamesIt() throws Exception {
    TestServer keyward = invoicing.keyward();
    TestHttp admin = keyward.http();
    Keys.User cfo = Keys.user(keyward, "CFO");
    Keys.User viewer = Keys.user(keyward, "Viewer");
    String cfoKey = Keys.key(keyward, cfo, Map.of());
    String viewerKey = Keys.key(keyward, viewer, Map.of());
    Keys.NewKey revoked = Keys.newKey(keyward, cfo, Map.of());
    assertThat(admin.post("/api/v1/keys/" + revoked.id() + "/revoke", cfo.auth(), Map.of()).status()).isEqualTo(200);
    // Keys whose use is consumed get one per door, so that each door sees the same state.
    List<String> limited = List.of(
        Keys.key(keyward, cfo, Map.of("rateLimit", Map.of("limit", 1, "periodSeconds", 3600))),
        Keys.key(keyward, cfo, Map.of("rateLimit", Map.of("limit", 1, "periodSeconds", 3600))));
    List<String> quota = List.of(Keys.key(keyward, cfo, Map.of("quota", 1)), Keys.key(keyward, cfo, Map.of("quota", 1)));
    String nativeOnly = Keys.key(keyward, cfo, Map.of("callers", Map.of("native", true, "browser", false)));
    String browser = Keys.key(keyward, cfo, Map.of("callers", Map.of("native", false, "browser", true,
        "hostnames", List.of("app.example.com"))));
    List<String> browserLimited = List.of(browserLimitedKey(keyward, cfo), browserLimitedKey(keyward, cfo));
    String elsewhere = Keys.key(keyward, cfo, Map.of("ipAllowlist", List.of("10.0.0.0/8")));

    List<Call> calls = List.of(
        new Call("allowed", "GET", "/sales_invoices/42", d -> cfoKey),
        new Call("allowed HEAD", "HEAD", "/customers", d -> viewerKey),
        new Call("public route", "GET", "/status", d -> null),
        new Call("no credential", "GET", "/sales_invoices", d -> null),
        new Call("unknown key", "GET", "/sales_invoices", d -> "kw_test_" + "A".repeat(49)),
        new Call("not a key at all", "GET", "/sales_invoices", d -> "garbage"),
        new Call("revoked key", "GET", "/sales_invoices", d -> revoked.key()),
        new Call("role lacks the permission", "DELETE", "/sales_invoices/42", d -> viewerKey),
        new Call("no such route", "GET", "/nowhere", d -> cfoKey),
        new Call("method not routed", "PATCH", "/status", d -> cfoKey),
        new Call("within the rate limit", "GET", "/products", limited::get),
        new Call("over the rate limit", "GET", "/products", limited::get),
        new Call("last use of the quota", "GET", "/products", quota::get),
        new Call("quota spent", "GET", "/products", quota::get),
        new Call("browser call, native-only key", "GET", "/products", d -> nativeOnly, "Origin", "https://app.example.com"),
        new Call("browser call, allowed host", "GET", "/products", d -> browser, "Origin", "https://app.example.com"),
        new Call("browser call, allowed host, rate limited key", "GET", "/customers", d -> browserLimited.get(d), "Origin", "https://app.example.com"),
        new Call("browser call named by its Referer", "GET", "/products", d -> browser, "Referer", "https://app.example.com/page?q=1"),
        new Call("browser call, other host", "GET", "/products", d -> browser, "Origin", "https://evil.example"),
        new Call("native call, browser-only key", "GET", "/products", d -> browser),
        new Call("address outside the allow-list", "GET", "/products", d -> elsewhere));

    List<String> codes = askEveryDoor(invoicing, calls);
    assertThat(codes).as("the calls cover these codes").contains("VALID", "NOT_FOUND", "REVOKED", "FORBIDDEN",
        "ROUTE_NOT_FOUND", "METHOD_NOT_ALLOWED", "RATE_LIMITED", "QUOTA_EXCEEDED", "ORIGIN_NOT_ALLOWED",
        "NATIVE_NOT_ALLOWED", "IP_NOT_ALLOWED");
  }

  /** Sends the call to the gateway and to the filtered application; both must answer alike. Returns the gateway's answer. */
  static TestHttp.Response alikeAtBothDoors(Doors doors, Call call) {
    TestHttp.Response viaGateway = send(doors.gateway(), call, 0);
    TestHttp.Response viaFilter = send(doors.filtered(), call, 1);
    assertThat(seen(viaFilter)).as("%s: filter %s / gateway %s", call.name(), viaFilter.body(), viaGateway.body())
        .isEqualTo(seen(viaGateway));
    return viaGateway;
  }

  /**
   * Sends each call to both doors and asks the verification API about it: the doors must answer
   * alike, reach the application exactly when they allow, and answer the code the verification
   * API names. Returns the codes named, in order.
   */
  static List<String> askEveryDoor(Doors doors, List<Call> calls) {
    List<String> codes = new ArrayList<>();
    for (Call call : calls) {
      int upstreamBefore = doors.upstream().requests();
      int appBefore = doors.app().reached.get();
      TestHttp.Response viaGateway = alikeAtBothDoors(doors, call);
      boolean allowed = viaGateway.status() < 400;
      assertThat(doors.upstream().requests() - upstreamBefore).as(call.name() + ": reached the upstream").isEqualTo(allowed ? 1 : 0);
      assertThat(doors.app().reached.get() - appBefore).as(call.name() + ": reached the application").isEqualTo(allowed ? 1 : 0);

      JsonNode decided = verify(doors, call, 0);
      String code = decided.path("code").asText();
      codes.add(code);
      if (call.name().equals("within the rate limit") || call.name().equals("last use of the quota")) {
        continue; // the explanation comes after the door consumed the last use: it now says what the next call gets
      }
      assertThat(decided.path("valid").asBoolean()).as(call.name()).isEqualTo(allowed);
      assertThat(viaGateway.status()).as(call.name()).isEqualTo(DecisionCode.valueOf(code).status());
      if (!allowed) {
        String wire = code.toLowerCase(Locale.ROOT);
        assertThat(viaGateway.error()).as(call.name())
            .isEqualTo(List.of("not_found", "expired", "revoked").contains(wire) ? "invalid_credentials" : wire);
      }
    }
    return codes;
  }

  @Test
  void theRemainingCodesWhenSentToGatewayAndFilterThenSameAnswerAndTheVerificationApiNamesIt() throws Exception {
    TestServer keyward = algorithms.keyward();
    TestHttp admin = keyward.http();
    Keys.User consumer = Keys.user(keyward, "consumer");
    Keys.User developer = Keys.user(keyward, "developer");
    String expiring = Keys.key(keyward, consumer, Map.of("expiresAt", Instant.now().plusSeconds(1).toString()));
    String publisher = Keys.key(keyward, developer, Map.of("resources", List.of("algo://*"), "manageAlgorithms", true));
    String accountHolder = Keys.key(keyward, Keys.user(keyward, "account-holder"), Map.of());
    TestHttp.Response person = admin.post("/api/v1/users", keyward.owner(), Map.of("email", "p-" + UUID.randomUUID() + "@example.com",
        "name", "Person", "programmatic", false, "password", "pw-" + UUID.randomUUID(), "roles", List.of("consumer")));
    assertThat(person.status()).as(person.body()).isEqualTo(201);
    String email = person.text("email");
    for (int i = 0; i < 10; i++) {
      admin.get("/api/v1/me", Auth.basic(email, "wrong password " + i));
    }
    String locked = "Basic " + Base64.getEncoder().encodeToString((email + ":whatever").getBytes(StandardCharsets.UTF_8));
    Thread.sleep(1300);

    List<String> codes = askEveryDoor(algorithms, List.of(
        new Call("expired key", "GET", "/v1/algo", d -> expiring),
        new Call("locked account", "GET", "/v1/algo", d -> locked),
        new Call("production route, sandbox key", "POST", "/v1/algo/acme/resize/publish", d -> publisher),
        new Call("route for a signed-in user, key alone", "GET", "/v1/account", d -> accountHolder)));
    assertThat(codes).containsExactly("EXPIRED", "LOCKED", "ENVIRONMENT_DISABLED", "USER_REQUIRED");

    // Paths that are not canonical: the gateway and the verification API refuse them as BAD_PATH;
    // the servlet container refuses them itself (400, its own page) before any filter runs.
    for (String path : List.of("/v1//algo", "/v1/algo;x=1", "/v1/algo/acme/%2e%2e/x")) {
      Call call = new Call(path, "GET", path, d -> accountHolder);
      int appBefore = algorithms.app().reached.get();
      TestHttp.Response viaGateway = send(algorithms.gateway(), call, 0);
      assertThat(viaGateway.status()).as(path).isEqualTo(400);
      assertThat(viaGateway.error()).as(path).isEqualTo("bad_path");
      assertThat(verify(algorithms, call, 0).path("code").asText()).as(path).isEqualTo("BAD_PATH");
      assertThat(send(algorithms.filtered(), call, 1).status()).as(path).isEqualTo(400);
      assertThat(algorithms.app().reached.get()).as(path).isEqualTo(appBefore);
    }
  }

  static String browserLimitedKey(TestServer keyward, Keys.User owner) {
    return Keys.key(keyward, owner, Map.of("callers", Map.of("native", false, "browser", true, "hostnames", List.of("app.example.com")),
        "rateLimit", Map.of("limit", 100, "periodSeconds", 60)));
  }

  @Test
  void corsPreflightsWhenSentToGatewayAndFilterThenSameAnswerWithoutReachingTheApplication() {
    List<Call> preflights = List.of(
        new Call("routed path", "OPTIONS", "/sales_invoices/42", d -> null,
            "Origin", "https://app.example.com", "Access-Control-Request-Method", "DELETE"),
        new Call("routed path, credential sent anyway", "OPTIONS", "/customers", d -> "kw_test_" + "B".repeat(49),
            "Origin", "https://app.example.com", "Access-Control-Request-Method", "GET"),
        new Call("opaque origin", "OPTIONS", "/products", d -> null,
            "Origin", "null", "Access-Control-Request-Method", "GET"),
        new Call("no such route", "OPTIONS", "/nowhere", d -> null,
            "Origin", "https://app.example.com", "Access-Control-Request-Method", "GET"),
        new Call("OPTIONS without a requested method: not a preflight", "OPTIONS", "/products", d -> null,
            "Origin", "https://app.example.com"));
    Doors doors = invoicing;
    List<Integer> statuses = new ArrayList<>();
    for (Call call : preflights) {
      int upstreamBefore = doors.upstream().requests();
      int appBefore = doors.app().reached.get();
      TestHttp.Response viaGateway = alikeAtBothDoors(doors, call);
      assertThat(doors.upstream().requests()).as(call.name()).isEqualTo(upstreamBefore);
      assertThat(doors.app().reached.get()).as(call.name()).isEqualTo(appBefore);
      statuses.add(viaGateway.status());
    }
    assertThat(statuses).containsExactly(204, 204, 403, 404, 405);
    TestHttp.Response answered = send(doors.filtered(), preflights.get(0), 1);
    assertThat(answered.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
    assertThat(answered.header("Access-Control-Allow-Methods")).isEqualTo("GET, HEAD, PUT, DELETE");
  }
}
