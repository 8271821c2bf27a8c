package dev.keyward.store.jdbc;

import dev.keyward.core.authz.RouteTableStore;
import java.util.Optional;

/** The route table in its one-row table. */
public final class JdbcRouteTableStore implements RouteTableStore {
  private final Jdbc jdbc;

  public JdbcRouteTableStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Optional<Stored> load() {
    return jdbc.queryOne("SELECT document, updated_at, updated_by FROM route_table WHERE id = 1",
        rs -> new Stored(rs.getString(1), Jdbc.requiredInstant(rs, "updated_at"), rs.getString(3)));
  }

  @Override
  public void save(Stored routes) {
    jdbc.run(() -> {
      if (jdbc.update("UPDATE route_table SET document = ?, updated_at = ?, updated_by = ? WHERE id = 1",
          routes.document(), routes.updatedAt(), routes.updatedBy()) == 0) {
        jdbc.update("INSERT INTO route_table (id, document, updated_at, updated_by) VALUES (1, ?, ?, ?)",
            routes.document(), routes.updatedAt(), routes.updatedBy());
      }
    });
  }
}
