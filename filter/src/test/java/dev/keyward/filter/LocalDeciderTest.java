package dev.keyward.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.core.auth.Principal;
import dev.keyward.core.authz.Decision;
import dev.keyward.core.authz.DecisionCode;
import dev.keyward.core.authz.DecisionRequest;
import dev.keyward.core.authz.Permission;
import dev.keyward.core.error.ErrorCode;
import dev.keyward.core.error.KeywardException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The in-process door: the question passed through unchanged, failures to decide fail closed. */
class LocalDeciderTest {
  static final String ISSUER = "https://keyward.example";
  static final Principal BOB = new Principal("ten_1", "acme", "usr_bob", "bob@acme.example", Set.of("Treasurer"),
      Principal.CredentialType.ACCESS_TOKEN, null, null, false);

  @Test
  void decideWhenAskedThenDecisionFunctionGetsTheSameQuestionNeverAsAnExplanation() {
    List<DecisionRequest> asked = new ArrayList<>();
    Decision valid = new Decision(DecisionCode.VALID, "ok", BOB, null, null, null, null, List.of());
    Decider d = Decider.local(r -> {
      asked.add(r);
      return valid;
    }, ISSUER);
    Question q = Question.of(List.of("Bearer a", "Bearer b"), "DELETE", "/v1/x").withOrigin("https://o.example").withIp("::1")
        .withTenant("acme").withPermission(new Permission("x", "delete")).withResource("x://1");
    Verdict v = d.decide(q);
    assertThat(v).isEqualTo(new Verdict.Decided(valid));
    assertThat(v.allowed()).isTrue();
    assertThat(asked).containsExactly(new DecisionRequest(List.of("Bearer a", "Bearer b"), "DELETE", "/v1/x",
        new Permission("x", "delete"), "x://1", "https://o.example", "::1", "acme", false, ISSUER));
  }

  @Test
  void decideWhenRefusedThenDecided() {
    Decision refused = new Decision(DecisionCode.IP_NOT_ALLOWED, "not from there", BOB, null, null, null, null, List.of());
    Verdict v = Decider.local(r -> refused, ISSUER).decide(Question.of(List.of(), "GET", "/"));
    assertThat(v.allowed()).isFalse();
    assertThat(v.status()).isEqualTo(403);
    assertThat(v.error()).isEqualTo("ip_not_allowed");
  }

  @Test
  void decideWhenQuestionMalformedThenRejectedAsTheVerificationApiWould() {
    Verdict v = Decider.local(r -> {
      throw KeywardException.invalidField("tenant", "'Acme!' is not a tenant slug");
    }, ISSUER).decide(Question.of(List.of(), "GET", "/"));
    assertThat(v).isEqualTo(new Verdict.Rejected(400, "invalid_request", "'Acme!' is not a tenant slug", "tenant"));
  }

  @Test
  void decideWhenStoreUnavailableOrBugThenUnavailableNeverAllowed() {
    Verdict down = Decider.local(r -> {
      throw new KeywardException(ErrorCode.UNAVAILABLE, "store unreachable");
    }, ISSUER).decide(Question.of(List.of(), "GET", "/"));
    assertThat(down).isInstanceOf(Verdict.Unavailable.class);
    assertThat(down.status()).isEqualTo(503);
    Verdict bug = Decider.local(r -> {
      throw new NullPointerException();
    }, ISSUER).decide(Question.of(List.of(), "GET", "/"));
    assertThat(bug).isInstanceOf(Verdict.Unavailable.class);
    assertThat(bug.allowed()).isFalse();
  }

  @Test
  void decideWhenPublicRouteThenAllowedWithoutPrincipal() {
    Verdict v = Decider.local(r -> new Decision(DecisionCode.VALID, "Public route", null, null, null, null, null, List.of()), ISSUER)
        .decide(Question.of(List.of(), "GET", "/"));
    assertThat(v.allowed()).isTrue();
    assertThat(v.principal()).isNull();
  }
}
