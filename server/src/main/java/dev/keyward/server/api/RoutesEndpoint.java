package dev.keyward.server.api;

import dev.keyward.core.audit.AuditEvent;
import dev.keyward.core.audit.Auditor;
import dev.keyward.core.auth.Access;
import dev.keyward.core.auth.Actor;
import dev.keyward.core.tenant.TenantService;
import dev.keyward.server.http.Api;
import dev.keyward.server.http.Authn;
import dev.keyward.server.http.Bodies;
import dev.keyward.server.routes.RouteTables;
import dev.keyward.server.routes.RoutesDocument;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code /api/v1/routes}: the deployment's route table (and the roles it seeds), read by admins
 * and replaced by the deployment's owners with the same document a routes file holds (JSON).
 */
public final class RoutesEndpoint {
  private final RouteTables routes;
  private final TenantService tenants;
  private final Auditor auditor;
  private final Authn authn;

  public RoutesEndpoint(RouteTables routes, TenantService tenants, Auditor auditor, Authn authn) {
    this.routes = routes;
    this.tenants = tenants;
    this.auditor = auditor;
    this.authn = authn;
  }

  public void register(Api api) {
    api.get("/api/v1/routes", this::get).put("/api/v1/routes", this::replace);
  }

  private void get(ServerRequest req, ServerResponse res) {
    Actor actor = authn.actor(req);
    Access.requireAdmin(actor);
    Bodies.ok(res, routes.document());
  }

  private void replace(ServerRequest req, ServerResponse res) {
    Actor actor = authn.actor(req);
    tenants.requireDeploymentOwner(actor);
    RoutesDocument replaced = routes.replace(Bodies.readJsonBytes(req), actor.principal().email());
    auditor.record(actor.tenantId(), AuditEvent.ROUTES_UPDATED, actor, "routes", null,
        "routes=" + replaced.routes().size() + " roles=" + replaced.roles().size());
    Bodies.ok(res, replaced);
  }
}
