package dev.keyward.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.keyward.store.jdbc.Jdbc;
import dev.keyward.store.jdbc.JdbcAuditLog;
import dev.keyward.store.jdbc.JdbcKeyStore;
import dev.keyward.store.jdbc.JdbcLoginAttemptStore;
import dev.keyward.store.jdbc.JdbcRoleStore;
import dev.keyward.store.jdbc.JdbcRouteTableStore;
import dev.keyward.store.jdbc.JdbcTenantStore;
import dev.keyward.store.jdbc.JdbcUserStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;

/**
 * The store: a connection pool, migrated on open, and the JDBC stores over it. SQLite runs in WAL
 * mode with {@code synchronous=FULL}, so an acknowledged write survives a crash of the process and
 * of the machine; write transactions begin {@code IMMEDIATE} to avoid upgrade deadlocks.
 */
public final class Database implements AutoCloseable {
  private final HikariDataSource dataSource;
  private final Dialect dialect;
  private final Jdbc jdbc;
  private final JdbcTenantStore tenants;
  private final JdbcUserStore users;
  private final JdbcRoleStore roles;
  private final JdbcRouteTableStore routes;
  private final JdbcKeyStore keys;
  private final JdbcAuditLog audit;
  private final dev.keyward.store.jdbc.JdbcSigningKeyStore signingKeys;
  private final dev.keyward.store.jdbc.JdbcRefreshTokenStore refreshTokens;
  private final JdbcLoginAttemptStore loginAttempts;
  private final dev.keyward.store.jdbc.JdbcSessionStore sessions;

  /** Which engine is behind the URL. */
  public enum Dialect {
    SQLITE,
    POSTGRESQL
  }

  /**
   * Where the store is. {@code schema} (PostgreSQL only) isolates one installation or one test in
   * its own schema.
   */
  public record Settings(String url, @Nullable String user, @Nullable String password, @Nullable String schema, int poolSize, Duration connectionTimeout) {
    public static Settings sqlite(Path file) {
      return new Settings("jdbc:sqlite:" + file.toAbsolutePath(), null, null, null, 4, Duration.ofSeconds(2));
    }
  }

  private Database(HikariDataSource dataSource, Dialect dialect) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.jdbc = new Jdbc(dataSource, dialect == Dialect.SQLITE);
    this.tenants = new JdbcTenantStore(jdbc);
    this.users = new JdbcUserStore(jdbc);
    this.roles = new JdbcRoleStore(jdbc);
    this.routes = new JdbcRouteTableStore(jdbc);
    this.keys = new JdbcKeyStore(jdbc);
    this.audit = new JdbcAuditLog(jdbc);
    this.signingKeys = new dev.keyward.store.jdbc.JdbcSigningKeyStore(jdbc);
    // No linger: measured with 1 ms, batches grew from ~9 to ~15 rows but throughput did not move,
    // and every exchange would wait longer at low load.
    this.refreshTokens = new dev.keyward.store.jdbc.JdbcRefreshTokenStore(jdbc);
    this.loginAttempts = new JdbcLoginAttemptStore(jdbc);
    this.sessions = new dev.keyward.store.jdbc.JdbcSessionStore(jdbc);
  }

  /** Opens the pool and brings the schema up to date. */
  public static Database open(Settings settings) {
    Dialect dialect;
    if (settings.url().startsWith("jdbc:sqlite:")) {
      dialect = Dialect.SQLITE;
    } else if (settings.url().startsWith("jdbc:postgresql:")) {
      dialect = Dialect.POSTGRESQL;
    } else {
      throw new IllegalArgumentException("Unsupported database URL: use jdbc:sqlite:<file> or jdbc:postgresql://host/db");
    }
    HikariConfig config = new HikariConfig();
    config.setPoolName("keyward");
    config.setJdbcUrl(settings.url());
    config.setConnectionTimeout(settings.connectionTimeout().toMillis());
    config.setValidationTimeout(Math.min(1000, settings.connectionTimeout().toMillis()));
    config.setMaximumPoolSize(settings.poolSize());
    config.setMinimumIdle(1);
    config.setInitializationFailTimeout(settings.connectionTimeout().toMillis());
    if (dialect == Dialect.SQLITE) {
      createParent(settings.url().substring("jdbc:sqlite:".length()));
      config.addDataSourceProperty("journal_mode", "WAL");
      config.addDataSourceProperty("synchronous", "FULL");
      config.addDataSourceProperty("busy_timeout", "5000");
      config.addDataSourceProperty("foreign_keys", "true");
      config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
    } else {
      if (settings.user() != null) {
        config.setUsername(settings.user());
      }
      if (settings.password() != null) {
        config.setPassword(settings.password());
      }
      if (settings.schema() != null) {
        config.setSchema(settings.schema());
      }
      config.addDataSourceProperty("connectTimeout", String.valueOf(Math.max(1, settings.connectionTimeout().toSeconds())));
      config.addDataSourceProperty("socketTimeout", "30");
    }
    HikariDataSource ds = new HikariDataSource(config);
    try {
      var flyway = Flyway.configure(Database.class.getClassLoader())
          .dataSource(ds)
          .locations("classpath:db/migration")
          .validateOnMigrate(true)
          .cleanDisabled(true);
      if (settings.schema() != null) {
        flyway.schemas(settings.schema()).createSchemas(true);
      }
      flyway.load().migrate();
    } catch (RuntimeException e) {
      ds.close();
      throw e;
    }
    return new Database(ds, dialect);
  }

  private static void createParent(String file) {
    Path parent = Path.of(file).toAbsolutePath().getParent();
    if (parent != null) {
      try {
        Files.createDirectories(parent);
      } catch (java.io.IOException e) {
        throw new IllegalStateException("Cannot create the data directory " + parent + ": " + e.getMessage(), e);
      }
    }
  }

  /** True when a connection answers a trivial query within the pool's timeout. */
  public boolean isReachable() {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.setQueryTimeout(2);
      s.execute("SELECT 1");
      return true;
    } catch (SQLException | RuntimeException e) {
      return false;
    }
  }

  public Dialect dialect() {
    return dialect;
  }

  public Jdbc jdbc() {
    return jdbc;
  }

  public JdbcTenantStore tenants() {
    return tenants;
  }

  public JdbcUserStore users() {
    return users;
  }

  public JdbcRoleStore roles() {
    return roles;
  }

  public JdbcRouteTableStore routes() {
    return routes;
  }

  public JdbcKeyStore keys() {
    return keys;
  }

  public JdbcAuditLog audit() {
    return audit;
  }

  public dev.keyward.store.jdbc.JdbcSigningKeyStore signingKeys() {
    return signingKeys;
  }

  public dev.keyward.store.jdbc.JdbcRefreshTokenStore refreshTokens() {
    return refreshTokens;
  }

  /** Failed password attempts and account locks. */
  public dev.keyward.store.jdbc.JdbcSessionStore sessions() {
    return sessions;
  }

  public JdbcLoginAttemptStore loginAttempts() {
    return loginAttempts;
  }

  public HikariDataSource dataSource() {
    return dataSource;
  }

  @Override
  public void close() {
    refreshTokens.close(); // its queued inserts are written before the pool closes
    dataSource.close();
  }
}
