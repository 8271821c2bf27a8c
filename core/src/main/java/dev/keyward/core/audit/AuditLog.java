package dev.keyward.core.audit;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Where audit events are written and read back. */
public interface AuditLog {
  void record(AuditEvent event);

  /** Events of a tenant, newest first, filtered by whatever is non-null. */
  List<AuditEvent> list(String tenantId, Query query);

  /** Filters for {@link #list}. */
  record Query(
      @Nullable String event,
      @Nullable String actorId,
      @Nullable String subjectId,
      @Nullable Instant since,
      @Nullable Instant until,
      int limit) {}
}
