package dev.keyward.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.core.auth.Principal;
import dev.keyward.core.authz.Decision;
import dev.keyward.core.authz.DecisionCode;
import dev.keyward.core.key.Environment;
import dev.keyward.server.testing.TestHttp;
import dev.keyward.server.testing.TestHttp.Auth;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The filter in a real servlet container (embedded Jetty) with a {@link Decider} lambda: what the
 * application sees, and what the container puts on the wire for refusals. The same filter against
 * a real Keyward server is {@link FilterIT}.
 */
class ContainerIT {
  static final Principal CAROL = new Principal("ten_1", "acme", "usr_carol", "carol@acme.example", Set.of("CFO"),
      Principal.CredentialType.API_KEY, "key_c", Environment.SANDBOX, false);

  @Test
  void requestWhenAllowedThenApplicationSeesKeywardUserRolesAndRateLimitHeaders() throws Exception {
    List<Question> asked = new CopyOnWriteArrayList<>();
    Decision.Limit limit = new Decision.Limit(60, 59, Instant.now().plusSeconds(20));
    Decider decider = q -> {
      asked.add(q);
      return Verdict.of(new Decision(DecisionCode.VALID, "ok", CAROL, null, null, limit, null, List.of()));
    };
    try (ServletApp app = ServletApp.start(new KeywardFilter(decider))) {
      TestHttp http = new TestHttp(app.base());
      TestHttp.Response r = http.get("/reports/q1?role=CFO", Auth.bearer("k1"), "Origin", "https://app.example");
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(r.text("user")).isEqualTo("usr_carol");
      assertThat(r.text("principal")).isEqualTo("usr_carol");
      assertThat(r.text("authType")).isEqualTo("KEYWARD");
      assertThat(r.text("tenant")).isEqualTo("acme");
      assertThat(r.json().path("inRole").asBoolean()).isTrue();
      assertThat(r.header("RateLimit-Limit")).isEqualTo("60");
      assertThat(r.header("RateLimit-Remaining")).isEqualTo("59");
      assertThat(asked).hasSize(1);
      assertThat(asked.get(0).path()).isEqualTo("/reports/q1");
      assertThat(asked.get(0).origin()).isEqualTo("https://app.example");
      assertThat(asked.get(0).ip()).isEqualTo("127.0.0.1");
      assertThat(asked.get(0).authorization()).containsExactly("Bearer k1");

      TestHttp.Response notInRole = http.get("/reports/q1?role=Treasurer", Auth.bearer("k1"));
      assertThat(notInRole.json().path("inRole").asBoolean()).isFalse();

      TestHttp.Response head = http.send("HEAD", "/reports/q1", Auth.bearer("k1"), null, null);
      assertThat(head.status()).isEqualTo(200);
      assertThat(asked.get(2).method()).isEqualTo("GET");
      assertThat(app.reached.get()).isEqualTo(3);
    }
  }

  @Test
  void requestWhenRefusedThenJsonErrorOnTheWireAndApplicationNeverReached() throws Exception {
    Decider decider = q -> Verdict.of(new Decision(DecisionCode.REVOKED, "revoked at noon", null, null, null, null, null, List.of()));
    try (ServletApp app = ServletApp.start(new KeywardFilter(decider))) {
      TestHttp.Response r = new TestHttp(app.base()).post("/invoices", Auth.bearer("k1"), Map.of("amount", 5));
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.header("Content-Type")).matches("(?i)application/json; ?charset=utf-8");
      assertThat(r.header("Cache-Control")).isEqualTo("no-store");
      assertThat(r.headerValues("WWW-Authenticate"))
          .containsExactly("Bearer realm=\"keyward\", error=\"invalid_token\"", "Basic realm=\"keyward\", charset=\"UTF-8\"");
      assertThat(r.error()).isEqualTo("invalid_credentials");
      assertThat(r.text("message")).isEqualTo(KeywardFilter.INVALID_CREDENTIALS_MESSAGE);
      assertThat(r.body()).doesNotContain("revoked at noon");
      assertThat(app.reached.get()).isZero();
    }
  }

  @Test
  void requestWhenConfiguredByInitParametersAndKeywardDownThen503FailClosed() throws Exception {
    int dead;
    try (ServerSocket s = new ServerSocket(0)) {
      dead = s.getLocalPort();
    }
    String credential = "kw_live_NeverShownServiceCredential0123456789abcdefghijk";
    try (ServletApp app = ServletApp.start(Map.of(KeywardFilter.URL_PARAM, "http://127.0.0.1:" + dead,
        KeywardFilter.CREDENTIAL_PARAM, credential, KeywardFilter.TIMEOUT_PARAM, "1000"))) {
      TestHttp.Response r = new TestHttp(app.base()).get("/invoices", Auth.bearer("k1"));
      assertThat(r.status()).isEqualTo(503);
      assertThat(r.error()).isEqualTo("unavailable");
      assertThat(r.header("Retry-After")).isEqualTo("5");
      assertThat(r.body()).doesNotContain(credential, Integer.toString(dead));
      assertThat(app.reached.get()).isZero();
    }
  }
}
