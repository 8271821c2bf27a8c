package dev.keyward.core.session;

import java.time.Duration;

/**
 * How long a backoffice session lasts.
 *
 * @param idleTimeout a session not used for this long ends
 * @param maxAge a session ends this long after sign-in, however busy
 * @param touchEvery how stale the recorded last use may get before a request writes it again
 *     (one write per session per period, not one per page)
 */
public record SessionPolicy(Duration idleTimeout, Duration maxAge, Duration touchEvery) {
  public static final SessionPolicy DEFAULTS = new SessionPolicy(Duration.ofMinutes(30), Duration.ofHours(12), Duration.ofMinutes(1));

  public SessionPolicy {
    if (idleTimeout.isNegative() || idleTimeout.isZero() || maxAge.compareTo(idleTimeout) < 0 || touchEvery.compareTo(idleTimeout) >= 0) {
      throw new IllegalArgumentException("need 0 < touchEvery < idleTimeout <= maxAge");
    }
  }
}
