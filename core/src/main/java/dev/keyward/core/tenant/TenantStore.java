package dev.keyward.core.tenant;

import java.util.List;
import java.util.Optional;

/** Persistence of tenants. */
public interface TenantStore {
  /** Inserts a tenant; an existing slug conflicts. */
  void insert(Tenant tenant);

  Optional<Tenant> findBySlug(String slug);

  Optional<Tenant> findById(String id);

  List<Tenant> list();

  /** A tenant's settings ({@link TenantSettings#DEFAULT} for an unknown id). */
  TenantSettings settings(String tenantId);

  void saveSettings(String tenantId, TenantSettings settings);

  /** Whether people of this tenant may use the OAuth password grant (off unless enabled). */
  default boolean passwordGrantForPeople(String tenantId) {
    return settings(tenantId).passwordGrantForPeople();
  }
}
