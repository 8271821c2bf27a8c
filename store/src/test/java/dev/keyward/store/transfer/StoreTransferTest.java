package dev.keyward.store.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.store.Database;
import dev.keyward.store.TestDatabases;
import dev.keyward.store.transfer.StoreTables.Column;
import dev.keyward.store.transfer.StoreTables.Table;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Export and import on both engines: every table and column of the schema is moved, every value
 * (nulls, booleans, large numbers, text with quotes and non-ASCII) arrives as it left, both ways
 * between SQLite and PostgreSQL, and refusals leave the target empty.
 */
class StoreTransferTest {
  static final String CHECK = "check-a";
  @TempDir Path dir;

  @Test
  void tablesWhenComparedWithTheMigratedSchemaThenEveryTableAndColumnIsListed() throws SQLException {
    assertCovers(TestDatabases.sqlite(dir.resolve("s")));
    Database pg = TestDatabases.postgres();
    try {
      assertCovers(pg);
    } finally {
      TestDatabases.dispose(pg);
    }
  }

  @Test
  void exportImportWhenSqliteToPostgresAndBackThenEveryRowIsEqual() throws Exception {
    Database sqlite = TestDatabases.sqlite(dir.resolve("a"));
    Database pg = null;
    Database back = TestDatabases.sqlite(dir.resolve("b"));
    try {
      fill(sqlite);
      Map<String, List<Map<String, @Nullable Object>>> original = dump(sqlite);
      byte[] first = export(sqlite);
      pg = TestDatabases.postgres();
      AtomicLong lastDone = new AtomicLong(-1);
      StoreTransfer.Counts imported = StoreTransfer.importInto(pg, new ByteArrayInputStream(first), CHECK,
          (done, total, table) -> lastDone.set(done));
      assertThat(imported.total()).isEqualTo(StoreTransfer.count(sqlite).total()).isGreaterThan(1000);
      assertThat(lastDone.get()).isEqualTo(imported.total());
      assertThat(dump(pg)).isEqualTo(original);
      byte[] second = export(pg);
      StoreTransfer.importInto(back, new ByteArrayInputStream(second), CHECK, StoreTransfer.Progress.NONE);
      assertThat(dump(back)).isEqualTo(original);
      for (Table t : StoreTables.ALL) {
        assertThat(original.get(t.name())).as(t.name()).isNotEmpty();
      }
    } finally {
      sqlite.close();
      back.close();
      TestDatabases.dispose(pg);
    }
  }

  @Test
  void importWhenTargetNotEmptyOrFileWrongThenRefusedAndTargetUnchanged() throws Exception {
    Database source = TestDatabases.sqlite(dir.resolve("src"));
    Database target = TestDatabases.sqlite(dir.resolve("dst"));
    try {
      fill(source);
      byte[] good = export(source);
      assertRefused(source, good, CHECK, "not empty", "tenants: 2");
      assertRefused(target, good, "check-b", "another master key");
      assertRefused(target, "{\"hello\":1}".getBytes(StandardCharsets.UTF_8), CHECK, "not a complete Keyward export");
      assertRefused(target, "[]".getBytes(StandardCharsets.UTF_8), CHECK, "does not start with a JSON object");
      assertRefused(target, "{\"format\":\"x\",\"tables\":{}}".getBytes(StandardCharsets.UTF_8), CHECK, "not a Keyward export");
      String text = new String(good, StandardCharsets.UTF_8);
      assertRefused(target, text.replace("\"schemaVersion\":\"", "\"schemaVersion\":\"9").getBytes(StandardCharsets.UTF_8),
          CHECK, "schema version 9");
      assertRefused(target, text.substring(0, text.length() / 2).getBytes(StandardCharsets.UTF_8), CHECK, "not valid JSON");
      assertRefused(target, text.replaceFirst("\"audit_events\":\\[\\{[^}]*\\},", "\"audit_events\":[")
          .getBytes(StandardCharsets.UTF_8), CHECK, "incomplete");
      assertRefused(target, text.replace("\"slug\":", "\"slugs\":").getBytes(StandardCharsets.UTF_8), CHECK,
          "column this Keyward does not know: slugs");
      assertRefused(target, text.replace("\"programmatic\":true", "\"programmatic\":\"yes\"").getBytes(StandardCharsets.UTF_8),
          CHECK, "users.programmatic must be true or false");
      assertThat(StoreTransfer.count(target).total()).isZero();
    } finally {
      source.close();
      target.close();
    }
  }

  private static void assertRefused(Database target, byte[] file, String check, String... message) {
    assertThatThrownBy(() -> StoreTransfer.importInto(target, new ByteArrayInputStream(file), check, StoreTransfer.Progress.NONE))
        .isInstanceOf(StoreTransfer.Refused.class)
        .message().contains(message);
  }

