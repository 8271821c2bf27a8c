package dev.keyward.server;

import dev.keyward.core.auth.LockoutPolicy;
import dev.keyward.core.secret.PasswordHasher;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
 * @param gateway gateway mode and trusted proxies
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
    @Nullable Path routes,
    GatewaySettings gateway) {

  /**
   * Gateway mode, and the proxies Keyward sits behind.
   *
   * @param upstream the API to proxy to ({@code KEYWARD_UPSTREAM}, an {@code http://} or
   *     {@code https://} base URL); null: no gateway, unknown paths answer 404
   * @param upstreamTimeout how long to wait for the upstream to connect, and then for each read
   *     of its answer ({@code KEYWARD_UPSTREAM_TIMEOUT} seconds, default 30): past it, 504
   * @param maxBody the largest request body the gateway forwards, in bytes
   *     ({@code KEYWARD_UPSTREAM_MAX_BODY}, default 64 MiB); Keyward's own endpoints keep their
   *     own, smaller limit
   * @param trustedProxies addresses and CIDR ranges of the proxies in front of Keyward
   *     ({@code KEYWARD_TRUSTED_PROXIES}, comma-separated): only from them is
   *     {@code X-Forwarded-For} believed, for decisions, the verification API and the audit log
   */
  public record GatewaySettings(@Nullable URI upstream, Duration upstreamTimeout, long maxBody, List<String> trustedProxies) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    public static final long DEFAULT_MAX_BODY = 64L * 1024 * 1024;
    public static final GatewaySettings NONE = new GatewaySettings(null, DEFAULT_TIMEOUT, DEFAULT_MAX_BODY, List.of());

    public GatewaySettings {
      trustedProxies = List.copyOf(trustedProxies);
      if (upstream != null) {
        checkUpstream(upstream);
      }
      if (upstreamTimeout.isNegative() || upstreamTimeout.isZero()) {
        throw new IllegalArgumentException("The upstream timeout must be positive");
      }
      if (maxBody < 1) {
        throw new IllegalArgumentException("The largest body forwarded upstream must be at least 1 byte");
      }
    }

    /**
     * Reads an upstream base URL.
     *
     * @throws IllegalArgumentException saying what a valid one looks like
     */
    public static URI parseUpstream(String text) {
      URI uri;
      try {
        uri = new URI(text.strip());
      } catch (java.net.URISyntaxException e) {
        throw new IllegalArgumentException(upstreamShape(text));
      }
      checkUpstream(uri);
      return uri;
    }

    private static void checkUpstream(URI uri) {
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.isOpaque()
          || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
        throw new IllegalArgumentException(upstreamShape(uri.toString()));
      }
    }

    private static String upstreamShape(String text) {
      // A URL with a user part may hold a password: it is not repeated.
      String shown = text.contains("@") ? "(value not repeated: it has a user part)" : "'" + text + "'";
      return "The upstream must be an http:// or https:// base URL with a host and no user, query or fragment,"
          + " such as http://127.0.0.1:3000 or https://api.internal/v1, not " + shown;
    }

    public GatewaySettings withUpstream(@Nullable URI newUpstream) {
      return new GatewaySettings(newUpstream, upstreamTimeout, maxBody, trustedProxies);
    }

    public GatewaySettings withTimeout(Duration timeout) {
      return new GatewaySettings(upstream, timeout, maxBody, trustedProxies);
    }

    public GatewaySettings withMaxBody(long bytes) {
      return new GatewaySettings(upstream, upstreamTimeout, bytes, trustedProxies);
    }

    public GatewaySettings withTrustedProxies(List<String> proxies) {
      return new GatewaySettings(upstream, upstreamTimeout, maxBody, proxies);
    }
  }

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
        CREDENTIAL_CACHE_TTL, Duration.ofSeconds(1), PasswordHasher.Argon2Cost.OWASP, TokenSettings.DEFAULTS, LockoutPolicy.DEFAULTS, null,
        GatewaySettings.NONE);
  }

  public KeywardConfig withPort(int newPort) {
    return new KeywardConfig(host, newPort, dataDir, dbUrl, dbUser, dbPassword, dbSchema, adminEmail, adminPassword, masterKey, tenantHostPattern, credentialCacheTtl, lastUsedFlush, argon2, tokens, lockout, routes, gateway);
  }

  public KeywardConfig withHost(String newHost) {
    return new KeywardConfig(newHost, port, dataDir, dbUrl, dbUser, dbPassword, dbSchema, adminEmail, adminPassword, masterKey, tenantHostPattern, credentialCacheTtl, lastUsedFlush, argon2, tokens, lockout, routes, gateway);
  }

  public KeywardConfig withDatabase(@Nullable String url, @Nullable String user, @Nullable String password, @Nullable String schema) {
    return new KeywardConfig(host, port, dataDir, url, user, password, schema, adminEmail, adminPassword, masterKey, tenantHostPattern, credentialCacheTtl, lastUsedFlush, argon2, tokens, lockout, routes, gateway);
  }

  public KeywardConfig withAdmin(String email, @Nullable String password) {
    return new KeywardConfig(host, port, dataDir, dbUrl, dbUser, dbPassword, dbSchema, email, password, masterKey, tenantHostPattern, credentialCacheTtl, lastUsedFlush, argon2, tokens, lockout, routes, gateway);
  }

  public KeywardConfig withMasterKey(@Nullable String key) {
    return new KeywardConfig(host, port, dataDir, dbUrl, dbUser, dbPassword, dbSchema, adminEmail, adminPassword, key, tenantHostPattern, credentialCacheTtl, lastUsedFlush, argon2, tokens, lockout, routes, gateway);
  }

  public KeywardConfig withTenantHostPattern(@Nullable String pattern) {
    return new KeywardConfig(host, port, dataDir, dbUrl, dbUser, dbPassword, dbSchema, adminEmail, adminPassword, masterKey, pattern, credentialCacheTtl, lastUsedFlush, argon2, tokens, lockout, routes, gateway);
  }

  public KeywardConfig withTimings(Duration cacheTtl, Duration flush) {
    return new KeywardConfig(host, port, dataDir, dbUrl, dbUser, dbPassword, dbSchema, adminEmail, adminPassword, masterKey, tenantHostPattern, cacheTtl, flush, argon2, tokens, lockout, routes, gateway);
  }

  public KeywardConfig withArgon2(PasswordHasher.Argon2Cost cost) {
    return new KeywardConfig(host, port, dataDir, dbUrl, dbUser, dbPassword, dbSchema, adminEmail, adminPassword, masterKey, tenantHostPattern, credentialCacheTtl, lastUsedFlush, cost, tokens, lockout, routes, gateway);
  }

  public KeywardConfig withTokens(TokenSettings newTokens) {
    return new KeywardConfig(host, port, dataDir, dbUrl, dbUser, dbPassword, dbSchema, adminEmail, adminPassword, masterKey, tenantHostPattern, credentialCacheTtl, lastUsedFlush, argon2, newTokens, lockout, routes, gateway);
  }

  public KeywardConfig withLockout(LockoutPolicy policy) {
    return new KeywardConfig(host, port, dataDir, dbUrl, dbUser, dbPassword, dbSchema, adminEmail, adminPassword, masterKey, tenantHostPattern, credentialCacheTtl, lastUsedFlush, argon2, tokens, policy, routes, gateway);
  }

  public KeywardConfig withRoutes(@Nullable Path file) {
    return new KeywardConfig(host, port, dataDir, dbUrl, dbUser, dbPassword, dbSchema, adminEmail, adminPassword, masterKey, tenantHostPattern, credentialCacheTtl, lastUsedFlush, argon2, tokens, lockout, file, gateway);
  }

  public KeywardConfig withGateway(GatewaySettings settings) {
    return new KeywardConfig(host, port, dataDir, dbUrl, dbUser, dbPassword, dbSchema, adminEmail, adminPassword, masterKey, tenantHostPattern, credentialCacheTtl, lastUsedFlush, argon2, tokens, lockout, routes, settings);
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
