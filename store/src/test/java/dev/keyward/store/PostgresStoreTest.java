package dev.keyward.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The store contract on PostgreSQL, each test in a schema of its own. Skipped with a visible
 * message when no server runs locally, and failed instead when {@code CI} is set.
 */
class PostgresStoreTest extends StoreContract {

  @Override
  protected Database open() {
    return TestDatabases.postgres();
  }

  /** Every value of every text column of every table in the test's schema. */
  @Override
  protected String storedContent() throws SQLException {
    StringBuilder out = new StringBuilder();
    try (Connection c = db.dataSource().getConnection()) {
      for (Map.Entry<String, List<String>> table : textColumns(c).entrySet()) {
        String sql = "SELECT " + String.join(", ", table.getValue()) + " FROM " + table.getKey();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
          int n = table.getValue().size();
          while (rs.next()) {
            for (int i = 1; i <= n; i++) {
              out.append(rs.getString(i)).append('\n');
            }
          }
        }
      }
    }
    return out.toString();
  }

  private Map<String, List<String>> textColumns(Connection c) throws SQLException {
    Map<String, List<String>> columns = new LinkedHashMap<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT table_name, column_name FROM information_schema.columns"
            + " WHERE table_schema = ? AND data_type IN ('character varying', 'text', 'character')"
            + " ORDER BY table_name, ordinal_position")) {
      ps.setString(1, TestDatabases.schemaOf(db));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          columns.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
        }
      }
    }
    assertThat(columns).as("text columns found").containsKeys("api_keys", "users");
    assertThat(columns.get("api_keys")).contains("digest", "start");
    assertThat(columns.get("users")).contains("password_hash");
    return columns;
  }

  private static boolean schemaExists(String schema) throws SQLException {
    try (Connection c = TestDatabases.pgConnection();
        PreparedStatement ps = c.prepareStatement("SELECT 1 FROM information_schema.schemata WHERE schema_name = ?")) {
      ps.setString(1, schema);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  @Test
  void openWhenSchemaGivenThenEveryTableLivesInThatSchema() throws SQLException {
    String schema = TestDatabases.schemaOf(db);
    assertThat(db.dialect()).isEqualTo(Database.Dialect.POSTGRESQL);
    assertThat(schema).startsWith(TestDatabases.SCHEMA_PREFIX);
    try (Connection c = TestDatabases.pgConnection();
        PreparedStatement ps = c.prepareStatement("SELECT table_schema FROM information_schema.tables WHERE table_name = 'api_keys' AND table_schema = ?")) {
      ps.setString(1, schema);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
      }
    }
  }

  @Test
  void disposeWhenDatabaseOpenThenClosedAndItsSchemaDropped() throws SQLException {
    Database other = TestDatabases.postgres();
    String schema = TestDatabases.schemaOf(other);
    assertThat(schemaExists(schema)).isTrue();
    assertThat(schema).isNotEqualTo(TestDatabases.schemaOf(db));

    TestDatabases.dispose(other);

    assertThat(schemaExists(schema)).isFalse();
    assertThat(other.isReachable()).isFalse();
    assertThat(db.isReachable()).isTrue();
  }
}
