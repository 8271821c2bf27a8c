package dev.keyward.client.model;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The decision on a credential ({@code POST /api/v1/verify}): refusals are answers too, with
 * {@code valid} false and a {@code code} such as {@code NOT_FOUND}, {@code EXPIRED},
 * {@code REVOKED}, {@code FORBIDDEN} (the message names what is missing), {@code RATE_LIMITED}.
 *
 * @param rules every rule applied, in order; only for {@code explain}, else empty
 */
public record Verification(boolean valid, String code, String message, @Nullable Principal principal,
    @Nullable String permission, @Nullable String resource, @Nullable Limit ratelimit, @Nullable Long quota,
    List<Rule> rules) {
  public Verification {
    rules = rules == null ? List.of() : List.copyOf(rules);
  }

  /** Who the credential belongs to. */
  public record Principal(String tenantId, String tenant, String userId, String email, Set<String> roles, String credential,
      @Nullable String keyId, @Nullable Environment environment, boolean adminKey) {
    public Principal {
      roles = Set.copyOf(roles);
    }
  }

  /** The key's rate limit after this call. */
  public record Limit(long limit, long remaining, Instant resetAt) {}

  /** One rule of an explained decision. */
  public record Rule(String rule, boolean passed, String detail) {}
}
