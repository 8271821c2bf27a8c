package dev.keyward.core.authz;

import dev.keyward.core.principal.RoleStore;
import dev.keyward.core.tenant.Tenant;
import dev.keyward.core.tenant.TenantStore;
import java.util.List;

/**
 * The roles a routes file declares, created in every tenant that lacks them (existing tenants
 * when the file is loaded, new tenants when they are made). A role that exists already is left
 * as the tenant's admins have it.
 */
public final class RoleSeeds {
  private final RoleStore roles;
  private final TenantStore tenants;
  private volatile List<RoleSeed> seeds = List.of();

  public RoleSeeds(RoleStore roles, TenantStore tenants) {
    this.roles = roles;
    this.tenants = tenants;
  }

  /** Takes new seeds and creates them in every tenant that lacks them. */
  public void replace(List<RoleSeed> next) {
    seeds = List.copyOf(next);
    for (Tenant t : tenants.list()) {
      applyTo(t.id());
    }
  }

  /** Creates the current seeds in one tenant where missing. */
  public void applyTo(String tenantId) {
    List<RoleSeed> current = seeds;
    if (current.isEmpty()) {
      return;
    }
    var existing = roles.names(tenantId);
    for (RoleSeed s : current) {
      if (!existing.contains(s.name())) {
        roles.insert(tenantId, new Role(s.name(), s.permissions(), s.description(), false));
      }
    }
  }
}
