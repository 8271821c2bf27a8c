package dev.keyward.core.key;

import dev.keyward.core.authz.KeyAccess;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Persistence of API keys. Every read is scoped by tenant except the lookup by digest. */
public interface KeyStore {

  /** Inserts a key with the digest of its secret; a live key with the same name and owner conflicts. */
  void insert(ApiKey key, String digest);

  Optional<ApiKey> find(String tenantId, String keyId);

  /** Keys of a tenant, optionally of one user, newest first. */
  List<ApiKey> list(String tenantId, @Nullable String userId);

  /** Sets {@code revokedAt} if not yet revoked; false when it already was (or is unknown). */
  boolean revoke(String tenantId, String keyId, Instant at);

  /** Revokes every live key of a user in a tenant; returns how many. */
  int revokeAllOf(String tenantId, String userId, Instant at);

  /**
   * What authentication needs to know about a key, by the digest of its secret: the current one,
   * or the previous one of a rolled key (then {@link KeyGrant#graceUntil} says until when it works).
   */
  Optional<KeyGrant> findGrant(String digest);

  /** Replaces a key's access options; {@code quotaRemaining} is set as given (null: no quota). */
  boolean updateAccess(String tenantId, String keyId, KeyAccess access, @Nullable Long quotaRemaining);

  /** Sets the roles a key is limited to. */
  boolean updateRoles(String tenantId, String keyId, Set<String> roles);

  /** Renames a key, or sets its expiry; a live key with the same name and owner conflicts. */
  boolean updateDetails(String tenantId, String keyId, String name, @Nullable Instant expiresAt);

  /**
   * Takes one use from a key with a quota, atomically (never below zero, whatever the
   * concurrency); the uses left after it, or empty when none was left (or the key has no quota).
   */
  OptionalLong consumeQuota(String tenantId, String keyId);

  /**
   * Gives a live key a new secret. The previous one keeps working until {@code previousUntil}
   * (null: it stops at once); a previous secret still in its grace period is dropped.
   */
  boolean roll(String tenantId, String keyId, String newDigest, String newStart, @Nullable Instant previousUntil);

  /**
   * Records last-used times in one batch; returns the ids of keys used for the first time (their
   * {@code last_used_at} was empty).
   */
  Set<String> recordLastUsed(Map<String, Instant> lastUsed);

  /** A key joined with its owner's membership, as authentication sees it. */
  record KeyGrant(
      ApiKey key, String tenantSlug, String email, Set<String> ownerRoles, @Nullable Instant graceUntil) {}
}
