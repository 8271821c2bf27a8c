package dev.keyward.core.authz;

import dev.keyward.core.auth.Principal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The answer of the decision function: the code, a message that says why (safe to show to the
 * caller: it never holds the credential), who the caller is when known, what was checked and the
 * caller's rate-limit and quota state. {@code rules} is filled only when an explanation was asked.
 */
public record Decision(
    DecisionCode code,
    String message,
    @Nullable Principal principal,
    @Nullable Permission permission,
    @Nullable String resource,
    @Nullable Limit rateLimit,
    @Nullable Long quotaRemaining,
    List<Rule> rules,
    List<String> allow) {

  public Decision {
    rules = List.copyOf(rules);
    allow = List.copyOf(allow);
  }

  /** A decision without methods to name: every code but {@link DecisionCode#METHOD_NOT_ALLOWED}. */
  public Decision(DecisionCode code, String message, @Nullable Principal principal, @Nullable Permission permission,
      @Nullable String resource, @Nullable Limit rateLimit, @Nullable Long quotaRemaining, List<Rule> rules) {
    this(code, message, principal, permission, resource, rateLimit, quotaRemaining, rules, List.of());
  }

  /** The {@code Allow} header of a 405: the methods the path routes; empty for other codes. */
  public String allowHeader() {
    return String.join(", ", allow);
  }

  public boolean allowed() {
    return code == DecisionCode.VALID;
  }

  /**
   * What a refusal names as lacking, for the body of a 403: the permission, and the resource
   * when one was asked ({@code {"permission":…,"resource":…}}, in that order; empty when neither).
   */
  public Map<String, String> lacking() {
    Map<String, String> m = new LinkedHashMap<>();
    if (permission != null) {
      m.put("permission", permission.toString());
    }
    if (resource != null) {
      m.put("resource", resource);
    }
    return m;
  }

  /** A key's rate-limit state after this call: for {@code RateLimit-*} headers. */
  public record Limit(long limit, long remaining, Instant resetAt) {}

  /** One rule the decision applied, in order, and what it found. */
  public record Rule(String name, boolean passed, String detail) {}
}
