package dev.keyward.server.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The system clock plus an offset a test moves forward: time keeps flowing for a server's pollers
 * and caches, and a test skips the half hour a session idles without waiting for it. Always UTC.
 */
public final class ShiftableClock extends Clock {
  private final Clock base = Clock.systemUTC();
  private volatile Duration offset = Duration.ZERO;

  @Override
  public Instant instant() {
    return base.instant().plus(offset);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("ShiftableClock is always UTC");
  }

  /** Moves the clock forward by {@code by}. */
  public synchronized void shift(Duration by) {
    offset = offset.plus(by);
  }
}
