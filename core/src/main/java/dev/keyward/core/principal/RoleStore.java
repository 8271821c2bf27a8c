package dev.keyward.core.principal;

import dev.keyward.core.authz.Role;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The roles defined in each tenant. Built-in roles are stored by name only: what they grant is
 * fixed in code ({@link Role#builtIn}).
 */
public interface RoleStore {
  /** Inserts a built-in role (or a bare custom one); an existing name conflicts. */
  void insert(String tenantId, String name, boolean builtIn);

  /** Inserts a custom role; an existing name conflicts. */
  void insert(String tenantId, Role role);

  /** Replaces a custom role's permissions and description; false when there is no such custom role. */
  boolean update(String tenantId, Role role);

  /** Deletes a custom role; false when there is no such custom role. */
  boolean delete(String tenantId, String name);

  Set<String> names(String tenantId);

  /** Every role of a tenant, built-ins first, then by name. */
  List<Role> list(String tenantId);

  Optional<Role> find(String tenantId, String name);
}
