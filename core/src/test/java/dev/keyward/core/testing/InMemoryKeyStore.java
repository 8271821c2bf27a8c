package dev.keyward.core.testing;

import dev.keyward.core.authz.KeyAccess;
import dev.keyward.core.error.KeywardException;
import dev.keyward.core.key.ApiKey;
import dev.keyward.core.key.KeyStore;
import dev.keyward.core.principal.Member;
import dev.keyward.core.tenant.Tenant;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * {@link KeyStore} in memory, shaped like the SQL schema: a digest is unique, a name is unique
 * among a user's live keys in a tenant, and {@link #findGrant} joins the key with its tenant, its
 * owner and the owner's membership (no membership, no grant). It counts {@code findGrant} calls so
 * that tests can prove a malformed key never reaches the store.
 */
public final class InMemoryKeyStore implements KeyStore {
  private record Stored(ApiKey key, String digest, @Nullable String previousDigest) {}

  private final InMemoryTenantStore tenants;
  private final InMemoryUserStore users;
  private final Map<String, Stored> byId = new LinkedHashMap<>();
  private final AtomicInteger findGrantCalls = new AtomicInteger();

  public InMemoryKeyStore(InMemoryTenantStore tenants, InMemoryUserStore users) {
    this.tenants = tenants;
    this.users = users;
  }

  @Override
  public synchronized void insert(ApiKey key, String digest) {
    tenants.require(key.tenantId());
    if (byId.containsKey(key.id()) || byId.values().stream().anyMatch(s -> s.digest().equals(digest))) {
      throw KeywardException.conflict("This record already exists");
    }
    boolean liveNameTaken = key.revokedAt() == null && byId.values().stream()
        .map(Stored::key)
        .anyMatch(k -> !k.isRevoked() && k.tenantId().equals(key.tenantId()) && k.userId().equals(key.userId())
            && k.name().equals(key.name()));
    if (liveNameTaken) {
      throw KeywardException.conflict("A live key with this name already exists for this user");
    }
    byId.put(key.id(), new Stored(key, digest, null));
  }

  @Override
  public synchronized Optional<ApiKey> find(String tenantId, String keyId) {
    return Optional.ofNullable(byId.get(keyId)).map(Stored::key).filter(k -> k.tenantId().equals(tenantId));
  }

  @Override
  public synchronized List<ApiKey> list(String tenantId, @Nullable String userId) {
    return byId.values().stream()
        .map(Stored::key)
        .filter(k -> k.tenantId().equals(tenantId))
        .filter(k -> userId == null || k.userId().equals(userId))
        .sorted(Comparator.comparing(ApiKey::createdAt).reversed().thenComparing(ApiKey::id))
        .toList();
  }

  @Override
  public synchronized boolean revoke(String tenantId, String keyId, Instant at) {
    Optional<ApiKey> live = find(tenantId, keyId).filter(k -> !k.isRevoked());
    live.ifPresent(k -> replace(revoked(k, at)));
    return live.isPresent();
  }

  @Override
  public synchronized int revokeAllOf(String tenantId, String userId, Instant at) {
    List<ApiKey> live = byId.values().stream()
        .map(Stored::key)
        .filter(k -> k.tenantId().equals(tenantId) && k.userId().equals(userId) && !k.isRevoked())
        .toList();
    live.forEach(k -> replace(revoked(k, at)));
    return live.size();
  }

  @Override
  public synchronized Optional<KeyGrant> findGrant(String digest) {
    findGrantCalls.incrementAndGet();
    Optional<Stored> found = byId.values().stream()
        .filter(s -> s.digest().equals(digest) || digest.equals(s.previousDigest())).findFirst();
    if (found.isEmpty()) {
      return Optional.empty();
    }
    ApiKey k = found.get().key();
    Instant graceUntil = found.get().digest().equals(digest) ? null : k.previousExpiresAt();
    Optional<Tenant> tenant = tenants.findById(k.tenantId());
    Optional<Member> owner = users.findMember(k.tenantId(), k.userId());
    if (tenant.isEmpty() || owner.isEmpty()) {
      return Optional.empty(); // the inner joins find nothing
    }
    return Optional.of(new KeyGrant(k, tenant.get().slug(), owner.get().user().email(), owner.get().roles(), graceUntil));
  }

  @Override
  public synchronized Set<String> recordLastUsed(Map<String, Instant> lastUsed) {
    Set<String> firstUse = new HashSet<>();
    lastUsed.forEach((id, at) -> {
      Stored s = byId.get(id);
      if (s == null) {
        return;
      }
      ApiKey k = s.key();
      if (k.lastUsedAt() == null) {
        firstUse.add(id);
        replace(k.withLastUsedAt(at));
      } else if (k.lastUsedAt().isBefore(at)) {
        replace(k.withLastUsedAt(at));
      }
    });
    return firstUse;
  }

