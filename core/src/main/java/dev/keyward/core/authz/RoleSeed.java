package dev.keyward.core.authz;

import dev.keyward.core.principal.Roles;
import java.util.List;

/**
 * A role as a routes file declares it, so that one file can seed the role × endpoint × method
 * matrix: its name, the permissions it grants (wildcards allowed) and a description. Plain data:
 * whoever creates roles in a tenant reads it.
 *
 * @param name the role name ({@link Roles#parse} rules)
 * @param permissions the grants, in file order
 * @param description free text, possibly empty
 */
public record RoleSeed(String name, List<Permission> permissions, String description) {
  public RoleSeed {
    Roles.parse("name", List.of(name));
    permissions = List.copyOf(permissions);
  }

  /** True when one of the role's grants includes {@code required}. */
  public boolean grants(Permission required) {
    for (Permission p : permissions) {
      if (p.implies(required)) {
        return true;
      }
    }
    return false;
  }
}
