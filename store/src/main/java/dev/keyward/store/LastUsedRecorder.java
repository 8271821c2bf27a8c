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
  /** First uses written but not yet audited (key id to tenant id), retried by every flush; guarded by this. */
  private final Map<String, String> firstUsesToAudit = new HashMap<>();
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
    pending.merge(keyId, new Use(tenantId, at), LastUsedRecorder::later);
  }

  /** Writes what is pending now. */
  public synchronized void flush() {
    if (pending.isEmpty()) {
      auditFirstUses();
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
    Set<String> firstUse;
    try {
      firstUse = keys.recordLastUsed(times);
    } catch (RuntimeException e) {
      // Put them back (unless newer uses arrived) so the next flush tries again.
      batch.forEach((id, use) -> pending.merge(id, use, LastUsedRecorder::later));
      throw e;
    }
    // The store reports a first use only once: keep it until its audit event is written.
    firstUse.forEach(id -> firstUsesToAudit.put(id, batch.get(id).tenantId()));
    auditFirstUses();
  }

  private void auditFirstUses() {
    for (var it = firstUsesToAudit.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, String> first = it.next();
      auditor.record(first.getValue(), AuditEvent.KEY_FIRST_USED, null, "key", first.getKey(), null);
      it.remove();
    }
  }

  private static Use later(Use a, Use b) {
    return a.at().isAfter(b.at()) ? a : b;
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
