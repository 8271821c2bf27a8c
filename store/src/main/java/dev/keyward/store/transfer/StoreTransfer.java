package dev.keyward.store.transfer;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.keyward.store.Database;
import dev.keyward.store.transfer.StoreTables.Column;
import dev.keyward.store.transfer.StoreTables.Table;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Writes every row of a store to one JSON document and reads such a document into an empty
 * store, on either engine. What the store holds moves as it is: password hashes, key digests,
 * sealed signing keys, refresh-token digests; no secret exists in a store, so none is in an
 * export. Digests and sealed keys only work with the same master key, so an export names a check
 * value of it ({@code keyCheck}) and an import into a deployment with another master key is
 * refused.
 *
 * <pre>
 * {"format":"keyward-export","formatVersion":1,"schemaVersion":"6","exportedAt":"…","source":"sqlite",
 *  "keyCheck":"…","counts":{"tenants":1,…},"tables":{"tenants":[{"id":"ten_…",…}],…}}
 * </pre>
 *
 * Rows are streamed both ways, so a store of any size needs little memory. An export reads one
 * consistent snapshot; an import is one transaction, so a refused or broken file leaves the
 * target empty.
 */
public final class StoreTransfer {
  public static final String FORMAT = "keyward-export";
  public static final int FORMAT_VERSION = 1;
  private static final int BATCH = 500;
  private static final JsonFactory JSON = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private StoreTransfer() {}

  /** Told how far a transfer has come: rows done of the total, and the table being moved. */
  @FunctionalInterface
  public interface Progress {
    Progress NONE = (done, total, table) -> {};

    void update(long done, long total, String table);
  }

