package dev.keyward.core.testing;

import dev.keyward.core.audit.AuditEvent;
import dev.keyward.core.audit.AuditLog;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** {@link AuditLog} in memory, with helpers for assertions. */
public final class InMemoryAuditLog implements AuditLog {
  private final List<AuditEvent> events = new ArrayList<>();

  @Override
  public synchronized void record(AuditEvent event) {
    events.add(event);
  }

  @Override
  public synchronized List<AuditEvent> list(String tenantId, Query q) {
    return events.stream()
        .filter(e -> e.tenantId().equals(tenantId))
        .filter(e -> q.event() == null || q.event().equals(e.event()))
        .filter(e -> q.actorId() == null || q.actorId().equals(e.actorId()))
        .filter(e -> q.subjectId() == null || q.subjectId().equals(e.subjectId()))
        .filter(e -> q.since() == null || !e.at().isBefore(q.since()))
        .filter(e -> q.until() == null || e.at().isBefore(q.until()))
        .sorted(Comparator.comparing(AuditEvent::at).reversed().thenComparing(AuditEvent::id))
        .limit(q.limit())
        .toList();
  }

  /** Every event, oldest first. */
  public synchronized List<AuditEvent> events() {
    return List.copyOf(events);
  }

  /** Events with this name, oldest first; every tenant, or one when {@code tenantId} is set. */
  public synchronized List<AuditEvent> events(String event, @Nullable String tenantId) {
    return events.stream()
        .filter(e -> e.event().equals(event))
        .filter(e -> tenantId == null || e.tenantId().equals(tenantId))
        .toList();
  }

  /** Events with this name in any tenant, oldest first. */
  public List<AuditEvent> events(String event) {
    return events(event, null);
  }
}
