package dev.keyward.core.token;

import dev.keyward.core.key.Environment;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Persistence of refresh tokens: only their digests, each single use, grouped in families. */
public interface RefreshTokenStore {

  /** A refresh token as stored; every token of one login shares a family. */
  record StoredRefresh(String id, String digest, String familyId, String tenantId, String userId,
      @Nullable String keyId, String clientId, Set<String> scope, @Nullable Environment environment,
      boolean adminKey, Instant createdAt, Instant expiresAt, Instant familyCreatedAt, Instant familyExpiresAt,
      @Nullable Instant usedAt, @Nullable Instant revokedAt) {
    public StoredRefresh {
      scope = Set.copyOf(scope);
    }
  }

  void insert(StoredRefresh token);

  Optional<StoredRefresh> findByDigest(String digest);

  /** Marks a token used if it was neither used nor revoked; true for exactly one caller. */
  boolean markUsed(String id, Instant at);

  /** Revokes every token of a family; returns how many were live. */
  int revokeFamily(String familyId, Instant at);

  /** Revokes every refresh token of a user (password reset, removal). */
  int revokeAllOfUser(String userId, Instant at);

  /** Revokes every refresh token obtained with an API key (the key was revoked). */
  int revokeAllOfKey(String keyId, Instant at);
}