  /** Why an import was refused, in words for the operator; the target is left as it was. */
  public static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Refused(String message) {
      super(message, null, false, false);
    }
  }

  /** Rows per table, in {@link StoreTables#ALL} order. */
  public record Counts(Map<String, Long> rows) {
    public Counts {
      rows = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(rows));
    }

    public long total() {
      return rows.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public String toString() {
      return rows.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }
  }

  /** The rows of every table of {@code db}, counted in one statement each. */
  public static Counts count(Database db) {
    try (Connection c = db.dataSource().getConnection()) {
      return count(c);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot count the rows of the store: " + e.getMessage(), e);
    }
  }

  /** Writes the whole store to {@code out} (left open) and answers what was written. */
  public static Counts export(Database db, OutputStream out, String keyCheck, Instant now, Progress progress) throws IOException {
    try (Connection c = db.dataSource().getConnection()) {
      boolean sqlite = db.dialect() == Database.Dialect.SQLITE;
      begin(c, sqlite);
      try {
        Counts counts = count(c);
        String schema = schemaVersion(c);
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
          g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
          g.writeStartObject();
          g.writeStringField("format", FORMAT);
          g.writeNumberField("formatVersion", FORMAT_VERSION);
          g.writeStringField("schemaVersion", schema);
          g.writeStringField("exportedAt", now.toString());
          g.writeStringField("source", sqlite ? "sqlite" : "postgresql");
          g.writeStringField("keyCheck", keyCheck);
          g.writeObjectFieldStart("counts");
          for (Map.Entry<String, Long> e : counts.rows().entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
          }
          g.writeEndObject();
          g.writeObjectFieldStart("tables");
          long done = 0;
          long total = counts.total();
          progress.update(0, total, StoreTables.ALL.get(0).name());
          for (Table t : StoreTables.ALL) {
            g.writeArrayFieldStart(t.name());
            done = writeRows(c, t, g, done, total, progress);
            g.writeEndArray();
          }
          g.writeEndObject();
          g.writeEndObject();
          g.writeRaw('\n');
        }
        return counts;
      } finally {
        end(c, sqlite);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot read the store: " + e.getMessage(), e);
    }
  }

  /**
   * Reads an export into {@code db}, which must hold no row at all (a new SQLite file or a new
   * PostgreSQL database, migrated but never served), and answers what was imported.
   *
   * @throws Refused when the target is not empty, the file is not a complete export of this
   *     schema version, or it was made with another master key
   */
  public static Counts importInto(Database db, InputStream in, String keyCheck, Progress progress) throws IOException {
    try (Connection c = db.dataSource().getConnection(); JsonParser p = JSON.createParser(in)) {
      Header header = readHeader(p);
      refuseUnless(FORMAT.equals(header.format), "This file is not a Keyward export (no \"format\":\"" + FORMAT + "\" at its start)");
      refuseUnless(header.formatVersion == FORMAT_VERSION,
          "This export has format version " + header.formatVersion + "; this Keyward reads version " + FORMAT_VERSION);
      String schema = schemaVersion(c);
      refuseUnless(schema.equals(header.schemaVersion), "This export was made from schema version " + header.schemaVersion
          + " and the target is at version " + schema + ": import it with the Keyward version that exported it");
      refuseUnless(keyCheck.equals(header.keyCheck), "This export was made with another master key: key digests, passwords of"
          + " programmatic users and signing keys would not work. Use the same KEYWARD_MASTER_KEY or master.key as the source");
      Counts existing = count(c);
      if (existing.total() > 0) {
        throw new Refused("The target store is not empty (" + nonZero(existing) + "): import only into a new store"
            + " (a new --data-dir, or a new PostgreSQL database) that no server has started on");
      }
      c.setAutoCommit(false);
      try {
        Map<String, Long> read = readTables(c, p, header, progress);
        for (Table t : StoreTables.ALL) {
          long expected = header.counts.getOrDefault(t.name(), 0L);
          long got = read.getOrDefault(t.name(), 0L);
          refuseUnless(expected == got, "The export is incomplete: " + got + " rows of " + t.name() + " where its header says "
              + expected + "; nothing was imported");
        }
        c.commit();
        return new Counts(orderedCounts(read));
      } catch (SQLException | IOException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (JsonProcessingException e) {
      throw new Refused("The file is not valid JSON (" + e.getOriginalMessage() + " at line " + e.getLocation().getLineNr()
          + "); nothing was imported");
    } catch (SQLException e) {
      SQLException cause = e.getNextException() == null ? e : e.getNextException();
      throw new Refused("The store refused a row: " + cause.getMessage() + "; nothing was imported");
    }
  }

  private static final class Header {
    @Nullable String format;
    int formatVersion;
    @Nullable String schemaVersion;
    @Nullable String keyCheck;
    final Map<String, Long> counts = new LinkedHashMap<>();
  }

  private static Header readHeader(JsonParser p) throws IOException {
    Header h = new Header();
    refuseUnless(p.nextToken() == JsonToken.START_OBJECT, "This file is not a Keyward export: it does not start with a JSON object");
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      switch (field) {
        case "format" -> h.format = p.getValueAsString();
        case "formatVersion" -> h.formatVersion = p.getValueAsInt(-1);
        case "schemaVersion" -> h.schemaVersion = p.getValueAsString();
        case "keyCheck" -> h.keyCheck = p.getValueAsString();
        case "counts" -> {
          refuseUnless(value == JsonToken.START_OBJECT, "'counts' must be an object");
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String table = p.currentName();
            refuseUnless(p.nextToken() == JsonToken.VALUE_NUMBER_INT, "'counts." + table + "' must be a whole number");
            h.counts.put(table, p.getLongValue());
          }
        }
        case "tables" -> {
          refuseUnless(value == JsonToken.START_OBJECT, "'tables' must be an object");
          return h; // the parser stands on the tables' start
        }
        default -> p.skipChildren();
      }
    }
    throw new Refused("This file is not a complete Keyward export: it has no 'tables'");
  }

  private static Map<String, Long> readTables(Connection c, JsonParser p, Header header, Progress progress)
      throws IOException, SQLException {
    Map<String, Table> known = StoreTables.ALL.stream().collect(Collectors.toMap(Table::name, t -> t));
    long total = header.counts.values().stream().mapToLong(Long::longValue).sum();
    Map<String, Long> read = new LinkedHashMap<>();
    long done = 0;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      Table t = known.get(name);
      if (t == null) {
        throw new Refused("The export has a table this Keyward does not know: " + name);
      }
      refuseUnless(!read.containsKey(name), "The export names the table " + name + " twice");
      refuseUnless(p.nextToken() == JsonToken.START_ARRAY, "'tables." + name + "' must be an array of rows");
      progress.update(done, total, name);
      long rows = 0;
      try (PreparedStatement ps = c.prepareStatement(insert(t))) {
        while (p.nextToken() == JsonToken.START_OBJECT) {
          bindRow(ps, t, p);
          ps.addBatch();
          rows++;
          done++;
          if (rows % BATCH == 0) {
            ps.executeBatch();
            progress.update(done, total, name);
          }
        }
        refuseUnless(p.currentToken() == JsonToken.END_ARRAY, "'tables." + name + "' must hold only row objects");
        ps.executeBatch();
      }
      progress.update(done, total, name);
      read.put(name, rows);
    }
    refuseUnless(p.currentToken() == JsonToken.END_OBJECT, "'tables' is malformed");
    return read;
  }

  private static void bindRow(PreparedStatement ps, Table t, JsonParser p) throws IOException, SQLException {
    List<Column> columns = t.columns();
    boolean[] seen = new boolean[columns.size()];
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      int i = indexOf(columns, field);
      refuseUnless(i >= 0, "A row of " + t.name() + " has a column this Keyward does not know: " + field);
      refuseUnless(!seen[i], "A row of " + t.name() + " names " + field + " twice");
      seen[i] = true;
      JsonToken v = p.nextToken();
      Column col = columns.get(i);
      String where = t.name() + "." + field;
      if (v == JsonToken.VALUE_NULL) {
        ps.setNull(i + 1, switch (col.kind()) {
          case TEXT -> Types.VARCHAR;
          case NUMBER -> Types.BIGINT;
          case BOOLEAN -> Types.BOOLEAN;
        });
        continue;
      }
      switch (col.kind()) {
        case TEXT -> {
          refuseUnless(v == JsonToken.VALUE_STRING, where + " must be text");
          ps.setString(i + 1, p.getText());
        }
        case NUMBER -> {
          refuseUnless(v == JsonToken.VALUE_NUMBER_INT, where + " must be a whole number");
          ps.setLong(i + 1, p.getLongValue());
        }
        case BOOLEAN -> {
          refuseUnless(v == JsonToken.VALUE_TRUE || v == JsonToken.VALUE_FALSE, where + " must be true or false");
          ps.setBoolean(i + 1, v == JsonToken.VALUE_TRUE);
        }
      }
    }
    for (int i = 0; i < seen.length; i++) {
      refuseUnless(seen[i], "A row of " + t.name() + " has no " + columns.get(i).name());
    }
  }

  private static long writeRows(Connection c, Table t, JsonGenerator g, long done, long total, Progress progress)
      throws SQLException, IOException {
    String sql = "SELECT " + t.columns().stream().map(Column::name).collect(Collectors.joining(", ")) + " FROM " + t.name()
        + " ORDER BY " + String.join(", ", t.orderBy());
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setFetchSize(BATCH);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          g.writeStartObject();
          for (int i = 0; i < t.columns().size(); i++) {
            Column col = t.columns().get(i);
            g.writeFieldName(col.name());
            switch (col.kind()) {
              case TEXT -> {
                String s = rs.getString(i + 1);
                if (s == null) {
                  g.writeNull();
                } else {
                  g.writeString(s);
                }
              }
              case NUMBER -> {
                long n = rs.getLong(i + 1);
                if (rs.wasNull()) {
                  g.writeNull();
                } else {
                  g.writeNumber(n);
                }
              }
              case BOOLEAN -> {
                boolean b = rs.getBoolean(i + 1);
                if (rs.wasNull()) {
                  g.writeNull();
                } else {
                  g.writeBoolean(b);
                }
              }
            }
          }
          g.writeEndObject();
          done++;
          if (done % BATCH == 0) {
            progress.update(done, total, t.name());
          }
        }
      }
    }
    progress.update(done, total, t.name());
    return done;
  }

  private static Counts count(Connection c) throws SQLException {
    Map<String, Long> rows = new LinkedHashMap<>();
    try (Statement s = c.createStatement()) {
      for (Table t : StoreTables.ALL) {
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + t.name())) {
          rs.next();
          rows.put(t.name(), rs.getLong(1));
        }
      }
    }
    return new Counts(rows);
  }

  /** The version of the last migration applied, as Flyway recorded it. */
  private static String schemaVersion(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL"
            + " ORDER BY installed_rank DESC")) {
      if (!rs.next()) {
        throw new IllegalStateException("The store has no migration history");
      }
      return rs.getString(1);
    }
  }

  /** A read of one consistent snapshot that blocks no writer (SQLite: a deferred transaction in WAL mode). */
  private static void begin(Connection c, boolean sqlite) throws SQLException {
    if (sqlite) {
      try (Statement s = c.createStatement()) {
        s.execute("BEGIN DEFERRED");
      }
    } else {
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      c.setReadOnly(true);
    }
  }

  private static void end(Connection c, boolean sqlite) throws SQLException {
    if (sqlite) {
      try (Statement s = c.createStatement()) {
        s.execute("COMMIT");
      }
    } else {
      c.rollback();
      c.setReadOnly(false);
      c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      c.setAutoCommit(true);
    }
  }

  private static String insert(Table t) {
    return "INSERT INTO " + t.name() + " (" + t.columns().stream().map(Column::name).collect(Collectors.joining(", "))
        + ") VALUES (" + t.columns().stream().map(col -> "?").collect(Collectors.joining(", ")) + ")";
  }

  private static int indexOf(List<Column> columns, String name) {
    for (int i = 0; i < columns.size(); i++) {
      if (columns.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private static Map<String, Long> orderedCounts(Map<String, Long> read) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (Table t : StoreTables.ALL) {
      out.put(t.name(), read.getOrDefault(t.name(), 0L));
    }
    return out;
  }

  private static String nonZero(Counts counts) {
    return counts.rows().entrySet().stream().filter(e -> e.getValue() > 0).map(e -> e.getKey() + ": " + e.getValue())
        .collect(Collectors.joining(", "));
  }

  private static void refuseUnless(boolean ok, String message) {
    if (!ok) {
      throw new Refused(message);
    }
  }
}
