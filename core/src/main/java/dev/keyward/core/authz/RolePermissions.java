package dev.keyward.core.authz;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.keyward.core.auth.CredentialChanges;
import dev.keyward.core.principal.RoleStore;
import dev.keyward.core.principal.Roles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a set of roles grants in a tenant. A tenant's roles are read once and kept for the same
 * short time as authentication lookups, so a permission change made on another node takes effect
 * within that bound; changes made here clear the cache at once.
 */
public final class RolePermissions implements CredentialChanges {
  private final LoadingCache<String, Map<String, Role>> byTenant;
  private final LoadingCache<String, PermissionSet> sets;

  public RolePermissions(RoleStore roles, Duration cacheTtl) {
    this.byTenant = Caffeine.newBuilder().expireAfterWrite(cacheTtl).maximumSize(10_000).build(tenantId -> {
      Map<String, Role> out = new HashMap<>();
      for (Role r : roles.list(tenantId)) {
        out.put(r.name(), r);
      }
      return out;
    });
    this.sets = Caffeine.newBuilder().expireAfterWrite(cacheTtl).maximumSize(100_000).build(this::compute);
  }

  /** The union of what {@code roleNames} grant in the tenant; unknown role names grant nothing. */
  public PermissionSet of(String tenantId, Set<String> roleNames) {
    if (roleNames.isEmpty()) {
      return PermissionSet.NONE;
    }
    if (roleNames.contains(Roles.OWNER) || roleNames.contains(Roles.ADMIN)) {
      return PermissionSet.of(List.of(Permission.ALL));
    }
    List<String> sorted = new ArrayList<>(roleNames);
    sorted.sort(null);
    return sets.get(tenantId + "\n" + String.join(",", sorted));
  }

  private PermissionSet compute(String cacheKey) {
    int cut = cacheKey.indexOf('\n');
    Map<String, Role> roles = byTenant.get(cacheKey.substring(0, cut));
    List<Permission> grants = new ArrayList<>();
    for (String name : cacheKey.substring(cut + 1).split(",")) {
      Role r = roles.get(name);
      if (r != null) {
        grants.addAll(r.permissions());
      }
    }
    return PermissionSet.of(grants);
  }

  @Override
  public void changed() {
    byTenant.invalidateAll();
    sets.invalidateAll();
  }
}
