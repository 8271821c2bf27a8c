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
}
