package dev.keyward.store;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Fresh databases for tests, shared with the server's tests through the store's test-jar.
 *
 * <p>{@link #sqlite(Path)} opens a new SQLite file in a temporary directory. {@link #postgres()}
 * opens the local PostgreSQL ({@value #PG_URL}, user from {@code KEYWARD_TEST_PG_USER}, default
 * {@code postgres}, trust authentication) in a new schema of its own; {@link #dispose(Database)}
 * closes either kind and drops that schema. Without a PostgreSQL server the PostgreSQL tests are
 * skipped with a line on standard error, unless {@code CI} is set: there a missing server fails
 * them, so that CI never goes green by skipping.
 */
public final class TestDatabases {
  public static final String PG_HOST = "127.0.0.1";
  public static final int PG_PORT = 5432;
  public static final String PG_URL = "jdbc:postgresql://127.0.0.1:5432/test";
  /** Every schema a test creates starts with this, so a leftover is recognisable. */
  public static final String SCHEMA_PREFIX = "kw_test_";
  /** The SQLite file name {@link #sqlite(Path)} creates in its directory. */
  public static final String SQLITE_FILE = "keyward.db";

  private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);
  private static final AtomicBoolean SKIP_REPORTED = new AtomicBoolean();
  private static volatile @Nullable Boolean postgresUp;
  /**
   * Every test opens and closes a pool and runs Flyway, whose INFO lines would drown the test
   * output; warnings still show. Held here because java.util.logging keeps loggers weakly.
   */
  private static final List<Logger> QUIETED = quiet("com.zaxxer.hikari", "org.flywaydb");

  private TestDatabases() {}

  private static List<Logger> quiet(String... names) {
    List<Logger> loggers = new ArrayList<>();
    for (String name : names) {
      Logger logger = Logger.getLogger(name);
      if (logger.getLevel() == null) {
        logger.setLevel(Level.WARNING);
      }
      loggers.add(logger);
    }
    return List.copyOf(loggers);
  }

  /** A migrated database in a new SQLite file {@value #SQLITE_FILE} under {@code dir}. */
  public static Database sqlite(Path dir) {
    return Database.open(Database.Settings.sqlite(dir.resolve(SQLITE_FILE)));
  }

  /** The file behind a SQLite database. */
  public static Path sqliteFile(Database db) {
    if (db.dialect() != Database.Dialect.SQLITE) {
      throw new IllegalArgumentException("not a SQLite database: " + db.dialect());
    }
    return Path.of(db.dataSource().getJdbcUrl().substring("jdbc:sqlite:".length()));
  }

  /**
   * A migrated database in a new, uniquely named PostgreSQL schema (Flyway creates it). Fails the
   * calling test when the server is absent and {@link #ci()} is true, and aborts (skips) it
   * otherwise. Release it with {@link #dispose(Database)}.
   */
  public static Database postgres() {
    requirePostgres();
    String schema = SCHEMA_PREFIX + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    return Database.open(pgSettings(schema));
  }

  /**
   * A second pool on the same store as {@code db} (same SQLite file, same PostgreSQL schema), as a
   * second node would have. Close it with {@link Database#close()} before disposing {@code db};
   * never {@link #dispose(Database) dispose} it, which would drop the schema both share.
   */
  public static Database another(Database db) {
    return switch (db.dialect()) {
      case SQLITE -> Database.open(Database.Settings.sqlite(sqliteFile(db)));
      case POSTGRESQL -> Database.open(pgSettings(schemaOf(db)));
    };
  }

  /** The schema a PostgreSQL database from {@link #postgres()} lives in. */
  public static String schemaOf(Database db) {
    String schema = db.dataSource().getSchema();
    if (db.dialect() != Database.Dialect.POSTGRESQL || schema == null) {
      throw new IllegalArgumentException("not a PostgreSQL test database");
    }
    return schema;
  }

  /** Closes a test database and, for PostgreSQL, drops its schema. Safe on a closed database. */
  public static void dispose(@Nullable Database db) {
    if (db == null) {
      return;
    }
    db.close();
    if (db.dialect() == Database.Dialect.POSTGRESQL) {
      dropSchema(schemaOf(db));
    }
  }

  /** Drops one test schema and everything in it. */
  public static void dropSchema(String schema) {
    if (!schema.startsWith(SCHEMA_PREFIX) || !schema.matches("[a-z0-9_]+")) {
      throw new IllegalArgumentException("refusing to drop a schema no test created: " + schema);
    }
    try (Connection c = pgConnection(); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException("Could not drop test schema " + schema + ": " + e.getMessage(), e);
    }
  }

  /** A plain connection to the test database, outside any pool (for setup and inspection). */
  public static Connection pgConnection() throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", pgUser());
    props.setProperty("connectTimeout", "2");
    return DriverManager.getConnection(PG_URL, props);
  }

  /** True when the CI environment variable is set: missing services are failures, not skips. */
  public static boolean ci() {
    String ci = System.getenv("CI");
    return ci != null && !ci.isBlank();
  }

  /** True when something accepts connections on the PostgreSQL port (checked once, quickly). */
  public static boolean postgresAvailable() {
    Boolean up = postgresUp;
    if (up == null) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(PG_HOST, PG_PORT), (int) PROBE_TIMEOUT.toMillis());
        up = true;
      } catch (IOException e) {
        up = false;
      }
      postgresUp = up;
    }
    return up;
  }

  /** Fails (CI) or skips (elsewhere, with a visible line) the calling test without PostgreSQL. */
  public static void requirePostgres() {
    if (postgresAvailable()) {
      return;
    }
    String where = "no server at " + PG_HOST + ":" + PG_PORT;
    if (ci()) {
      Assertions.fail("PostgreSQL tests cannot run: " + where + " and CI is set; start PostgreSQL (trust auth, database 'test')");
    }
    if (SKIP_REPORTED.compareAndSet(false, true)) {
      System.err.println("SKIPPED PostgreSQL tests: " + where + " (set CI=true to make this a failure)");
    }
    Assumptions.abort("PostgreSQL is not running at " + PG_HOST + ":" + PG_PORT);
  }

  private static Database.Settings pgSettings(String schema) {
    return new Database.Settings(PG_URL, pgUser(), null, schema, 4, Duration.ofSeconds(5));
  }

  private static String pgUser() {
    String user = System.getenv("KEYWARD_TEST_PG_USER");
    return user == null || user.isBlank() ? "postgres" : user;
  }
}
