package dev.keyward.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.core.tenant.Tenant;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one migration set: idempotent on an existing file, and the same schema on both engines. */
class MigrationTest {
  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

  @TempDir Path dir;

  private static int appliedMigrations(Database db) throws SQLException {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM flyway_schema_history WHERE success = TRUE AND version IS NOT NULL")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** Table name to its column names, lower case, from JDBC metadata (Flyway's own table left out). */
  private static Map<String, TreeSet<String>> tables(Database db, @Nullable String schema) throws SQLException {
    Map<String, TreeSet<String>> tables = new TreeMap<>();
    try (Connection c = db.dataSource().getConnection()) {
      DatabaseMetaData meta = c.getMetaData();
      try (ResultSet rs = meta.getTables(null, schema, "%", new String[] {"TABLE"})) {
        while (rs.next()) {
          String name = rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
          if (!name.startsWith("sqlite_") && !name.equals("flyway_schema_history")) {
            tables.put(name, new TreeSet<>());
          }
        }
      }
      for (Map.Entry<String, TreeSet<String>> table : tables.entrySet()) {
        try (ResultSet rs = meta.getColumns(null, schema, table.getKey(), "%")) {
          while (rs.next()) {
            table.getValue().add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
          }
        }
      }
    }
    return tables;
  }

  @Test
  void openWhenSameSqliteFileOpenedAgainThenNothingReappliedAndDataKept() throws SQLException {
    Tenant acme = new Tenant("tnt_acme", "acme", "Acme", T0);
    int applied;
    try (Database first = TestDatabases.sqlite(dir)) {
      first.tenants().insert(acme);
      applied = appliedMigrations(first);
    }
    assertThat(applied).isPositive();

    try (Database second = TestDatabases.sqlite(dir)) {
      assertThat(appliedMigrations(second)).isEqualTo(applied);
      assertThat(second.tenants().list()).containsExactly(acme);
    }
  }

  @Test
  void openWhenSameSqliteFileAlreadyOpenThenSecondOpenSharesIt() {
    try (Database first = TestDatabases.sqlite(dir); Database second = TestDatabases.sqlite(dir)) {
      first.tenants().insert(new Tenant("tnt_acme", "acme", "Acme", T0));

      assertThat(second.tenants().findBySlug("acme")).isPresent();
      assertThat(second.isReachable()).isTrue();
    }
  }

  @Test
  void migrateWhenSqliteAndPostgresThenSameTablesAndColumns() throws SQLException {
    Map<String, TreeSet<String>> sqlite;
    try (Database db = TestDatabases.sqlite(dir)) {
      sqlite = tables(db, null);
    }
    Database pg = TestDatabases.postgres();
    Map<String, TreeSet<String>> postgres;
    try {
      postgres = tables(pg, TestDatabases.schemaOf(pg));
    } finally {
      TestDatabases.dispose(pg);
    }

    assertThat(sqlite.keySet()).containsExactlyInAnyOrder("tenants", "users", "roles", "memberships", "api_keys", "audit_events",
        "signing_keys", "refresh_tokens", "revocations", "login_attempts", "route_table", "sessions");
    assertThat(postgres).isEqualTo(sqlite);
  }
}
