package dev.keyward.core.testing;

import dev.keyward.core.error.KeywardException;
import dev.keyward.core.tenant.Tenant;
import dev.keyward.core.tenant.TenantStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link TenantStore} in memory; a duplicate id or slug conflicts as the SQL unique keys do. */
public final class InMemoryTenantStore implements TenantStore {
  private final Map<String, Tenant> byId = new LinkedHashMap<>();

  @Override
  public synchronized void insert(Tenant tenant) {
    if (byId.containsKey(tenant.id()) || findBySlug(tenant.slug()).isPresent()) {
      throw KeywardException.conflict("This record already exists");
    }
    byId.put(tenant.id(), tenant);
  }

  @Override
  public synchronized Optional<Tenant> findBySlug(String slug) {
    return byId.values().stream().filter(t -> t.slug().equals(slug)).findFirst();
  }

  @Override
  public synchronized Optional<Tenant> findById(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  @Override
  public synchronized List<Tenant> list() {
    List<Tenant> all = new ArrayList<>(byId.values());
    all.sort(Comparator.comparing(Tenant::createdAt).thenComparing(Tenant::slug));
    return List.copyOf(all);
  }

  private final Map<String, dev.keyward.core.tenant.TenantSettings> settings = new java.util.HashMap<>();

  @Override
  public synchronized dev.keyward.core.tenant.TenantSettings settings(String tenantId) {
    return settings.getOrDefault(tenantId, dev.keyward.core.tenant.TenantSettings.DEFAULT);
  }

  @Override
  public synchronized void saveSettings(String tenantId, dev.keyward.core.tenant.TenantSettings s) {
    settings.put(tenantId, s);
  }

  /** The tenant with this id; fails the test when there is none. */
  synchronized Tenant require(String id) {
    Tenant t = byId.get(id);
    if (t == null) {
      throw new IllegalStateException("foreign key: no tenant " + id);
    }
    return t;
  }
}
