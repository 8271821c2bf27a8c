package dev.keyward.core.authz;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The union of the grants of some roles, answering "is this permission included?" in O(1). */
public final class PermissionSet {
  public static final PermissionSet NONE = new PermissionSet(List.of());

  private final boolean all;
  private final Set<String> exact = new HashSet<>();
  private final Set<String> anyAction = new HashSet<>();
  private final Set<String> anyResource = new HashSet<>();

  private PermissionSet(Collection<Permission> grants) {
    boolean everything = false;
    for (Permission p : grants) {
      if (p.equals(Permission.ALL)) {
        everything = true;
      } else if (p.action().equals(Permission.WILDCARD)) {
        anyAction.add(p.resource());
      } else if (p.resource().equals(Permission.WILDCARD)) {
        anyResource.add(p.action());
      } else {
        exact.add(p.toString());
      }
    }
    this.all = everything;
  }

  public static PermissionSet of(Collection<Permission> grants) {
    return grants.isEmpty() ? NONE : new PermissionSet(grants);
  }

  public boolean allows(Permission required) {
    return all
        || exact.contains(required.toString())
        || anyAction.contains(required.resource())
        || anyResource.contains(required.action());
  }
}
