package dev.keyward.client.model;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An API key as listed: never its secret.
 *
 * @param start the first characters of the key, to recognise it
 * @param roles the key's own roles; null: its owner's current roles
 * @param quotaRemaining uses left when the key has a quota
 * @param previousSecretExpiresAt after a roll: until when the previous secret keeps working
 */
public record Key(String id, String name, String start, String userId, @Nullable Set<String> roles, Environment environment,
    boolean admin, Instant createdAt, @Nullable Instant expiresAt, @Nullable Instant lastUsedAt, @Nullable Instant revokedAt,
    KeyAccess access, @Nullable Long quotaRemaining, @Nullable Instant previousSecretExpiresAt) {
  public Key {
    roles = roles == null ? null : Set.copyOf(roles);
  }

  public boolean revoked() {
    return revokedAt != null;
  }

  public Optional<Instant> expiry() {
    return Optional.ofNullable(expiresAt);
  }
}
