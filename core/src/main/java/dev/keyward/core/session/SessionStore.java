package dev.keyward.core.session;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** Persistence of backoffice sessions, by the digest of their secret. */
public interface SessionStore {
  void insert(String digest, String tenantId, String userId, Instant at);

  /** The session with its account and membership as they are now; empty when either is gone. */
  Optional<Found> find(String digest);

  void touch(String digest, Instant at);

  void delete(String digest);

  /** Drops sessions last used before {@code idleBefore} or started before {@code startedBefore}. */
  int deleteExpired(Instant idleBefore, Instant startedBefore);

  /** A stored session joined with its account, tenant and current roles there. */
  record Found(String tenantId, String tenantSlug, String userId, String email, String name, boolean programmatic,
      Set<String> roles, Instant createdAt, Instant lastSeenAt, Instant credentialsChangedAt) {
    public Found {
      roles = Set.copyOf(roles);
    }
  }
}
