package dev.keyward.core.audit;

import dev.keyward.core.auth.Actor;
import dev.keyward.core.secret.SecretGenerator;
import java.time.Clock;
import org.jspecify.annotations.Nullable;

/** Writes audit events with an id and the current time; the one way services audit. */
public final class Auditor {
  private final AuditLog log;
  private final SecretGenerator ids;
  private final Clock clock;

  public Auditor(AuditLog log, SecretGenerator ids, Clock clock) {
    this.log = log;
    this.ids = ids;
    this.clock = clock;
  }

  public void record(String tenantId, String event, @Nullable Actor actor, String subjectType, @Nullable String subjectId, @Nullable String detail) {
    log.record(new AuditEvent(
        ids.id("evt"), tenantId, clock.instant(), event,
        actor == null ? null : actor.userId(), subjectType, subjectId,
        actor == null ? null : actor.ip(), detail));
  }

  /** Records an event whose actor is known by id only, outside a request (a key's first use). */
  public void recordBy(String tenantId, String event, @Nullable String actorId, @Nullable String ip, String subjectType,
      @Nullable String subjectId, @Nullable String detail) {
    log.record(new AuditEvent(ids.id("evt"), tenantId, clock.instant(), event, actorId, subjectType, subjectId, ip, detail));
  }
}
