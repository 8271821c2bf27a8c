package dev.keyward.core.auth;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Notes that a key was used; implementations batch the writes instead of one per request. */
@FunctionalInterface
public interface LastUsedTracker {
  void touched(String tenantId, String keyId, Instant at);

  /**
   * As {@link #touched(String, String, Instant)}, with who used the key ({@code userId}, its owner)
   * and from where, so that the audit event of a key's first use names its actor and address.
   */
  default void touched(String tenantId, String keyId, String userId, @Nullable String ip, Instant at) {
    touched(tenantId, keyId, at);
  }

  LastUsedTracker NONE = (tenantId, keyId, at) -> {};
}
