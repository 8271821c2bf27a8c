package dev.keyward.store.jdbc;

import dev.keyward.core.audit.AuditEvent;
import dev.keyward.core.audit.AuditLog;
import java.util.ArrayList;
import java.util.List;

/** The audit log in SQL. */
public final class JdbcAuditLog implements AuditLog {
  private final Jdbc jdbc;

  public JdbcAuditLog(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void record(AuditEvent e) {
    jdbc.update(
        "INSERT INTO audit_events (id, tenant_id, at, event, actor_id, subject_type, subject_id, ip, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        e.id(), e.tenantId(), e.at(), e.event(), e.actorId(), e.subjectType(), e.subjectId(), e.ip(), e.detail());
  }

  @Override
  public List<AuditEvent> list(String tenantId, Query q) {
    StringBuilder sql = new StringBuilder(
        "SELECT id, tenant_id, at, event, actor_id, subject_type, subject_id, ip, detail FROM audit_events WHERE tenant_id = ?");
    List<Object> params = new ArrayList<>();
    params.add(tenantId);
    if (q.event() != null) {
      sql.append(" AND event = ?");
      params.add(q.event());
    }
    if (q.actorId() != null) {
      sql.append(" AND actor_id = ?");
      params.add(q.actorId());
    }
    if (q.subjectId() != null) {
      sql.append(" AND subject_id = ?");
      params.add(q.subjectId());
    }
    if (q.since() != null) {
      sql.append(" AND at >= ?");
      params.add(q.since());
    }
    if (q.until() != null) {
      sql.append(" AND at < ?");
      params.add(q.until());
    }
    sql.append(" ORDER BY at DESC, id LIMIT ?");
    params.add(q.limit());
    return jdbc.query(sql.toString(), rs -> new AuditEvent(
        rs.getString("id"), rs.getString("tenant_id"), Jdbc.requiredInstant(rs, "at"), rs.getString("event"),
        rs.getString("actor_id"), rs.getString("subject_type"), rs.getString("subject_id"), rs.getString("ip"),
        rs.getString("detail")), params.toArray());
  }
}