  /** How many times {@link #findGrant} has been called. */
  public int findGrantCalls() {
    return findGrantCalls.get();
  }

  /** The stored digest of a key, for assertions that the secret itself is never stored. */
  public synchronized Optional<String> digestOf(String keyId) {
    return Optional.ofNullable(byId.get(keyId)).map(Stored::digest);
  }

  /** Every stored digest. */
  public synchronized Set<String> digests() {
    Set<String> all = new HashSet<>();
    byId.values().forEach(s -> all.add(s.digest()));
    return all;
  }

  @Override
  public synchronized boolean updateAccess(String tenantId, String keyId, KeyAccess access, @Nullable Long quotaRemaining) {
    Optional<ApiKey> k = find(tenantId, keyId);
    k.ifPresent(key -> replace(with(key, key.name(), key.expiresAt(), key.revokedAt(), access, quotaRemaining, key.previousExpiresAt(), key.start())));
    return k.isPresent();
  }

  @Override
  public synchronized boolean updateRoles(String tenantId, String keyId, Set<String> roles) {
    Optional<ApiKey> k = find(tenantId, keyId);
    k.ifPresent(key -> replace(new ApiKey(key.id(), key.tenantId(), key.userId(), key.name(), key.start(), roles, key.environment(),
        key.admin(), key.createdAt(), key.expiresAt(), key.revokedAt(), key.lastUsedAt(), key.access(), key.quotaRemaining(),
        key.previousExpiresAt())));
    return k.isPresent();
  }

  @Override
  public synchronized boolean updateDetails(String tenantId, String keyId, String name, @Nullable Instant expiresAt) {
    Optional<ApiKey> k = find(tenantId, keyId);
    if (k.isEmpty()) {
      return false;
    }
    ApiKey key = k.get();
    boolean taken = !key.isRevoked() && !key.name().equals(name) && byId.values().stream().map(Stored::key)
        .anyMatch(o -> !o.isRevoked() && o.tenantId().equals(tenantId) && o.userId().equals(key.userId()) && o.name().equals(name));
    if (taken) {
      throw KeywardException.conflict("A live key with this name already exists for this user");
    }
    replace(with(key, name, expiresAt, key.revokedAt(), key.access(), key.quotaRemaining(), key.previousExpiresAt(), key.start()));
    return true;
  }

  @Override
  public synchronized OptionalLong consumeQuota(String tenantId, String keyId) {
    Optional<ApiKey> k = find(tenantId, keyId);
    if (k.isEmpty() || k.get().quotaRemaining() == null || k.get().quotaRemaining() <= 0) {
      return OptionalLong.empty();
    }
    ApiKey key = k.get();
    long left = key.quotaRemaining() - 1;
    replace(with(key, key.name(), key.expiresAt(), key.revokedAt(), key.access(), left, key.previousExpiresAt(), key.start()));
    return OptionalLong.of(left);
  }

  @Override
  public synchronized boolean roll(String tenantId, String keyId, String newDigest, String newStart, @Nullable Instant previousUntil) {
    Optional<ApiKey> k = find(tenantId, keyId).filter(key -> !key.isRevoked());
    if (k.isEmpty()) {
      return false;
    }
    Stored s = byId.get(keyId);
    ApiKey key = k.get();
    byId.put(keyId, new Stored(with(key, key.name(), key.expiresAt(), null, key.access(), key.quotaRemaining(), previousUntil, newStart),
        newDigest, previousUntil == null ? null : s.digest()));
    return true;
  }

  private void replace(ApiKey key) {
    byId.computeIfPresent(key.id(), (id, s) -> new Stored(key, s.digest(), s.previousDigest()));
  }

  private static ApiKey revoked(ApiKey k, Instant at) {
    return with(k, k.name(), k.expiresAt(), at, k.access(), k.quotaRemaining(), k.previousExpiresAt(), k.start());
  }

  private static ApiKey with(ApiKey k, String name, @Nullable Instant expiresAt, @Nullable Instant revokedAt, KeyAccess access,
      @Nullable Long quotaRemaining, @Nullable Instant previousExpiresAt, String start) {
    return new ApiKey(k.id(), k.tenantId(), k.userId(), name, start, k.roles(), k.environment(), k.admin(),
        k.createdAt(), expiresAt, revokedAt, k.lastUsedAt(), access, quotaRemaining, previousExpiresAt);
  }
}
