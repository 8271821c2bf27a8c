package dev.keyward.server.routes;

import dev.keyward.core.authz.RoleSeed;
import dev.keyward.core.authz.RouteTable;
import java.util.List;

/**
 * What a routes file holds: the route table and the roles it declares (possibly none).
 *
 * @param routes the routes, in file order
 * @param roles the role seeds, in file order
 */
public record RouteFile(RouteTable routes, List<RoleSeed> roles) {
  public RouteFile {
    roles = List.copyOf(roles);
  }
}
