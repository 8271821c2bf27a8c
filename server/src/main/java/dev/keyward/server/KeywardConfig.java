package dev.keyward.server;

import dev.keyward.core.secret.PasswordHasher;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Everything a Keyward server is started with, read once (flags, then {@code KEYWARD_*}
 * environment variables, then defaults) and passed down explicitly.
 *
 * @param host interface to bind ({@code KEYWARD_HOST}, default 127.0.0.1)
 * @param port port ({@code KEYWARD_PORT}, default 8080; 0 picks a free one)
 * @param dataDir data folder ({@code KEYWARD_DATA_DIR}, default ./keyward-data): the SQLite file
 *     and the master key file live here
 * @param dbUrl a {@code jdbc:postgresql://…} URL ({@code KEYWARD_DB_URL}); null means SQLite in
 *     the data folder
 * @param adminEmail the first owner's email ({@code KEYWARD_ADMIN_EMAIL})
 * @param adminPassword the first owner's password ({@code KEYWARD_ADMIN_PASSWORD}); null means
 *     generate one and print it once
 * @param masterKey the deployment secret ({@code KEYWARD_MASTER_KEY}); null means a key file in
 *     the data folder, created on first start
 * @param tenantHostPattern e.g. {@code api.{tenant}.example.com} ({@code KEYWARD_TENANT_HOST_PATTERN})
 * @param credentialCacheTtl how long a credential lookup is reused; bounds how late a change made
 *     on another node is seen
 * @param lastUsedFlush how often last-used times are written
 */
public record KeywardConfig(
    String host,
    int port,
    Path dataDir,
    @Nullable String dbUrl,
    @Nullable String dbUser,
    @Nullable String dbPassword,
    @Nullable String dbSchema,
    String adminEmail,
    @Nullable String adminPassword,
    @Nullable String masterKey,
    @Nullable String tenantHostPattern,
    Duration credentialCacheTtl,
    Duration lastUsedFlush,
    PasswordHasher.Argon2Cost argon2) {

  public static final String DEFAULT_ADMIN_EMAIL = "admin@localhost";

  /** Defaults for a data folder: SQLite, 127.0.0.1:8080, generated admin password. */
  public static KeywardConfig defaults(Path dataDir) {
    return new KeywardConfig("127.0.0.1", 8080, dataDir, null, null, null, null, DEFAULT_ADMIN_EMAIL, null, null, null,
        Duration.ofSeconds(1), Duration.ofSeconds(1), PasswordHasher.Argon2Cost.OWASP);
  }

  public KeywardConfig withPort(int newPort) {
    return new KeywardConfig(host, newPort, dataDir, dbUrl, dbUser, dbPassword, dbSchema, adminEmail, adminPassword, masterKey, tenantHostPattern, credentialCacheTtl, lastUsedFlush, argon2);
  }

  public KeywardConfig withHost(String newHost) {
    return new KeywardConfig(newHost, port, dataDir, dbUrl, dbUser, dbPassword, dbSchema, adminEmail, adminPassword, masterKey, tenantHostPattern, credentialCacheTtl, lastUsedFlush, argon2);
  }

  public KeywardConfig withDatabase(@Nullable String url, @Nullable String user, @Nullable String password, @Nullable String schema) {
    return new KeywardConfig(host, port, dataDir, url, user, password, schema, adminEmail, adminPassword, masterKey, tenantHostPattern, credentialCacheTtl, lastUsedFlush, argon2);
  }

  public KeywardConfig withAdmin(String email, @Nullable String password) {
    return new KeywardConfig(host, port, dataDir, dbUrl, dbUser, dbPassword, dbSchema, email, password, masterKey, tenantHostPattern, credentialCacheTtl, lastUsedFlush, argon2);
  }

  public KeywardConfig withMasterKey(@Nullable String key) {
    return new KeywardConfig(host, port, dataDir, dbUrl, dbUser, dbPassword, dbSchema, adminEmail, adminPassword, key, tenantHostPattern, credentialCacheTtl, lastUsedFlush, argon2);
  }

  public KeywardConfig withTenantHostPattern(@Nullable String pattern) {
    return new KeywardConfig(host, port, dataDir, dbUrl, dbUser, dbPassword, dbSchema, adminEmail, adminPassword, masterKey, pattern, credentialCacheTtl, lastUsedFlush, argon2);
  }

  public KeywardConfig withTimings(Duration cacheTtl, Duration flush) {
    return new KeywardConfig(host, port, dataDir, dbUrl, dbUser, dbPassword, dbSchema, adminEmail, adminPassword, masterKey, tenantHostPattern, cacheTtl, flush, argon2);
  }

  public KeywardConfig withArgon2(PasswordHasher.Argon2Cost cost) {
    return new KeywardConfig(host, port, dataDir, dbUrl, dbUser, dbPassword, dbSchema, adminEmail, adminPassword, masterKey, tenantHostPattern, credentialCacheTtl, lastUsedFlush, cost);
  }

  /** The JDBC URL in use: PostgreSQL when configured, else SQLite in the data folder. */
  public String effectiveDbUrl() {
    return dbUrl != null ? dbUrl : "jdbc:sqlite:" + dataDir.resolve("keyward.db").toAbsolutePath();
  }
}
