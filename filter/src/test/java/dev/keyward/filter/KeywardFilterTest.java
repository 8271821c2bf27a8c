package dev.keyward.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyward.core.auth.Principal;
import dev.keyward.core.authz.Decision;
import dev.keyward.core.authz.DecisionCode;
import dev.keyward.core.authz.Permission;
import dev.keyward.core.key.Environment;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The filter against a {@link Decider} lambda: the question it asks and every way it answers. */
class KeywardFilterTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String KEY = "kw_test_SecretKeyMaterial0123456789abcdefghijklmnopqrstu";
  static final Principal ALICE = new Principal("ten_1", "acme", "usr_alice", "alice@acme.example",
      Set.of("Accountant", "CFO"), Principal.CredentialType.API_KEY, "key_1", Environment.SANDBOX, false);
  static final Permission INVOICES_READ = new Permission("invoices", "read");

  /** A decider that records the question and answers {@code answer}. */
  static final class Recording implements Decider {
    final List<Question> questions = new ArrayList<>();
    final Verdict answer;

    Recording(Verdict answer) {
      this.answer = answer;
    }

    @Override
    public Verdict decide(Question question) {
      questions.add(question);
      return answer;
    }

    Question only() {
      assertThat(questions).hasSize(1);
      return questions.get(0);
    }
  }

  /** A chain that records the request it was continued with. */
  static final class Chain implements FilterChain {
    final AtomicReference<ServletRequest> reached = new AtomicReference<>();

    @Override
    public void doFilter(ServletRequest request, jakarta.servlet.ServletResponse response) {
      reached.set(request);
    }
  }

  static Decision decision(DecisionCode code, String message, Principal principal, Decision.Limit limit) {
    return new Decision(code, message, principal, INVOICES_READ, null, limit, null, List.of());
  }

  static Verdict allowed() {
    return Verdict.of(decision(DecisionCode.VALID, "ok", ALICE, null));
  }

  static Verdict refused(DecisionCode code, String message) {
    return Verdict.of(decision(code, message, code == DecisionCode.NOT_FOUND ? null : ALICE, null));
  }

  record Run(FakeServlet.Response response, Chain chain) {
    JsonNode json() throws Exception {
      return JSON.readTree(response.body());
    }
  }

  static Run run(KeywardFilter filter, FakeServlet.Request request) throws Exception {
    FakeServlet.Response response = new FakeServlet.Response();
    Chain chain = new Chain();
    filter.doFilter(request.proxy(), response.proxy(), chain);
    return new Run(response, chain);
  }

  static Run run(Decider decider, FakeServlet.Request request) throws Exception {
    return run(new KeywardFilter(decider), request);
  }

  static FakeServlet.Request get(String uri) {
    return new FakeServlet.Request("GET", uri).header("Authorization", "Bearer " + KEY);
  }

  @Nested
  class Asks {
    @Test
    void doFilterWhenRequestThenAsksWithHeadersRawPathOriginPeerAndTenant() throws Exception {
      Recording d = new Recording(allowed());
      run(d, new FakeServlet.Request("POST", "/v1/algo/a%2Fb/x;y").header("Authorization", "Bearer " + KEY)
          .header("Origin", "https://app.example").header("X-Keyward-Tenant", "acme").from("198.51.100.4"));
      Question q = d.only();
      assertThat(q.authorization()).containsExactly("Bearer " + KEY);
      assertThat(q.method()).isEqualTo("POST");
      assertThat(q.path()).isEqualTo("/v1/algo/a%2Fb/x;y");
      assertThat(q.origin()).isEqualTo("https://app.example");
      assertThat(q.ip()).isEqualTo("198.51.100.4");
      assertThat(q.tenant()).isEqualTo("acme");
      assertThat(q.permission()).isNull();
      assertThat(q.resource()).isNull();
    }

    @Test
    void doFilterWhenHeadThenDecidedAsGet() throws Exception {
      Recording d = new Recording(allowed());
      run(d, new FakeServlet.Request("HEAD", "/invoices"));
      assertThat(d.only().method()).isEqualTo("GET");
    }

    @Test
    void doFilterWhenSeveralAuthorizationHeadersThenAllAreAsked() throws Exception {
      Recording d = new Recording(refused(DecisionCode.NOT_FOUND, "x"));
      run(d, get("/invoices").header("Authorization", "Basic Zm9vOg=="));
      assertThat(d.only().authorization()).containsExactly("Bearer " + KEY, "Basic Zm9vOg==");
    }

    @Test
    void doFilterWhenNoCredentialThenAsksWithNone() throws Exception {
      Recording d = new Recording(refused(DecisionCode.NOT_FOUND, "x"));
      run(d, new FakeServlet.Request("GET", "/invoices"));
      assertThat(d.only().authorization()).isEmpty();
      assertThat(d.only().origin()).isNull();
      assertThat(d.only().tenant()).isNull();
    }

    @Test
    void doFilterWhenTwoTenantHeadersThen400AndNotAsked() throws Exception {
      Recording d = new Recording(allowed());
      Run r = run(d, get("/invoices").header("X-Keyward-Tenant", "a").header("X-Keyward-Tenant", "b"));
      assertThat(d.questions).isEmpty();
      assertThat(r.response().status).isEqualTo(400);
      assertThat(r.json().path("error").asText()).isEqualTo("invalid_request");
      assertThat(r.chain().reached.get()).isNull();
    }

    @Test
    void doFilterWhenForwardedForFromUntrustedPeerThenPeerAddressIsAsked() throws Exception {
      Recording d = new Recording(allowed());
      run(new KeywardFilter(d), get("/x").from("198.51.100.4").header("X-Forwarded-For", "10.0.0.1"));
      assertThat(d.only().ip()).isEqualTo("198.51.100.4");
      Recording d2 = new Recording(allowed());
      run(new KeywardFilter(d2, List.of("10.0.0.0/8")), get("/x").from("198.51.100.4").header("X-Forwarded-For", "10.0.0.1"));
      assertThat(d2.only().ip()).as("peer not a trusted proxy").isEqualTo("198.51.100.4");
    }

    @Test
    void doFilterWhenForwardedForFromTrustedProxiesThenFirstUntrustedFromTheRight() throws Exception {
      Recording d = new Recording(allowed());
      KeywardFilter filter = new KeywardFilter(d, List.of("10.0.0.0/8", "192.0.2.1"));
      // The client forged "1.1.1.1"; the edge proxy appended the real peer 203.0.113.9; an inner proxy 10.1.1.1.
      run(filter, get("/x").from("192.0.2.1").header("X-Forwarded-For", "1.1.1.1, 203.0.113.9").header("X-Forwarded-For", "10.1.1.1"));
      assertThat(d.only().ip()).isEqualTo("203.0.113.9");
    }

    @Test
    void doFilterWhenEveryHopTrustedThenLeftmostHop() throws Exception {
      Recording d = new Recording(allowed());
      run(new KeywardFilter(d, List.of("10.0.0.0/8")), get("/x").from("10.0.0.2").header("X-Forwarded-For", "10.9.9.9, 10.0.0.3"));
      assertThat(d.only().ip()).isEqualTo("10.9.9.9");
    }

    @Test
    void doFilterWhenTheChosenHopIsNotAnAddressThenUnknownAsAtTheServer() throws Exception {
      Recording d = new Recording(allowed());
      run(new KeywardFilter(d, List.of("10.0.0.0/8")), get("/x").from("10.0.0.2").header("X-Forwarded-For", "10.9.9.9, ,10.0.0.3"));
      assertThat(d.only().ip()).as("an empty entry right of the caller: not trusted to mean anything").isNull();
    }

    @Test
    void doFilterWhenTrustedProxySendsNoForwardedForThenPeer() throws Exception {
      Recording d = new Recording(allowed());
      run(new KeywardFilter(d, List.of("10.0.0.0/8")), get("/x").from("10.0.0.2"));
      assertThat(d.only().ip()).isEqualTo("10.0.0.2");
    }

    @Test
    void constructorWhenTrustedProxyIsAHostNameThenRefused() {
      assertThatThrownBy(() -> new KeywardFilter(q -> allowed(), List.of("proxy.internal")))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("proxy.internal");
    }
  }

  @Nested
  class Allowed {
    @Test
    void doFilterWhenValidThenChainSeesKeywardUserRolesAndAttributes() throws Exception {
      Decision.Limit limit = new Decision.Limit(100, 41, Instant.now().plusSeconds(30).plusMillis(500));
      Decision allowed = decision(DecisionCode.VALID, "ok", ALICE, limit);
      Run r = run(q -> Verdict.of(allowed), get("/invoices"));
      HttpServletRequest seen = (HttpServletRequest) r.chain().reached.get();
      assertThat(seen).isInstanceOf(KeywardRequest.class);
      assertThat(seen.getUserPrincipal().getName()).isEqualTo("usr_alice");
      assertThat(((KeywardRequest.KeywardUser) seen.getUserPrincipal()).principal()).isEqualTo(ALICE);
      assertThat(seen.getRemoteUser()).isEqualTo("usr_alice");
      assertThat(seen.getAuthType()).isEqualTo(KeywardRequest.AUTH_TYPE);
      assertThat(seen.isUserInRole("CFO")).isTrue();
      assertThat(seen.isUserInRole("Accountant")).isTrue();
      assertThat(seen.isUserInRole("cfo")).as("roles are case-sensitive").isFalse();
      assertThat(seen.isUserInRole("Treasurer")).isFalse();
      assertThat(seen.isUserInRole("**")).isTrue();
      assertThat(seen.getAttribute(KeywardFilter.PRINCIPAL_ATTRIBUTE)).isEqualTo(ALICE);
      assertThat(seen.getAttribute(KeywardFilter.DECISION_ATTRIBUTE)).isEqualTo(allowed);
      assertThat(r.response().status).isEqualTo(200);
      assertThat(r.response().body()).isEmpty();
      assertThat(r.response().header("RateLimit-Limit")).isEqualTo("100");
      assertThat(r.response().header("RateLimit-Remaining")).isEqualTo("41");
      assertThat(r.response().header("RateLimit-Reset")).isEqualTo("31");
      assertThat(seen.getUserPrincipal().toString()).doesNotContain(KEY);
    }

    @Test
    void doFilterWhenValidWithoutRateLimitThenNoRateLimitHeaders() throws Exception {
      Run r = run(q -> allowed(), get("/invoices"));
      assertThat(r.chain().reached.get()).isNotNull();
      assertThat(r.response().headers).doesNotContainKeys("ratelimit-limit", "ratelimit-remaining", "ratelimit-reset");
    }

    @Test
    void doFilterWhenPublicRouteThenContinuesUnwrappedWithOnlyTheDecision() throws Exception {
      Decision open = new Decision(DecisionCode.VALID, "Public route", null, null, null, null, null, List.of());
      FakeServlet.Request request = new FakeServlet.Request("GET", "/health");
      Run r = run(q -> Verdict.of(open), request);
      HttpServletRequest seen = (HttpServletRequest) r.chain().reached.get();
      assertThat(seen).isNotNull().isNotInstanceOf(KeywardRequest.class);
      assertThat(seen.getUserPrincipal()).isNull();
      assertThat(request.attributes).containsOnlyKeys(KeywardFilter.DECISION_ATTRIBUTE);
      assertThat(r.response().status).isEqualTo(200);
    }
  }

  @Nested
  class Refused {
    @ParameterizedTest
    @EnumSource(value = DecisionCode.class, names = "VALID", mode = EnumSource.Mode.EXCLUDE)
    void doFilterWhenRefusedThenStatusOfTheCodeJsonBodyAndChainNeverReached(DecisionCode code) throws Exception {
      Run r = run(q -> refused(code, "because " + code), get("/invoices"));
      assertThat(r.chain().reached.get()).isNull();
      assertThat(r.response().status).isEqualTo(code.status());
      assertThat(r.response().header("Content-Type")).isEqualTo("application/json; charset=utf-8");
      assertThat(r.response().header("Cache-Control")).isEqualTo("no-store");
      assertThat(r.response().flushed).isTrue();
      JsonNode j = r.json();
      if (code.status() == 401) {
        assertThat(j.path("error").asText()).isEqualTo("invalid_credentials");
      } else {
        assertThat(j.path("error").asText()).isEqualTo(code.name().toLowerCase(java.util.Locale.ROOT));
        assertThat(j.path("message").asText()).isEqualTo("because " + code);
      }
    }

    @Test
    void doFilterWhenNotFoundExpiredOrRevokedThenOneIdenticalAnswer() throws Exception {
      List<Run> runs = new ArrayList<>();
      for (DecisionCode c : List.of(DecisionCode.NOT_FOUND, DecisionCode.EXPIRED, DecisionCode.REVOKED)) {
        runs.add(run(q -> refused(c, "the key is " + c), get("/invoices")));
      }
      for (Run r : runs) {
        assertThat(r.response().status).isEqualTo(401);
        assertThat(r.response().body()).isEqualTo(runs.get(0).response().body());
        assertThat(r.response().headers).isEqualTo(runs.get(0).response().headers);
        assertThat(r.response().body()).doesNotContain("NOT_FOUND", "EXPIRED", "REVOKED", KEY);
      }
      assertThat(runs.get(0).json().path("message").asText()).isEqualTo(KeywardFilter.INVALID_CREDENTIALS_MESSAGE);
      assertThat(runs.get(0).response().headers("WWW-Authenticate"))
          .containsExactly("Bearer realm=\"keyward\", error=\"invalid_token\"", "Basic realm=\"keyward\", charset=\"UTF-8\"");
    }

    @Test
    void doFilterWhenNoCredentialThen401ChallengeWithoutErrorCode() throws Exception {
      Run r = run(q -> refused(DecisionCode.NOT_FOUND, "none"), new FakeServlet.Request("GET", "/invoices"));
      assertThat(r.response().status).isEqualTo(401);
      assertThat(r.response().headers("WWW-Authenticate"))
          .containsExactly("Bearer realm=\"keyward\"", "Basic realm=\"keyward\", charset=\"UTF-8\"");
    }

    @Test
    void doFilterWhenForbiddenThen403NamingPermissionAndResource() throws Exception {
      Decision d = new Decision(DecisionCode.FORBIDDEN, "Missing permission invoices:write", ALICE,
          new Permission("invoices", "write"), "algo://acme/x", null, null, List.of());
      Run r = run(q -> Verdict.of(d), get("/invoices"));
      assertThat(r.response().status).isEqualTo(403);
      assertThat(r.json().path("error").asText()).isEqualTo("forbidden");
      assertThat(r.json().path("message").asText()).isEqualTo("Missing permission invoices:write");
      assertThat(r.json().path("permission").asText()).isEqualTo("invoices:write");
      assertThat(r.json().path("resource").asText()).isEqualTo("algo://acme/x");
    }

    @Test
    void doFilterWhenRateLimitedThen429WithRetryAfterAndRateLimitHeaders() throws Exception {
      Decision.Limit limit = new Decision.Limit(10, 0, Instant.now().plusSeconds(7).plusMillis(400));
      Run r = run(q -> Verdict.of(decision(DecisionCode.RATE_LIMITED, "slow down", ALICE, limit)), get("/x"));
      assertThat(r.response().status).isEqualTo(429);
      assertThat(r.json().path("error").asText()).isEqualTo("rate_limited");
      assertThat(r.response().header("Retry-After")).isEqualTo("8");
      assertThat(r.response().header("RateLimit-Limit")).isEqualTo("10");
      assertThat(r.response().header("RateLimit-Remaining")).isEqualTo("0");
      assertThat(r.response().header("RateLimit-Reset")).isEqualTo("8");
    }

    @Test
    void doFilterWhenRateLimitedWithResetPassedThenRetryAfterAtLeastOneSecond() throws Exception {
      Decision.Limit limit = new Decision.Limit(10, 0, Instant.now().minusSeconds(1));
      Run r = run(q -> Verdict.of(decision(DecisionCode.RATE_LIMITED, "slow down", ALICE, limit)), get("/x"));
      assertThat(r.response().header("Retry-After")).isEqualTo("1");
      assertThat(r.response().header("RateLimit-Reset")).isEqualTo("0");
    }

    @Test
    void doFilterWhenQuotaExceededThen429WithoutRetryAfter() throws Exception {
      Run r = run(q -> refused(DecisionCode.QUOTA_EXCEEDED, "no uses left"), get("/x"));
      assertThat(r.response().status).isEqualTo(429);
      assertThat(r.json().path("error").asText()).isEqualTo("quota_exceeded");
      assertThat(r.response().header("Retry-After")).isNull();
    }

    @Test
    void doFilterWhenUnavailableThen503GenericMessageRetryAfterAndNoReason() throws Exception {
      Run r = run(q -> new Verdict.Unavailable("Keyward is unreachable at http://10.0.0.5:8080"), get("/x"));
      assertThat(r.chain().reached.get()).isNull();
      assertThat(r.response().status).isEqualTo(503);
      assertThat(r.response().header("Retry-After")).isEqualTo("5");
      assertThat(r.json().path("error").asText()).isEqualTo("unavailable");
      assertThat(r.json().path("message").asText()).isEqualTo(Verdict.Unavailable.PUBLIC_MESSAGE);
      assertThat(r.response().body()).doesNotContain("10.0.0.5");
    }

    @Test
    void doFilterWhenDeciderThrowsThen503NotContinued() throws Exception {
      Run r = run(q -> {
        throw new IllegalStateException("boom " + KEY);
      }, get("/x"));
      assertThat(r.chain().reached.get()).isNull();
      assertThat(r.response().status).isEqualTo(503);
      assertThat(r.response().body()).doesNotContain("boom", KEY);
    }

    @Test
    void doFilterWhenQuestionRejectedThenItsStatusErrorAndField() throws Exception {
      Run r = run(q -> new Verdict.Rejected(400, "invalid_request", "Tenant slugs are lower case", "tenant"), get("/x"));
      assertThat(r.chain().reached.get()).isNull();
      assertThat(r.response().status).isEqualTo(400);
      assertThat(r.json().path("error").asText()).isEqualTo("invalid_request");
      assertThat(r.json().path("message").asText()).isEqualTo("Tenant slugs are lower case");
      assertThat(r.json().path("field").asText()).isEqualTo("tenant");
    }
  }

  @Nested
  class Configuration {
    @Test
    void initWhenNoUrlThenServletExceptionNamingTheParameter() {
      KeywardFilter f = new KeywardFilter(Map.of());
      assertThatThrownBy(() -> f.init(FakeServlet.config(Map.of(KeywardFilter.CREDENTIAL_PARAM, KEY))))
          .isInstanceOf(ServletException.class).hasMessageContaining("keyward.url").hasMessageNotContaining(KEY);
    }

    @Test
    void initWhenNoCredentialThenServletExceptionNamingBothWays() {
      KeywardFilter f = new KeywardFilter(Map.of());
      assertThatThrownBy(() -> f.init(FakeServlet.config(Map.of(KeywardFilter.URL_PARAM, "http://127.0.0.1:1"))))
          .isInstanceOf(ServletException.class).hasMessageContaining("keyward.credential").hasMessageContaining("keyward.credentialEnv");
    }

    @Test
    void initWhenCredentialEnvUnsetThenServletExceptionNamingTheVariable() {
      KeywardFilter f = new KeywardFilter(Map.of());
      assertThatThrownBy(() -> f.init(FakeServlet.config(Map.of(KeywardFilter.URL_PARAM, "http://127.0.0.1:1",
          KeywardFilter.CREDENTIAL_ENV_PARAM, "SVC_KEY")))).isInstanceOf(ServletException.class).hasMessageContaining("SVC_KEY");
    }

    @Test
    void initWhenBothCredentialAndEnvThenServletException() {
      KeywardFilter f = new KeywardFilter(Map.of("SVC_KEY", KEY));
      assertThatThrownBy(() -> f.init(FakeServlet.config(Map.of(KeywardFilter.URL_PARAM, "http://127.0.0.1:1",
          KeywardFilter.CREDENTIAL_PARAM, KEY, KeywardFilter.CREDENTIAL_ENV_PARAM, "SVC_KEY"))))
          .isInstanceOf(ServletException.class).hasMessageContaining("not both").hasMessageNotContaining(KEY);
    }

    @Test
    void initWhenBadUrlOrTimeoutOrProxyThenServletExceptionNamingIt() {
      Map<String, String> base = Map.of(KeywardFilter.URL_PARAM, "http://127.0.0.1:1", KeywardFilter.CREDENTIAL_PARAM, KEY);
      assertThatThrownBy(() -> new KeywardFilter(Map.of()).init(FakeServlet.config(Map.of(KeywardFilter.URL_PARAM, "ftp://x",
          KeywardFilter.CREDENTIAL_PARAM, KEY)))).isInstanceOf(ServletException.class).hasMessageContaining("http(s)");
      assertThatThrownBy(() -> new KeywardFilter(Map.of()).init(FakeServlet.config(with(base, KeywardFilter.TIMEOUT_PARAM, "soon"))))
          .isInstanceOf(ServletException.class).hasMessageContaining(KeywardFilter.TIMEOUT_PARAM);
      assertThatThrownBy(() -> new KeywardFilter(Map.of()).init(FakeServlet.config(with(base, KeywardFilter.CONNECT_TIMEOUT_PARAM, "0"))))
          .isInstanceOf(ServletException.class).hasMessageContaining(KeywardFilter.CONNECT_TIMEOUT_PARAM);
      assertThatThrownBy(() -> new KeywardFilter(Map.of()).init(FakeServlet.config(with(base, KeywardFilter.TRUSTED_PROXIES_PARAM, "10.0.0.0/8, 300.1.1.1"))))
          .isInstanceOf(ServletException.class).hasMessageContaining("300.1.1.1");
    }

    @Test
    void initWhenCredentialFromEnvironmentThenRemoteDeciderWithoutCredentialInToString() throws Exception {
      KeywardFilter f = new KeywardFilter(Map.of("SVC_KEY", KEY));
      f.init(FakeServlet.config(Map.of(KeywardFilter.URL_PARAM, "http://127.0.0.1:9/base/", KeywardFilter.CREDENTIAL_ENV_PARAM, "SVC_KEY",
          KeywardFilter.TIMEOUT_PARAM, "250")));
      assertThat(f.toString()).contains("http://127.0.0.1:9/base/api/v1/verify").contains("250ms").doesNotContain(KEY);
    }

    @Test
    void initWhenTrustedProxiesParamThenForwardedForBelieved() throws Exception {
      Recording d = new Recording(allowed());
      KeywardFilter f = new KeywardFilter(d);
      f.init(FakeServlet.config(Map.of(KeywardFilter.TRUSTED_PROXIES_PARAM, " 10.0.0.0/8 ,::1")));
      run(f, get("/x").from("::1").header("X-Forwarded-For", "203.0.113.50, 10.2.3.4"));
      assertThat(d.only().ip()).isEqualTo("203.0.113.50");
    }

    @Test
    void doFilterWhenNotInitialisedThenServletException() {
      KeywardFilter f = new KeywardFilter(Map.of());
      assertThatThrownBy(() -> run(f, get("/x"))).isInstanceOf(ServletException.class);
    }

    private static Map<String, String> with(Map<String, String> base, String k, String v) {
      Map<String, String> m = new java.util.HashMap<>(base);
      m.put(k, v);
      return m;
    }
  }
}
