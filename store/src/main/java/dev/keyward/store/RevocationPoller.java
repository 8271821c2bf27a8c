package dev.keyward.store;

import dev.keyward.core.token.Revocation;
import dev.keyward.core.token.RevocationList;
import dev.keyward.store.jdbc.JdbcRevocationLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps this node's {@link RevocationList} current with revocations made on any node: reads the
 * store every {@code interval} (default 250 ms), re-reading a few seconds back each time so that
 * late commits and small clock differences between nodes are not missed (applying twice is
 * harmless). A successful read marks the list fresh; a failing store leaves it to go stale, and
 * stale lists make access tokens fail closed.
 */
public final class RevocationPoller implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(RevocationPoller.class.getName());
  static final Duration OVERLAP = Duration.ofSeconds(5);

  private final JdbcRevocationLog log;
  private final RevocationList list;
  private final Clock clock;
  private final Duration horizon;
  private final ScheduledExecutorService scheduler;
  private Instant lastRead = Instant.EPOCH;
  private Instant lastPurge = Instant.EPOCH;

  /** @param horizon how long revocations matter (longest access-token lifetime plus skew) */
  public RevocationPoller(JdbcRevocationLog log, RevocationList list, Clock clock, Duration interval, Duration horizon) {
    this.log = log;
    this.list = list;
    this.clock = clock;
    this.horizon = horizon;
    pollOnce(); // the first read happens before the server answers anything
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "keyward-revocations");
      t.setDaemon(true);
      return t;
    });
    long ms = Math.max(10, interval.toMillis());
    var unused = scheduler.scheduleWithFixedDelay(this::pollQuietly, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** Reads new revocations; public for tests. */
  public synchronized void pollOnce() {
    Instant started = clock.instant();
    Instant from = lastRead.equals(Instant.EPOCH) ? started.minus(horizon) : lastRead.minus(OVERLAP);
    for (Revocation r : log.since(from)) {
      list.apply(r);
    }
    lastRead = started;
    list.markFresh(started);
    if (Duration.between(lastPurge, started).compareTo(Duration.ofMinutes(1)) > 0) {
      list.prune(started.minus(horizon));
      log.purge(started);
      lastPurge = started;
    }
  }

  private void pollQuietly() {
    try {
      pollOnce();
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "revocation poll failed; tokens fail closed once the list is stale: {0}", e.getMessage());
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
