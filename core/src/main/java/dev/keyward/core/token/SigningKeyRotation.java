package dev.keyward.core.token;

import dev.keyward.core.audit.AuditEvent;
import dev.keyward.core.audit.Auditor;
import dev.keyward.core.auth.Actor;
import dev.keyward.core.error.KeywardException;
import dev.keyward.core.tenant.Tenant;
import dev.keyward.core.tenant.TenantStore;

/**
 * Rotates the access-token signing key on request of a deployment owner: new tokens are signed
 * with a new key at once; tokens signed with the previous key keep verifying until they expire.
 */
public final class SigningKeyRotation {
  private final SigningKeys keys;
  private final TenantStore tenants;
  private final Auditor auditor;

  public SigningKeyRotation(SigningKeys keys, TenantStore tenants, Auditor auditor) {
    this.keys = keys;
    this.tenants = tenants;
    this.auditor = auditor;
  }

  /** Returns the new key id. */
  public String rotate(Actor actor) {
    Tenant defaultTenant = tenants.findBySlug(Tenant.DEFAULT_SLUG).orElseThrow(() -> KeywardException.notFound("Tenant"));
    if (!actor.principal().isDeploymentOwner(defaultTenant.id())) {
      throw KeywardException.forbidden("Only owners of the default tenant rotate signing keys");
    }
    String kid = keys.rotate();
    auditor.record(defaultTenant.id(), AuditEvent.SIGNING_KEY_ROTATED, actor, "signing_key", kid, null);
    return kid;
  }
}
