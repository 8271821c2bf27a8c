package dev.keyward.core.auth;

import dev.keyward.core.error.KeywardException;
import dev.keyward.core.principal.Roles;

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
}
