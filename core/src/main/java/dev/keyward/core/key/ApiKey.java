package dev.keyward.core.key;

import dev.keyward.core.authz.KeyAccess;
import java.time.Instant;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An API key as stored: never its secret, only what describes it. {@code roles} null means the
 * key carries its owner's current roles; otherwise its rights are these roles intersected with
 * the owner's current ones. {@code access} holds the key's own limits; {@code quotaRemaining}
 * the uses left when it has a quota; {@code previousExpiresAt}, after a roll, when the previous
 * secret stops working.
 */
public record ApiKey(
    String id,
    String tenantId,
    String userId,
    String name,
    String start,
    @Nullable Set<String> roles,
    Environment environment,
    boolean admin,
    Instant createdAt,
    @Nullable Instant expiresAt,
    @Nullable Instant revokedAt,
    @Nullable Instant lastUsedAt,
    KeyAccess access,
    @Nullable Long quotaRemaining,
    @Nullable Instant previousExpiresAt) {

  public ApiKey {
    roles = roles == null ? null : Set.copyOf(roles);
  }

  public boolean isRevoked() {
    return revokedAt != null;
  }

  public boolean isExpired(Instant now) {
    return expiresAt != null && !now.isBefore(expiresAt);
  }

  public ApiKey withLastUsedAt(@Nullable Instant at) {
    return new ApiKey(id, tenantId, userId, name, start, roles, environment, admin, createdAt, expiresAt, revokedAt, at,
        access, quotaRemaining, previousExpiresAt);
  }
}
