package dev.keyward.store.jdbc;

import dev.keyward.core.principal.RoleStore;
import java.util.HashSet;
import java.util.Set;

/** Role names per tenant in SQL. */
public final class JdbcRoleStore implements RoleStore {
  private final Jdbc jdbc;

  public JdbcRoleStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void insert(String tenantId, String name, boolean builtIn) {
    jdbc.update("INSERT INTO roles (tenant_id, name, built_in) VALUES (?, ?, ?)", tenantId, name, builtIn);
  }

  @Override
  public Set<String> names(String tenantId) {
    return new HashSet<>(jdbc.query("SELECT name FROM roles WHERE tenant_id = ?", rs -> rs.getString(1), tenantId));
  }
}
