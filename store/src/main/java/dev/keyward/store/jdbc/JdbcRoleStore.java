package dev.keyward.store.jdbc;

import dev.keyward.core.authz.Permission;
import dev.keyward.core.authz.Role;
import dev.keyward.core.principal.RoleStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Roles per tenant in SQL; permissions are stored comma-joined (grants cannot contain commas). */
public final class JdbcRoleStore implements RoleStore {
  private static final String COLUMNS = "name, built_in, permissions, description";

  private final Jdbc jdbc;

  public JdbcRoleStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void insert(String tenantId, String name, boolean builtIn) {
    jdbc.update("INSERT INTO roles (tenant_id, name, built_in) VALUES (?, ?, ?)", tenantId, name, builtIn);
  }

  @Override
  public void insert(String tenantId, Role role) {
    jdbc.update("INSERT INTO roles (tenant_id, name, built_in, permissions, description) VALUES (?, ?, ?, ?, ?)",
        tenantId, role.name(), false, join(role.permissions()), role.description());
  }

  @Override
  public boolean update(String tenantId, Role role) {
    return jdbc.update("UPDATE roles SET permissions = ?, description = ? WHERE tenant_id = ? AND name = ? AND built_in = ?",
        join(role.permissions()), role.description(), tenantId, role.name(), false) == 1;
  }

  @Override
  public boolean delete(String tenantId, String name) {
    return jdbc.update("DELETE FROM roles WHERE tenant_id = ? AND name = ? AND built_in = ?", tenantId, name, false) == 1;
  }

  @Override
  public Set<String> names(String tenantId) {
    return new HashSet<>(jdbc.query("SELECT name FROM roles WHERE tenant_id = ?", rs -> rs.getString(1), tenantId));
  }

  @Override
  public List<Role> list(String tenantId) {
    return jdbc.query("SELECT " + COLUMNS + " FROM roles WHERE tenant_id = ? ORDER BY built_in DESC, name",
        JdbcRoleStore::role, tenantId);
  }

  @Override
  public Optional<Role> find(String tenantId, String name) {
    return jdbc.queryOne("SELECT " + COLUMNS + " FROM roles WHERE tenant_id = ? AND name = ?", JdbcRoleStore::role, tenantId, name);
  }

  private static Role role(ResultSet rs) throws SQLException {
    String name = rs.getString(1);
    if (rs.getBoolean(2)) {
      return Role.builtIn(name);
    }
    String text = rs.getString(3);
    List<Permission> grants = text.isEmpty() ? List.of()
        : Arrays.stream(text.split(",")).map(t -> Permission.parseGrant("permissions", t)).toList();
    return new Role(name, grants, rs.getString(4), false);
  }

  private static String join(List<Permission> permissions) {
    return permissions.stream().map(Permission::toString).collect(Collectors.joining(","));
  }
}
