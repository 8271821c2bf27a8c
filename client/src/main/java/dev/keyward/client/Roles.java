package dev.keyward.client;

import dev.keyward.client.internal.ApiCalls;
import dev.keyward.client.model.Role;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code /api/v1/roles}: the tenant's roles and their permissions (every member reads; admins change).
 *
 * @since 0.1.0
 */
public final class Roles {
  private final ApiCalls api;

  Roles(ApiCalls api) {
    this.api = api;
  }

  public List<Role> list() {
    return Users.listOf(api.answer("GET", "api/v1/roles", null).path("roles"), Role.class);
  }

  public Role get(String name) {
    return api.answer("GET", "api/v1/roles/" + ApiCalls.segment(name), null, Role.class);
  }

  /** A custom role; permissions are {@code resource:action} grants, {@code *} a wildcard. */
  public Role create(String name, List<String> permissions, @Nullable String description) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("permissions", List.copyOf(permissions));
    if (description != null) {
      body.put("description", description);
    }
    return api.answer("POST", "api/v1/roles", body, Role.class);
  }

  /** Replaces a custom role's permissions and/or description (null: unchanged). Built-in roles cannot change. */
  public Role update(String name, @Nullable List<String> permissions, @Nullable String description) {
    Map<String, Object> body = new LinkedHashMap<>();
    if (permissions != null) {
      body.put("permissions", List.copyOf(permissions));
    }
    if (description != null) {
      body.put("description", description);
    }
    return api.answer("PATCH", "api/v1/roles/" + ApiCalls.segment(name), body, Role.class);
  }

  /** Deletes a custom role that no member or live key holds. */
  public void delete(String name) {
    api.call("DELETE", "api/v1/roles/" + ApiCalls.segment(name), null);
  }
}
