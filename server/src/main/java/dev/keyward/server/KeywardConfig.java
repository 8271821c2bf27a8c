package dev.keyward.server;

import dev.keyward.core.auth.LockoutPolicy;
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
 * @param lockout when wrong passwords lock an account ({@code KEYWARD_LOCKOUT_MAX_FAILURES},
 *     {@code KEYWARD_LOCKOUT_WINDOW} and {@code KEYWARD_LOCKOUT_DURATION} in seconds,
 *     {@code KEYWARD_LOCKOUT_MODE} {@code temporary|until-unlocked}; default 10 failures in 15
 *     minutes lock for 15 minutes, growing on repeat), the quick-login check
 *     ({@code KEYWARD_LOCKOUT_QUICK_LOGIN_INTERVAL} milliseconds, 0 = off, default 1000;
 *     {@code KEYWARD_LOCKOUT_QUICK_LOGIN_WAIT} seconds, default 60) and escalation
 *     ({@code KEYWARD_LOCKOUT_PERMANENT_AFTER} temporary locks, default 0 = never permanent)
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
    PasswordHasher.Argon2Cost argon2,
    TokenSettings tokens,
    LockoutPolicy lockout,
    @Nullable Path routes) {

  /**
   * Access and refresh tokens.
   *
   * @param issuer the {@code iss} (and {@code aud}) of tokens ({@code KEYWARD_ISSUER}); null means
   *     each request's own base URL (scheme and {@code Host}), as RFC 8414 §3 wants the issuer to
   *     be the URL the metadata is fetched from
   * @param algorithm signature algorithm ({@code KEYWARD_TOKEN_ALGORITHM}: EdDSA, ES256 or RS256)
   * @param accessTtl access-token lifetime ({@code KEYWARD_ACCESS_TOKEN_TTL} seconds, default 3600)
   * @param refreshTtl lifetime of one refresh token (default 30 days)
   * @param familyTtl absolute lifetime of a login, however often refreshed (default 90 days)
   * @param skew clock skew allowed when checking token times (default 30 s)
   * @param reuseLeeway how long after its use a refresh token may be presented again and still
   *     give a new pair, for clients that retry after a lost answer (default 0: off)
   * @param raceWindow how long after its use a spent refresh token presented again is taken for a
   *     concurrent refresh and only refused, its family kept ({@code KEYWARD_REFRESH_RACE_WINDOW}
   *     seconds, default 2); 0 is strict: every such presentation, concurrent or not, counts as
   *     reuse and revokes the family
   */
  public record TokenSettings(@Nullable String issuer, dev.keyward.core.token.TokenAlgorithm algorithm, Duration accessTtl,
      Duration refreshTtl, Duration familyTtl, Duration skew, Duration reuseLeeway, Duration raceWindow) {
    public static final TokenSettings DEFAULTS = new TokenSettings(null, dev.keyward.core.token.TokenAlgorithm.EDDSA,
        Duration.ofHours(1), Duration.ofDays(30), Duration.ofDays(90), Duration.ofSeconds(30), Duration.ZERO,
        dev.keyward.core.token.TokenService.DEFAULT_RACE_WINDOW);

    public TokenSettings withIssuer(@Nullable String newIssuer) {
      return new TokenSettings(newIssuer, algorithm, accessTtl, refreshTtl, familyTtl, skew, reuseLeeway, raceWindow);
    }

    public TokenSettings withAlgorithm(dev.keyward.core.token.TokenAlgorithm a) {
      return new TokenSettings(issuer, a, accessTtl, refreshTtl, familyTtl, skew, reuseLeeway, raceWindow);
    }

    public TokenSettings withLifetimes(Duration access, Duration refresh, Duration family) {
      return new TokenSettings(issuer, algorithm, access, refresh, family, skew, reuseLeeway, raceWindow);
    }

    public TokenSettings withReuseLeeway(Duration leeway) {
      return new TokenSettings(issuer, algorithm, accessTtl, refreshTtl, familyTtl, skew, leeway, raceWindow);
    }

    public TokenSettings withRaceWindow(Duration window) {
      return new TokenSettings(issuer, algorithm, accessTtl, refreshTtl, familyTtl, skew, reuseLeeway, window);
    }
  }

  public static final String DEFAULT_ADMIN_EMAIL = "admin@localhost";
  /**
   * How long a credential lookup is reused. Below one second on purpose: a change committed on
   * another node must be seen within one second, including the time of the lookup itself.
   */
  public static final Duration CREDENTIAL_CACHE_TTL = Duration.ofMillis(800);

  /** Defaults for a data folder: SQLite, 127.0.0.1:8080, generated admin password. */
  public static KeywardConfig defaults(Path dataDir) {
    return new KeywardConfig("127.0.0.1", 8080, dataDir, null, null, null, null, DEFAULT_ADMIN_EMAIL, null, null, null,
        CREDENTIAL_CACHE_TTL, Duration.ofSeconds(1), PasswordHasher.Argon2Cost.OWASP, TokenSettings.DEFAULTS, LockoutPolicy.DEFAULTS, null);
  }

  public KeywardConfig withPort(int newPort) {
    return new KeywardConfig(host, newPort, dataDir, dbUrl, dbUser, dbPassword, dbSchema, adminEmail, adminPassword, masterKey, tenantHostPattern, credentialCacheTtl, lastUsedFlush, argon2, tokens, lockout, routes);
  }

  public KeywardConfig withHost(String newHost) {
    return new KeywardConfig(newHost, port, dataDir, dbUrl, dbUser, dbPassword, dbSchema, adminEmail, adminPassword, masterKey, tenantHostPattern, credentialCacheTtl, lastUsedFlush, argon2, tokens, lockout, routes);
  }

  public KeywardConfig withDatabase(@Nullable String url, @Nullable String user, @Nullable String password, @Nullable String schema) {
    return new KeywardConfig(host, port, dataDir, url, user, password, schema, adminEmail, adminPassword, masterKey, tenantHostPattern, credentialCacheTtl, lastUsedFlush, argon2, tokens, lockout, routes);
  }

  public KeywardConfig withAdmin(String email, @Nullable String password) {
    return new KeywardConfig(host, port, dataDir, dbUrl, dbUser, dbPassword, dbSchema, email, password, masterKey, tenantHostPattern, credentialCacheTtl, lastUsedFlush, argon2, tokens, lockout, routes);
  }

  public KeywardConfig withMasterKey(@Nullable String key) {
    return new KeywardConfig(host, port, dataDir, dbUrl, dbUser, dbPassword, dbSchema, adminEmail, adminPassword, key, tenantHostPattern, credentialCacheTtl, lastUsedFlush, argon2, tokens, lockout, routes);
  }

  public KeywardConfig withTenantHostPattern(@Nullable String pattern) {
    return new KeywardConfig(host, port, dataDir, dbUrl, dbUser, dbPassword, dbSchema, adminEmail, adminPassword, masterKey, pattern, credentialCacheTtl, lastUsedFlush, argon2, tokens, lockout, routes);
  }

  public KeywardConfig withTimings(Duration cacheTtl, Duration flush) {
    return new KeywardConfig(host, port, dataDir, dbUrl, dbUser, dbPassword, dbSchema, adminEmail, adminPassword, masterKey, tenantHostPattern, cacheTtl, flush, argon2, tokens, lockout, routes);
  }

  public KeywardConfig withArgon2(PasswordHasher.Argon2Cost cost) {
    return new KeywardConfig(host, port, dataDir, dbUrl, dbUser, dbPassword, dbSchema, adminEmail, adminPassword, masterKey, tenantHostPattern, credentialCacheTtl, lastUsedFlush, cost, tokens, lockout, routes);
  }

  public KeywardConfig withTokens(TokenSettings newTokens) {
    return new KeywardConfig(host, port, dataDir, dbUrl, dbUser, dbPassword, dbSchema, adminEmail, adminPassword, masterKey, tenantHostPattern, credentialCacheTtl, lastUsedFlush, argon2, newTokens, lockout, routes);
  }

  public KeywardConfig withLockout(LockoutPolicy policy) {
    return new KeywardConfig(host, port, dataDir, dbUrl, dbUser, dbPassword, dbSchema, adminEmail, adminPassword, masterKey, tenantHostPattern, credentialCacheTtl, lastUsedFlush, argon2, tokens, policy, routes);
  }

  public KeywardConfig withRoutes(@Nullable Path file) {
    return new KeywardConfig(host, port, dataDir, dbUrl, dbUser, dbPassword, dbSchema, adminEmail, adminPassword, masterKey, tenantHostPattern, credentialCacheTtl, lastUsedFlush, argon2, tokens, lockout, file);
  }

  /**
   * The issuer where no request is at hand: configured, else this server's own address. Requests
   * use the configured issuer or their own base URL ({@code RequestIssuer}).
   */
  public String effectiveIssuer() {
    if (tokens.issuer() != null) {
      return tokens.issuer();
    }
    // A wildcard bind is no address a client can use: name the machine instead.
    String h = host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]") ? "localhost" : host;
    return "http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port;
  }

  /** The JDBC URL in use: PostgreSQL when configured, else SQLite in the data folder. */
  public String effectiveDbUrl() {
    return dbUrl != null ? dbUrl : "jdbc:sqlite:" + dataDir.resolve("keyward.db").toAbsolutePath();
  }
}
