package dev.keyward.core.authz;

import dev.keyward.core.principal.Roles;
import java.util.List;

/**
 * A role of a tenant: a name and the permissions it grants. The built-in {@code owner} and
 * {@code admin} roles grant everything and cannot be edited.
 */
public record Role(String name, List<Permission> permissions, String description, boolean builtIn) {
  public Role {
    permissions = List.copyOf(permissions);
  }

  /** The built-in role of that name, granting everything. */
  public static Role builtIn(String name) {
    return new Role(name, List.of(Permission.ALL), Roles.OWNER.equals(name)
        ? "Owns the tenant: every permission, and the only role that grants or removes owners"
        : "Administers the tenant: every permission", true);
  }
}
