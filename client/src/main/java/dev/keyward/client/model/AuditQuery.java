package dev.keyward.client.model;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Which audit events to list ({@code GET /api/v1/audit}), newest first:
 * {@code AuditQuery.all().withEvent("key.revoked").withLimit(20)}.
 */
public final class AuditQuery {
  private final Members members;

  private AuditQuery(Members members) {
    this.members = members;
  }

  /** Every event (the server answers at most 100 unless a limit is given). */
  public static AuditQuery all() {
    return new AuditQuery(Members.empty());
  }

  public AuditQuery withEvent(String event) {
    return new AuditQuery(members.with("event", event));
  }

  /** Events of this acting user id. */
  public AuditQuery withActor(String userId) {
    return new AuditQuery(members.with("actor", userId));
  }

  /** Events about this user, key or tenant id. */
  public AuditQuery withSubject(String id) {
    return new AuditQuery(members.with("subject", id));
  }

  public AuditQuery since(Instant from) {
    return new AuditQuery(members.with("since", from.toString()));
  }

  public AuditQuery until(Instant to) {
    return new AuditQuery(members.with("until", to.toString()));
  }

  public AuditQuery withLimit(int limit) {
    return new AuditQuery(members.with("limit", Integer.toString(limit)));
  }

  /** The query parameters. */
  public Map<String, @Nullable Object> parameters() {
    return members.map();
  }
}
