package dev.keyward.core.principal;

import java.util.Set;

/** The roles defined in each tenant (built-ins now; custom roles come with authorization). */
public interface RoleStore {
  void insert(String tenantId, String name, boolean builtIn);

  Set<String> names(String tenantId);
}
