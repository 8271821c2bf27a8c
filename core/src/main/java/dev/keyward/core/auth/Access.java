package dev.keyward.core.auth;

import dev.keyward.core.error.KeywardException;
import dev.keyward.core.principal.Roles;
import java.util.Set;

/** The admin-API gate, in one place. */
public final class Access {
  private Access() {}

  /** Refuses callers who are not admins, saying why. */
  public static void requireAdmin(Actor actor) {
    Principal p = actor.principal();
    if (!p.isAdmin()) {
      throw KeywardException.forbidden(
          Roles.isAdmin(p.roles())
              ? "The admin API needs an admin key or password authentication; this key is not an admin key"
              : "The admin API needs the owner or admin role");
    }
  }

  /**
   * Refuses a caller without the owner role who acts on an owner's account or credentials
   * (removing it, resetting its password, minting keys for it): otherwise an admin could remove
   * owners, or take over an owner's password or key, and so get round the rule that only owners
   * grant or remove the owner role.
   */
  public static void requireOwnerToManageOwner(Actor actor, Set<String> targetRoles, String what) {
    if (targetRoles.contains(Roles.OWNER) && !actor.principal().roles().contains(Roles.OWNER)) {
      throw KeywardException.forbidden("Only an owner may " + what + " of an owner");
    }
  }
}
