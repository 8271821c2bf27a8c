package dev.keyward.server.routes;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.keyward.core.authz.DataAccess;
import dev.keyward.core.authz.Permission;
import dev.keyward.core.authz.ResourceTemplate;
import dev.keyward.core.authz.RoleSeed;
import dev.keyward.core.authz.Route;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A routes document on the wire (a JSON answer of the admin API, or a file): the same field names
 * a routes file uses, defaults left out, so that what is written reads back as the same table.
 *
 * @param routes the routes, in table order
 * @param roles the role seeds; left out when there are none
 */
public record RoutesDocument(
    List<RouteSpec> routes,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<RoleSpec> roles) {

  public RoutesDocument {
    routes = List.copyOf(routes);
    roles = List.copyOf(roles);
  }

  /** One route with its wire fields; absent and false fields are left out. */
  public record RouteSpec(
      String method,
      String path,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String permission,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String resource,
      @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean user,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String data,
      @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean manageAlgorithms,
      @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean production,
      @JsonProperty("public") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean isPublic) {

    public static RouteSpec of(Route r) {
      return new RouteSpec(r.method().name(), r.path().text(), r.permission().map(Permission::toString).orElse(null),
          r.resource().map(ResourceTemplate::text).orElse(null), r.requiresUser(), r.dataAccess().map(DataAccess::wireName).orElse(null),
          r.requiresAlgorithmManagement(), r.productionOnly(), r.isPublic());
    }
  }

  /** One role seed: name, grants as text, description (left out when empty). */
  public record RoleSpec(
      String name,
      List<String> permissions,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) String description) {

    public RoleSpec {
      permissions = List.copyOf(permissions);
    }

    public static RoleSpec of(RoleSeed r) {
      return new RoleSpec(r.name(), r.permissions().stream().map(Permission::toString).toList(), r.description());
    }
  }
}
