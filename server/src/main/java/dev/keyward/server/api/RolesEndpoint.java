package dev.keyward.server.api;

import dev.keyward.core.auth.Actor;
import dev.keyward.core.authz.Permission;
import dev.keyward.core.authz.Role;
import dev.keyward.core.authz.RoleService;
import dev.keyward.core.authz.RouteTable;
import dev.keyward.core.error.KeywardException;
import dev.keyward.server.http.Api;
import dev.keyward.server.http.Authn;
import dev.keyward.server.http.Bodies;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** {@code /api/v1/roles}: a tenant's roles and the permissions they grant. */
public final class RolesEndpoint {
  private final RoleService roles;
  private final Supplier<RouteTable> routes;
  private final Authn authn;

  /** @param routes the route table in force, for warnings about grants that no route requires */
  public RolesEndpoint(RoleService roles, Supplier<RouteTable> routes, Authn authn) {
    this.roles = roles;
    this.routes = routes;
    this.authn = authn;
  }

  /** The body of {@code POST} and {@code PATCH /api/v1/roles}. */
  public record RoleRequest(@Nullable String name, @Nullable List<String> permissions, @Nullable String description) {}

  /**
   * A role as answers show it. {@code warnings}, in the answers to a creation or change, names
   * each grant that no route of the route table requires (most likely a typo); the role is saved
   * all the same.
   */
  public record RoleView(String name, List<String> permissions, String description, boolean builtIn, List<String> warnings) {}

  public void register(Api api) {
    api.get("/api/v1/roles", this::list)
        .post("/api/v1/roles", this::create)
        .get("/api/v1/roles/{name}", this::get)
        .patch("/api/v1/roles/{name}", this::update)
        .delete("/api/v1/roles/{name}", this::delete);
  }

  private void list(ServerRequest req, ServerResponse res) {
    Actor actor = authn.actor(req);
    Bodies.ok(res, Map.of("roles", roles.list(actor).stream().map(RolesEndpoint::view).toList()));
  }

  private void get(ServerRequest req, ServerResponse res) {
    Actor actor = authn.actor(req);
    Bodies.ok(res, view(roles.get(actor, name(req))));
  }

  private void create(ServerRequest req, ServerResponse res) {
    Actor actor = authn.actor(req);
    RoleRequest body = Bodies.read(req, RoleRequest.class);
    Bodies.created(res, view(roles.create(actor, Fields.required(body.name(), "name"),
        permissions(Fields.required(body.permissions(), "permissions")), body.description()), routes.get()));
  }

  private void update(ServerRequest req, ServerResponse res) {
    Actor actor = authn.actor(req);
    RoleRequest body = Bodies.read(req, RoleRequest.class);
    if (body.name() != null) {
      throw KeywardException.invalidField("name", "A role cannot be renamed: create a new one");
    }
    List<String> permissions = body.permissions() == null ? null : permissions(body.permissions());
    Bodies.ok(res, view(roles.update(actor, name(req), permissions, body.description()), routes.get()));
  }

  private void delete(ServerRequest req, ServerResponse res) {
    Actor actor = authn.actor(req);
    roles.delete(actor, name(req));
    res.status(204).send();
  }

  private static List<String> permissions(List<String> raw) {
    for (String p : raw) {
      if (p == null) {
        throw KeywardException.invalidField("permissions", "'permissions' must be a list of permissions");
      }
    }
    return raw;
  }

  private static String name(ServerRequest req) {
    String name = req.path().pathParameters().get("name");
    if (name.length() > 64) {
      throw KeywardException.notFound("Role");
    }
    return name;
  }

  public static RoleView view(Role r) {
    return view(r, List.of());
  }

  /** A role just created or changed, with a warning for each grant that no route of {@code table} requires. */
  public static RoleView view(Role r, RouteTable table) {
    List<String> warnings = table.unusedGrants(r.permissions().stream().toList()).stream()
        .map(p -> "'" + p + "' is required by no route of the route table (a service may still ask for it through /api/v1/verify)")
        .toList();
    return view(r, warnings);
  }

  private static RoleView view(Role r, List<String> warnings) {
    return new RoleView(r.name(), r.permissions().stream().map(Permission::toString).toList(), r.description(), r.builtIn(), warnings);
  }
}