  private static byte[] export(Database db) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StoreTransfer.export(db, out, CHECK, Instant.parse("2030-01-02T03:04:05Z"), StoreTransfer.Progress.NONE);
    return out.toByteArray();
  }

  private static void assertCovers(Database db) throws SQLException {
    try (db; Connection c = db.dataSource().getConnection()) {
      DatabaseMetaData meta = c.getMetaData();
      String schema = db.dialect() == Database.Dialect.POSTGRESQL ? TestDatabases.schemaOf(db) : null;
      TreeSet<String> tables = new TreeSet<>();
      try (ResultSet rs = meta.getTables(null, schema, "%", new String[] {"TABLE"})) {
        while (rs.next()) {
          String name = rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
          if (!name.startsWith("flyway_") && !name.startsWith("sqlite_")) {
            tables.add(name);
          }
        }
      }
      assertThat(tables).as(db.dialect() + " tables").containsExactlyInAnyOrderElementsOf(
          StoreTables.ALL.stream().map(Table::name).toList());
      for (Table t : StoreTables.ALL) {
        TreeSet<String> columns = new TreeSet<>();
        try (ResultSet rs = meta.getColumns(null, schema, t.name(), "%")) {
          while (rs.next()) {
            columns.add(rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
          }
        }
        assertThat(columns).as(db.dialect() + " columns of " + t.name())
            .containsExactlyInAnyOrderElementsOf(t.columns().stream().map(Column::name).toList());
      }
    }
  }

  /** Rows in every table, with nulls and both booleans, and enough audit rows to cross batches. */
  static void fill(Database db) throws SQLException {
    try (Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(false);
      for (Table t : StoreTables.ALL) {
        int rows = t.name().equals("audit_events") ? 1203 : t.name().equals("route_table") ? 1 : 2;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t.name() + " ("
            + String.join(", ", t.columns().stream().map(Column::name).toList()) + ") VALUES ("
            + String.join(", ", t.columns().stream().map(x -> "?").toList()) + ")")) {
          for (int r = 0; r < rows; r++) {
            for (int i = 0; i < t.columns().size(); i++) {
              Column col = t.columns().get(i);
              boolean nullable = r == 1 && !notNull(c, t.name(), col.name());
              Object v = nullable ? null : value(t.name(), col, r);
              ps.setObject(i + 1, v);
            }
            ps.addBatch();
          }
          ps.executeBatch();
        }
      }
      c.commit();
    }
  }

  private static final Map<String, Boolean> NOT_NULL = new java.util.concurrent.ConcurrentHashMap<>();

  private static boolean notNull(Connection c, String table, String column) throws SQLException {
    String k = table + "." + column;
    Boolean known = NOT_NULL.get(k);
    if (known != null) {
      return known;
    }
    boolean nn = false;
    try (ResultSet rs = c.getMetaData().getColumns(null, null, table, column)) {
      if (rs.next()) {
        nn = rs.getInt("NULLABLE") == DatabaseMetaData.columnNoNulls;
      }
    }
    // SQLite reports primary keys as nullable; keys and references are never left null here.
    nn |= List.of("id", "tenant_id", "user_id", "name", "kid").contains(column);
    NOT_NULL.put(k, nn);
    return nn;
  }

  private static Object value(String table, Column col, int row) {
    return switch (col.kind()) {
      case TEXT -> switch (col.name()) {
        case "id", "kid" -> table.substring(0, 3) + "_" + row;
        case "tenant_id" -> "ten_0";
        case "user_id" -> "use_" + row;
        case "digest", "previous_digest" -> table + "-digest-" + row;
        case "email" -> "u" + row + "@example.com";
        case "slug" -> "t" + row;
        case "access" -> "{\"resources\":[\"algo://é/*\"]}";
        default -> "\"" + col.name().charAt(0) + "\"ü€" + row; // short: some columns are VARCHAR(16)
      };
      case NUMBER -> table.equals("route_table") ? 1L
          : List.of("failures", "lock_count").contains(col.name()) ? 3L + row // INTEGER columns
          : 1_700_000_000_000L + row * 1000L + col.name().length();
      case BOOLEAN -> row % 2 == 0;
    };
  }

  /** Every row of every table as column → value, by kind, in the export's order. */
  static Map<String, List<Map<String, @Nullable Object>>> dump(Database db) throws SQLException {
    Map<String, List<Map<String, @Nullable Object>>> out = new LinkedHashMap<>();
    try (Connection c = db.dataSource().getConnection()) {
      for (Table t : StoreTables.ALL) {
        List<Map<String, @Nullable Object>> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM " + t.name() + " ORDER BY " + String.join(", ", t.orderBy()));
            ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Map<String, @Nullable Object> row = new LinkedHashMap<>();
            for (Column col : t.columns()) {
              Supplier<@Nullable Object> read = switch (col.kind()) {
                case TEXT -> () -> get(() -> rs.getString(col.name()));
                case NUMBER -> () -> get(() -> { long v = rs.getLong(col.name()); return rs.wasNull() ? null : v; });
                case BOOLEAN -> () -> get(() -> { boolean v = rs.getBoolean(col.name()); return rs.wasNull() ? null : v; });
              };
              row.put(col.name(), read.get());
            }
            rows.add(row);
          }
        }
        out.put(t.name(), rows);
      }
    }
    return out;
  }

  interface SqlRead {
    @Nullable Object read() throws SQLException;
  }

  private static @Nullable Object get(SqlRead r) {
    try {
      return r.read();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
