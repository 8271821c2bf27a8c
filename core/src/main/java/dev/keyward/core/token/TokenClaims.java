package dev.keyward.core.token;

import dev.keyward.core.key.Environment;
import java.time.Instant;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What an access token says: who (user id, email), where (tenant), with which rights (scope =
 * role names), through which credential (the API key, if any; the refresh family, if any), and
 * when. {@code issuedAt} keeps milliseconds (claim {@code kw_iat}) so that a revocation at time T
 * refuses exactly the tokens issued before T.
 */
public record TokenClaims(
    String jti,
    String userId,
    String email,
    String tenantId,
    String tenantSlug,
    Set<String> scope,
    String clientId,
    @Nullable String keyId,
    @Nullable Environment environment,
    boolean adminKey,
    @Nullable String familyId,
    Instant issuedAt,
    Instant expiresAt) {

  public TokenClaims {
    scope = Set.copyOf(scope);
  }
}
