package dev.keyward.store.jdbc;

import dev.keyward.core.tenant.Tenant;
import dev.keyward.core.tenant.TenantSettings;
import dev.keyward.core.tenant.TenantStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Tenants in SQL. */
public final class JdbcTenantStore implements TenantStore {
  private static final String COLUMNS = "id, slug, name, created_at";
  private final Jdbc jdbc;

  public JdbcTenantStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void insert(Tenant t) {
    jdbc.update("INSERT INTO tenants (id, slug, name, created_at) VALUES (?, ?, ?, ?)", t.id(), t.slug(), t.name(), t.createdAt());
  }

  @Override
  public Optional<Tenant> findBySlug(String slug) {
    return jdbc.queryOne("SELECT " + COLUMNS + " FROM tenants WHERE slug = ?", JdbcTenantStore::map, slug);
  }

  @Override
  public Optional<Tenant> findById(String id) {
    return jdbc.queryOne("SELECT " + COLUMNS + " FROM tenants WHERE id = ?", JdbcTenantStore::map, id);
  }

  @Override
  public List<Tenant> list() {
    return jdbc.query("SELECT " + COLUMNS + " FROM tenants ORDER BY created_at, slug", JdbcTenantStore::map);
  }

  @Override
  public TenantSettings settings(String tenantId) {
    return jdbc.queryOne("SELECT password_grant_for_people, production_enabled, key_management_reserved, open_registration"
        + " FROM tenants WHERE id = ?",
        rs -> new TenantSettings(rs.getBoolean(1), rs.getBoolean(2), rs.getBoolean(3), rs.getBoolean(4)), tenantId).orElse(TenantSettings.DEFAULT);
  }

  @Override
  public void saveSettings(String tenantId, TenantSettings settings) {
    jdbc.update("UPDATE tenants SET password_grant_for_people = ?, production_enabled = ?, key_management_reserved = ?,"
        + " open_registration = ? WHERE id = ?",
        settings.passwordGrantForPeople(), settings.productionEnabled(), settings.keyManagementReserved(),
        settings.openRegistration(), tenantId);
  }

  private static Tenant map(ResultSet rs) throws SQLException {
    return new Tenant(rs.getString("id"), rs.getString("slug"), rs.getString("name"), Jdbc.requiredInstant(rs, "created_at"));
  }
}
