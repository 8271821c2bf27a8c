package dev.keyward.core.testing;

import dev.keyward.core.authz.Role;
import dev.keyward.core.error.KeywardException;
import dev.keyward.core.principal.RoleStore;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@link RoleStore} in memory; a role name is unique per tenant. */
public final class InMemoryRoleStore implements RoleStore {
  private final Map<String, Map<String, Role>> byTenant = new HashMap<>();

  @Override
  public synchronized void insert(String tenantId, String name, boolean builtIn) {
    insert(tenantId, builtIn ? Role.builtIn(name) : new Role(name, List.of(), "", false));
  }

  @Override
  public synchronized void insert(String tenantId, Role role) {
    Map<String, Role> roles = byTenant.computeIfAbsent(tenantId, t -> new LinkedHashMap<>());
    if (roles.putIfAbsent(role.name(), role) != null) {
      throw KeywardException.conflict("This record already exists");
    }
  }

  @Override
  public synchronized boolean update(String tenantId, Role role) {
    Map<String, Role> roles = byTenant.getOrDefault(tenantId, Map.of());
    Role current = roles.get(role.name());
    if (current == null || current.builtIn()) {
      return false;
    }
    roles.put(role.name(), role);
    return true;
  }

  @Override
  public synchronized boolean delete(String tenantId, String name) {
    Map<String, Role> roles = byTenant.getOrDefault(tenantId, Map.of());
    Role current = roles.get(name);
    if (current == null || current.builtIn()) {
      return false;
    }
    roles.remove(name);
    return true;
  }

  @Override
  public synchronized Set<String> names(String tenantId) {
    return Set.copyOf(byTenant.getOrDefault(tenantId, Map.of()).keySet());
  }

  @Override
  public synchronized List<Role> list(String tenantId) {
    return byTenant.getOrDefault(tenantId, Map.of()).values().stream()
        .sorted(Comparator.comparing((Role r) -> !r.builtIn()).thenComparing(Role::name))
        .toList();
  }

  @Override
  public synchronized Optional<Role> find(String tenantId, String name) {
    return Optional.ofNullable(byTenant.getOrDefault(tenantId, Map.of()).get(name));
  }
}
