package dev.keyward.core.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The revocations this node applies to access tokens, in memory: a token check costs a few map
 * look-ups, no store read. Kept current by this node's own changes at once and by a poller of the
 * store for other nodes' changes; when the poller has not succeeded for longer than the allowed
 * staleness, tokens are refused with 503 (fail closed) rather than trusted blindly.
 */
public final class RevocationList {
  private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
  private final Map<String, Instant> keys = new ConcurrentHashMap<>();
  private final Map<String, Instant> families = new ConcurrentHashMap<>();
  private final Map<String, Instant> users = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration maxStaleness;
  private volatile Instant freshAt;

  public RevocationList(Clock clock, Duration maxStaleness) {
    this.clock = clock;
    this.maxStaleness = maxStaleness;
    this.freshAt = clock.instant();
  }

  public void apply(Revocation r) {
    Map<String, Instant> map = switch (r.kind()) {
      case TOKEN -> tokens;
      case KEY -> keys;
      case FAMILY -> families;
      case USER -> users;
    };
    map.merge(r.subject(), r.at(), (a, b) -> a.isAfter(b) ? a : b);
  }

  /** True when any revocation covers the token. */
  public boolean isRevoked(TokenClaims c) {
    if (tokens.containsKey(c.jti())) {
      return true;
    }
    if (c.keyId() != null && keys.containsKey(c.keyId())) {
      return true;
    }
    if (c.familyId() != null && families.containsKey(c.familyId())) {
      return true;
    }
    Instant userCutoff = users.get(c.userId());
    return userCutoff != null && !c.issuedAt().isAfter(userCutoff);
  }

  /** Called by the poller after every successful read of the store. */
  public void markFresh(Instant at) {
    freshAt = at;
  }

  /** False when the store has not been read recently enough to trust that nothing was revoked. */
  public boolean isFresh() {
    return Duration.between(freshAt, clock.instant()).compareTo(maxStaleness) <= 0;
  }

  /** Forgets revocations older than {@code horizon} (every token they concern has expired). */
  public void prune(Instant horizon) {
    tokens.values().removeIf(t -> t.isBefore(horizon));
    keys.values().removeIf(t -> t.isBefore(horizon));
    families.values().removeIf(t -> t.isBefore(horizon));
    users.values().removeIf(t -> t.isBefore(horizon));
  }
}
