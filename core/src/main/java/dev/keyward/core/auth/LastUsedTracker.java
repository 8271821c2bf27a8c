package dev.keyward.core.auth;

import java.time.Instant;

/** Notes that a key was used; implementations batch the writes instead of one per request. */
@FunctionalInterface
public interface LastUsedTracker {
  void touched(String tenantId, String keyId, Instant at);

  LastUsedTracker NONE = (tenantId, keyId, at) -> {};
}
