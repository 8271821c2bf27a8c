package dev.keyward.core.testing;

import dev.keyward.core.error.KeywardException;
import dev.keyward.core.principal.RoleStore;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** {@link RoleStore} in memory; a role name is unique per tenant. */
public final class InMemoryRoleStore implements RoleStore {
  private final Map<String, Map<String, Boolean>> byTenant = new HashMap<>();

  @Override
  public synchronized void insert(String tenantId, String name, boolean builtIn) {
    Map<String, Boolean> roles = byTenant.computeIfAbsent(tenantId, t -> new LinkedHashMap<>());
    if (roles.putIfAbsent(name, builtIn) != null) {
      throw KeywardException.conflict("This record already exists");
    }
  }

  @Override
  public synchronized Set<String> names(String tenantId) {
    return Set.copyOf(byTenant.getOrDefault(tenantId, Map.of()).keySet());
  }
}
