package dev.keyward.store;

import dev.keyward.core.audit.AuditEvent;
import dev.keyward.core.audit.Auditor;
import dev.keyward.core.auth.LastUsedTracker;
import dev.keyward.core.key.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps last-used times in memory and writes them in one batch per interval (default one second),
 * so a key used a thousand times a second costs one write a second, not a thousand. A key used for
 * the first time is audited once, by whichever node writes it first. A crash loses at most one
 * interval of last-used times, never a key or a revocation.
 */
public final class LastUsedRecorder implements LastUsedTracker, AutoCloseable {
  private static final Logger LOG = Logger.getLogger(LastUsedRecorder.class.getName());

  private record Use(String tenantId, Instant at) {}

  private final KeyStore keys;
  private final Auditor auditor;
  private final ConcurrentHashMap<String, Use> pending = new ConcurrentHashMap<>();
  private final ScheduledExecutorService scheduler;

  public LastUsedRecorder(KeyStore keys, Auditor auditor, Duration interval) {
    this.keys = keys;
    this.auditor = auditor;
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "keyward-last-used");
      t.setDaemon(true);
      return t;
    });
    long ms = interval.toMillis();
    scheduler.scheduleWithFixedDelay(this::flushQuietly, ms, ms, TimeUnit.MILLISECONDS);
  }

  @Override
  public void touched(String tenantId, String keyId, Instant at) {
    Use previous = pending.get(keyId);
    if (previous == null || previous.at().isBefore(at)) {
      pending.put(keyId, new Use(tenantId, at));
    }
  }

  /** Writes what is pending now. */
  public synchronized void flush() {
    if (pending.isEmpty()) {
      return;
    }
    Map<String, Use> batch = new HashMap<>();
    for (String id : pending.keySet()) {
      Use use = pending.remove(id);
      if (use != null) {
        batch.put(id, use);
      }
    }
    Map<String, Instant> times = new HashMap<>();
    batch.forEach((id, use) -> times.put(id, use.at()));
    try {
      Set<String> firstUse = keys.recordLastUsed(times);
      for (String id : firstUse) {
        auditor.record(batch.get(id).tenantId(), AuditEvent.KEY_FIRST_USED, null, "key", id, null);
      }
    } catch (RuntimeException e) {
      // Put them back (unless newer uses arrived) so the next flush tries again.
      batch.forEach((id, use) -> pending.merge(id, use, (a, b) -> a.at().isAfter(b.at()) ? a : b));
      throw e;
    }
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Could not record last-used times; will retry: {0}", e.getMessage());
    }
  }

  @Override
  public void close() {
    scheduler.shutdown();
    try {
      scheduler.awaitTermination(2, TimeUnit.SECONDS);
      flushQuietly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
