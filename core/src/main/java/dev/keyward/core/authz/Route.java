package dev.keyward.core.authz;

import dev.keyward.core.error.KeywardException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * One row of the route table: {@code METHOD path-template} and what a call to it needs.
 *
 * @param method the method ({@code HEAD} requests are decided as {@code GET})
 * @param path the path template
 * @param permission the permission a caller's roles must grant; empty for a public route, which
 *     needs no credential and so can require nothing else either
 * @param resource the resource the call acts on, built from the path's variables; a key's
 *     resource patterns must then cover it (deny by default)
 * @param requiresUser the call needs a signed-in user: the partner key + user token form
 * @param dataAccess the data access the key must have ({@code read} or {@code read_write})
 * @param requiresAlgorithmManagement the key must carry the algorithm-management flag
 * @param productionOnly sandbox keys may not call it
 */
public record Route(
    HttpMethod method,
    PathTemplate path,
    Optional<Permission> permission,
    Optional<ResourceTemplate> resource,
    boolean requiresUser,
    Optional<DataAccess> dataAccess,
    boolean requiresAlgorithmManagement,
    boolean productionOnly) {

  public Route {
    if (permission.isPresent() && permission.get().isWildcard()) {
      throw KeywardException.invalidField("permission", "A route requires one concrete permission, without '*'");
    }
    if (permission.isEmpty() && (resource.isPresent() || requiresUser || dataAccess.isPresent()
        || requiresAlgorithmManagement || productionOnly)) {
      throw KeywardException.invalidField("public",
          "A public route is called without a credential, so it can require nothing: no resource, user, data, manageAlgorithms or production");
    }
    if (dataAccess.isPresent() && dataAccess.get() == DataAccess.NONE) {
      throw KeywardException.invalidField("data", "A route's data requirement is 'read' or 'read_write' ('none' is the default: leave it out)");
    }
    if (resource.isPresent()) {
      Set<String> defined = new HashSet<>(path.variableNames());
      for (String name : resource.get().variableNames()) {
        if (!defined.contains(name)) {
          throw KeywardException.invalidField("resource", "The resource template uses '{" + name + "}', which the path "
              + RouteText.quoted(path.text()) + " does not define" + (defined.isEmpty() ? "" : " (it defines: " + String.join(", ", path.variableNames()) + ")"));
        }
      }
    }
  }

  /** A route that needs {@code permission} and nothing else. */
  public static Route requiring(HttpMethod method, String path, String permission) {
    return new Route(method, PathTemplate.parse(path), Optional.of(Permission.parseRequired("permission", permission)),
        Optional.empty(), false, Optional.empty(), false, false);
  }

  /** A public route: no credential is needed. */
  public static Route open(HttpMethod method, String path) {
    return new Route(method, PathTemplate.parse(path), Optional.empty(), Optional.empty(), false, Optional.empty(), false, false);
  }

  public Route withResource(String template) {
    return new Route(method, path, permission, Optional.of(ResourceTemplate.parse(template)), requiresUser, dataAccess,
        requiresAlgorithmManagement, productionOnly);
  }

  public Route withUser() {
    return new Route(method, path, permission, resource, true, dataAccess, requiresAlgorithmManagement, productionOnly);
  }

  public Route withData(DataAccess access) {
    return new Route(method, path, permission, resource, requiresUser, Optional.of(access), requiresAlgorithmManagement, productionOnly);
  }

  public Route withAlgorithmManagement() {
    return new Route(method, path, permission, resource, requiresUser, dataAccess, true, productionOnly);
  }

  public Route withProductionOnly() {
    return new Route(method, path, permission, resource, requiresUser, dataAccess, requiresAlgorithmManagement, true);
  }

  /** True when the route needs no credential. */
  public boolean isPublic() {
    return permission.isEmpty();
  }

  /** {@code GET /v1/algo/{owner}/{name}}. */
  @Override
  public String toString() {
    return method + " " + path.text();
  }
}
