package dev.keyward.core.authz;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.keyward.core.auth.CredentialChanges;
import dev.keyward.core.principal.RoleStore;
import dev.keyward.core.principal.Roles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a set of roles grants in a tenant. A tenant's roles are read once and kept for the same
 * short time as authentication lookups, so a permission change made on another node takes effect
 * within that bound; changes made here clear the cache at once.
 *
 * <p>What a combination of roles grants is worked out once per reading of the tenant's roles and
 * kept with that reading, never longer: a second cache with its own lifetime would let a
 * combination worked out just before the reading expires outlive it, nearly doubling the bound.
 */
public final class RolePermissions implements CredentialChanges {
  /** Combinations of roles kept per reading of a tenant's roles; more are worked out on each call. */
  static final int MAX_COMBINATIONS = 1_000;

  private final LoadingCache<String, TenantRoles> byTenant;

  public RolePermissions(RoleStore roles, Duration cacheTtl) {
    this(roles, cacheTtl, Ticker.systemTicker());
  }

  /** With the time source of the cache given, for tests. */
  RolePermissions(RoleStore roles, Duration cacheTtl, Ticker ticker) {
    this.byTenant = Caffeine.newBuilder().expireAfterWrite(cacheTtl).ticker(ticker).maximumSize(10_000).build(tenantId -> {
      Map<String, Role> out = new HashMap<>();
      for (Role r : roles.list(tenantId)) {
        out.put(r.name(), r);
      }
      return new TenantRoles(out);
    });
  }

  /** The union of what {@code roleNames} grant in the tenant; unknown role names grant nothing. */
  public PermissionSet of(String tenantId, Set<String> roleNames) {
    if (roleNames.isEmpty()) {
      return PermissionSet.NONE;
    }
    if (roleNames.contains(Roles.OWNER) || roleNames.contains(Roles.ADMIN)) {
      return PermissionSet.of(List.of(Permission.ALL));
    }
    return byTenant.get(tenantId).of(roleNames);
  }

  @Override
  public void changed() {
    byTenant.invalidateAll();
  }

  /** One reading of a tenant's roles, with the combinations worked out from it. */
  private static final class TenantRoles {
    private final Map<String, Role> roles;
    private final Map<String, PermissionSet> combinations = new ConcurrentHashMap<>();

    TenantRoles(Map<String, Role> roles) {
      this.roles = roles;
    }

    PermissionSet of(Set<String> roleNames) {
      String key;
      if (roleNames.size() == 1) {
        key = roleNames.iterator().next();
      } else {
        List<String> sorted = new ArrayList<>(roleNames);
        sorted.sort(null);
        key = String.join(",", sorted);
      }
      PermissionSet known = combinations.get(key);
      if (known != null) {
        return known;
      }
      List<Permission> grants = new ArrayList<>();
      for (String name : roleNames) {
        Role r = roles.get(name);
        if (r != null) {
          grants.addAll(r.permissions());
        }
      }
      PermissionSet set = PermissionSet.of(grants);
      if (combinations.size() < MAX_COMBINATIONS) {
        combinations.putIfAbsent(key, set);
      }
      return set;
    }
  }
}
