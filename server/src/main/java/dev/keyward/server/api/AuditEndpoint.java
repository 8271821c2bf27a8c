package dev.keyward.server.api;

import dev.keyward.core.audit.AuditLog;
import dev.keyward.core.audit.AuditReader;
import dev.keyward.core.auth.Actor;
import dev.keyward.core.error.Echo;
import dev.keyward.core.error.KeywardException;
import dev.keyward.server.http.Api;
import dev.keyward.server.http.Authn;
import dev.keyward.server.http.Bodies;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Map;
import java.util.Set;

/** {@code GET /api/v1/audit}: credential events of the tenant, newest first (admins only). */
public final class AuditEndpoint {
  private static final Set<String> PARAMS = Set.of("event", "actor", "subject", "since", "until", "limit");
  private final AuditReader reader;
  private final Authn authn;

  public AuditEndpoint(AuditReader reader, Authn authn) {
    this.reader = reader;
    this.authn = authn;
  }

  public void register(Api api) {
    api.get("/api/v1/audit", this::list);
  }

  private void list(ServerRequest req, ServerResponse res) {
    Actor actor = authn.actor(req);
    var q = req.query();
    for (String name : q.names()) {
      if (!PARAMS.contains(name)) {
        throw KeywardException.invalid("Unknown query parameter " + Echo.quoted(name) + "; use " + String.join(", ", PARAMS.stream().sorted().toList()));
      }
    }
    int limit;
    String rawLimit = q.first("limit").orElse("100");
    try {
      limit = Integer.parseInt(rawLimit);
    } catch (NumberFormatException e) {
      throw KeywardException.invalidField("limit", "'limit' must be a whole number between 1 and " + AuditReader.MAX_LIMIT);
    }
    AuditLog.Query query = new AuditLog.Query(q.first("event").orElse(null), q.first("actor").orElse(null),
        q.first("subject").orElse(null), Fields.instant(q.first("since").orElse(null), "since"),
        Fields.instant(q.first("until").orElse(null), "until"), limit);
    Bodies.ok(res, Map.of("events", reader.list(actor, query).stream().map(Views::audit).toList()));
  }
}
