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
import org.jspecify.annotations.Nullable;

/**
 * Keeps last-used times in memory and writes them in one batch per interval (default one second),
 * so a key used a thousand times a second costs one write a second, not a thousand. A key used for
 * the first time is audited once, by whichever node writes it first. A crash loses at most one
 * interval of last-used times, never a key or a revocation.
 */
public final class LastUsedRecorder implements LastUsedTracker, AutoCloseable {
  private static final Logger LOG = Logger.getLogger(LastUsedRecorder.class.getName());

  /** The latest use of a key, and who used it first (and from where) since the last flush. */
  private record Use(String tenantId, Instant at, @Nullable String userId, @Nullable String ip) {}

  private final KeyStore keys;
  private final Auditor auditor;
  private final ConcurrentHashMap<String, Use> pending = new ConcurrentHashMap<>();
  /** First uses written but not yet audited (key id to its use), retried by every flush; guarded by this. */
  private final Map<String, Use> firstUsesToAudit = new HashMap<>();
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
    var unused = scheduler.scheduleWithFixedDelay(this::flushQuietly, ms, ms, TimeUnit.MILLISECONDS);
  }

  @Override
  public void touched(String tenantId, String keyId, Instant at) {
    Use seen = pending.get(keyId);
    if (seen != null && !seen.at().isBefore(at)) {
      return; // merging would keep it as it is
    }
    pending.merge(keyId, new Use(tenantId, at, null, null), LastUsedRecorder::later);
  }

  @Override
  public void touched(String tenantId, String keyId, String userId, @Nullable String ip, Instant at) {
    // A key in steady use is touched many times within one tick of the clock: those merges would
    // change nothing, and each would lock the same map bin as every other request using the key.
    Use seen = pending.get(keyId);
    if (seen != null && seen.userId() != null && seen.at().equals(at)) {
      return;
    }
    pending.merge(keyId, new Use(tenantId, at, userId, ip), LastUsedRecorder::later);
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
    firstUse.forEach(id -> firstUsesToAudit.put(id, batch.get(id)));
    auditFirstUses();
  }

  private void auditFirstUses() {
    for (var it = firstUsesToAudit.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Use> first = it.next();
      Use use = first.getValue();
      auditor.recordBy(use.tenantId(), AuditEvent.KEY_FIRST_USED, use.userId(), use.ip(), "key", first.getKey(), null);
      it.remove();
    }
  }

  /** The later time, with the user and address of the earlier use (the first use is the one audited). */
  private static Use later(Use a, Use b) {
    boolean aIsLater = a.at().isAfter(b.at());
    Use latest = aIsLater ? a : b;
    Use earliest = aIsLater ? b : a;
    return earliest.userId() == null ? latest : new Use(latest.tenantId(), latest.at(), earliest.userId(), earliest.ip());
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
