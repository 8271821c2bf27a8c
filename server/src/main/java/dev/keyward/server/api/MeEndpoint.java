package dev.keyward.server.api;

import dev.keyward.core.auth.Principal;
import dev.keyward.server.http.Api;
import dev.keyward.server.http.Authn;
import dev.keyward.server.http.Bodies;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /api/v1/me}: who the caller is, in which tenant, with which credential. */
public final class MeEndpoint {
  private final Authn authn;

  public MeEndpoint(Authn authn) {
    this.authn = authn;
  }

  record TenantRef(String id, String slug) {}

  record MeView(String userId, String email, TenantRef tenant, List<String> roles, Map<String, Object> credential) {}

  public void register(Api api) {
    api.get("/api/v1/me", this::me);
  }

  private void me(ServerRequest req, ServerResponse res) {
    Principal p = authn.actor(req).principal();
    Map<String, Object> credential = new LinkedHashMap<>();
    credential.put("type", p.credential().wireName());
    if (p.credential() == Principal.CredentialType.API_KEY && p.environment() != null) {
      credential.put("keyId", p.keyId());
      credential.put("environment", p.environment().wireName());
      credential.put("admin", p.adminKey());
    } else if (p.credential() == Principal.CredentialType.PARTNER_USER && p.keyId() != null) {
      credential.put("keyId", p.keyId()); // the partner application the user acts through
    }
    Bodies.ok(res, new MeView(p.userId(), p.email(), new TenantRef(p.tenantId(), p.tenantSlug()), Views.sorted(p.roles()), credential));
  }
}
