package dev.keyward.core.audit;

import dev.keyward.core.auth.Access;
import dev.keyward.core.auth.Actor;
import dev.keyward.core.error.KeywardException;
import java.util.List;

/** Reads the audit log of the caller's tenant (admins only). */
public final class AuditReader {
  public static final int MAX_LIMIT = 1000;
  private final AuditLog log;

  public AuditReader(AuditLog log) {
    this.log = log;
  }

  public List<AuditEvent> list(Actor actor, AuditLog.Query query) {
    Access.requireAdmin(actor);
    if (query.limit() < 1 || query.limit() > MAX_LIMIT) {
      throw KeywardException.invalidField("limit", "'limit' must be between 1 and " + MAX_LIMIT);
    }
    if (query.since() != null && query.until() != null && !query.since().isBefore(query.until())) {
      throw KeywardException.invalidField("since", "'since' must be before 'until'");
    }
    return log.list(actor.tenantId(), query);
  }
}
