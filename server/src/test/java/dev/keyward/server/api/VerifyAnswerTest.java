package dev.keyward.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.core.auth.Principal;
import dev.keyward.core.authz.Decision;
import dev.keyward.core.authz.DecisionCode;
import dev.keyward.core.authz.Permission;
import dev.keyward.core.key.Environment;
import dev.keyward.server.http.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The hand-written verification answer is byte for byte what the documented shape gives when
 * written from records (the views the endpoint used before), allowed and refused, with and without
 * an explanation, with every nullable member absent or present.
 */
class VerifyAnswerTest {
  record PrincipalView(String tenantId, String tenant, String userId, String email, List<String> roles,
      String credential, @Nullable String keyId, @Nullable String environment, boolean adminKey) {}

  record LimitView(long limit, long remaining, Instant resetAt) {}

  record RuleView(String rule, boolean passed, String detail) {}

  record VerifyView(boolean valid, String code, String message, @Nullable PrincipalView principal,
      @Nullable String permission, @Nullable String resource, @Nullable LimitView ratelimit, @Nullable Long quota) {}

  record ExplainView(boolean valid, String code, String message, @Nullable PrincipalView principal,
      @Nullable String permission, @Nullable String resource, @Nullable LimitView ratelimit, @Nullable Long quota,
      List<RuleView> rules) {}

  static VerifyView view(Decision d) {
    Principal p = d.principal();
    PrincipalView principal = p == null ? null : new PrincipalView(p.tenantId(), p.tenantSlug(), p.userId(), p.email(),
        p.roles().stream().sorted().toList(), p.credential().wireName(), p.keyId(),
        p.environment() == null ? null : p.environment().wireName(), p.adminKey());
    Decision.Limit l = d.rateLimit();
    return new VerifyView(d.allowed(), d.code().name(), d.message(), principal,
        d.permission() == null ? null : d.permission().toString(), d.resource(),
        l == null ? null : new LimitView(l.limit(), l.remaining(), l.resetAt()), d.quotaRemaining());
  }

  static ExplainView explained(Decision d) {
    VerifyView v = view(d);
    return new ExplainView(v.valid(), v.code(), v.message(), v.principal(), v.permission(), v.resource(), v.ratelimit(),
        v.quota(), d.rules().stream().map(r -> new RuleView(r.name(), r.passed(), r.detail())).toList());
  }

  static final Principal KEY = new Principal("tnt_1", "default", "usr_1", "svc@example.com", Set.of("consumer", "admin", "b"),
      Principal.CredentialType.API_KEY, "key_1", Environment.SANDBOX, false);
  static final Principal PASSWORD = new Principal("tnt_1", "default", "usr_2", "p\u00e9rson+\"x\"@example.com", Set.of(),
      Principal.CredentialType.PASSWORD, null, null, false);

  static final List<Decision> DECISIONS = List.of(
      new Decision(DecisionCode.VALID, "Allowed", KEY, Permission.parseRequired("p", "algo:invoke"), "algo://acme/x",
          new Decision.Limit(10, 9, Instant.parse("2026-11-23T10:00:00.123456789Z")), 4L,
          List.of(new Decision.Rule("route", true, "matched POST /v1/algo/{owner}/{name}"), new Decision.Rule("quota", true, "4 uses left"))),
      new Decision(DecisionCode.FORBIDDEN, "Missing permission algo:manage: roles consumer do not grant it", PASSWORD,
          Permission.parseRequired("p", "algo:manage"), null, null, null,
          List.of(new Decision.Rule("permission", false, "Missing \"permission\"\n\u2028"))),
      new Decision(DecisionCode.RATE_LIMITED, "Rate limit", KEY, null, null, new Decision.Limit(1, 0, Instant.parse("2026-11-23T10:00:00Z")),
          0L, List.of()),
      new Decision(DecisionCode.BAD_PATH, "The path is refused: it has a '..' segment", null, null, null, null, null, List.of()));

  @Test
  void writeWhenAnyDecisionThenTheSameBytesAsTheDocumentedRecords() {
    for (Decision d : DECISIONS) {
      assertThat(new String(VerifyAnswer.write(d, false), StandardCharsets.UTF_8))
          .isEqualTo(new String(Json.write(view(d)), StandardCharsets.UTF_8));
      assertThat(new String(VerifyAnswer.write(d, true), StandardCharsets.UTF_8))
          .isEqualTo(new String(Json.write(explained(d)), StandardCharsets.UTF_8));
    }
  }
}
