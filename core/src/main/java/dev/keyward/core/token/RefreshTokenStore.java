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

  /**
   * Rotation as one durable write: marks token {@code oldId} used at {@code at} if it was neither
   * used nor revoked, and only then stores {@code successor}. True for exactly one caller of
   * concurrent rotations of one token; a caller learns its answer once the write is committed.
   */
  boolean rotate(String oldId, Instant at, StoredRefresh successor);

  /** Revokes every token of a family; returns how many were live. */
  int revokeFamily(String familyId, Instant at);

  /** Revokes every refresh token of a user (password reset, removal). */
  int revokeAllOfUser(String userId, Instant at);

  /** Revokes every refresh token obtained with an API key (the key was revoked). */
  int revokeAllOfKey(String keyId, Instant at);
}
