package dev.keyward.server.api;

import dev.keyward.core.auth.Actor;
import dev.keyward.core.error.KeywardException;
import dev.keyward.core.tenant.TenantService;
import dev.keyward.server.http.Api;
import dev.keyward.server.http.Authn;
import dev.keyward.server.http.Bodies;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** {@code /api/v1/tenants}: for the deployment's owners (owners of tenant {@code default}). */
public final class TenantsEndpoint {
  private final TenantService tenants;
  private final Authn authn;

  public TenantsEndpoint(TenantService tenants, Authn authn) {
    this.tenants = tenants;
    this.authn = authn;
  }

  record CreateTenantRequest(@Nullable String slug, @Nullable String name, @Nullable String ownerEmail) {}

  public void register(Api api) {
    api.post("/api/v1/tenants", this::create).get("/api/v1/tenants", this::list)
        .get("/api/v1/tenants/{slug}/settings", this::settings)
        .patch("/api/v1/tenants/{slug}/settings", this::updateSettings);
  }

  private void create(ServerRequest req, ServerResponse res) {
    Actor actor = authn.actor(req);
    CreateTenantRequest body = Bodies.read(req, CreateTenantRequest.class);
    TenantService.CreatedTenant created = tenants.create(actor, Fields.required(body.slug(), "slug"),
        Fields.required(body.name(), "name"), Fields.required(body.ownerEmail(), "ownerEmail"));
    var t = created.tenant();
    Bodies.created(res, new Views.CreatedTenantView(t.id(), t.slug(), t.name(), t.createdAt(), Views.user(created.owner()),
        created.generatedPassword() == null ? null : created.generatedPassword().reveal(),
        created.defaultKey() == null ? null : created.defaultKey().secret().reveal()));
  }

  record SettingsRequest(
      @Nullable Boolean passwordGrantForPeople, @Nullable Boolean productionEnabled, @Nullable Boolean keyManagementReserved,
      @Nullable Boolean openRegistration) {}

  private void settings(ServerRequest req, ServerResponse res) {
    Actor actor = authn.actor(req);
    Bodies.ok(res, tenants.settings(actor, req.path().pathParameters().get("slug")));
  }

  private void updateSettings(ServerRequest req, ServerResponse res) {
    Actor actor = authn.actor(req);
    SettingsRequest body = Bodies.read(req, SettingsRequest.class);
    if (body.passwordGrantForPeople() == null && body.productionEnabled() == null && body.keyManagementReserved() == null
        && body.openRegistration() == null) {
      throw KeywardException.invalid(
          "Give at least one of 'passwordGrantForPeople', 'productionEnabled', 'keyManagementReserved', 'openRegistration'");
    }
    Bodies.ok(res, tenants.updateSettings(actor, req.path().pathParameters().get("slug"),
        new TenantService.SettingsChange(body.passwordGrantForPeople(), body.productionEnabled(), body.keyManagementReserved(),
            body.openRegistration())));
  }

  private void list(ServerRequest req, ServerResponse res) {
    Actor actor = authn.actor(req);
    Bodies.ok(res, Map.of("tenants", tenants.list(actor).stream().map(Views::tenant).toList()));
  }
}
