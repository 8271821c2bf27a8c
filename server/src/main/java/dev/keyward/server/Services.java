package dev.keyward.server;

import dev.keyward.core.audit.Auditor;
import dev.keyward.core.auth.AccountLockout;
import dev.keyward.core.auth.Authenticator;
import dev.keyward.core.auth.CredentialChanges;
import dev.keyward.core.authz.DecisionEngine;
import dev.keyward.core.authz.LocalRateLimiter;
import dev.keyward.core.authz.RolePermissions;
import dev.keyward.core.authz.RoleSeeds;
import dev.keyward.core.authz.RoleService;
import dev.keyward.server.routes.RouteTables;
import dev.keyward.core.key.KeyService;
import dev.keyward.core.principal.UserService;
import dev.keyward.core.secret.PasswordHasher;
import dev.keyward.core.secret.SecretDigester;
import dev.keyward.core.secret.SecretGenerator;
import dev.keyward.core.tenant.TenantService;
import dev.keyward.store.Database;
import dev.keyward.store.LastUsedRecorder;
import dev.keyward.core.token.AccessTokenResolver;
import dev.keyward.core.token.AccessTokens;
import dev.keyward.core.token.RevocationList;
import dev.keyward.core.token.Revoker;
import dev.keyward.core.token.Sealer;
import dev.keyward.core.token.SigningKeyRotation;
import dev.keyward.core.token.SigningKeys;
import dev.keyward.core.token.TokenService;
import dev.keyward.core.token.UserTokens;
import dev.keyward.store.RevocationPoller;
import dev.keyward.store.jdbc.JdbcRevocationLog;
import java.time.Clock;
import java.time.Duration;

/**
 * The wiring: core services over the store, built once per server. Nothing here is static, so a
 * test can start several servers side by side.
 */
public final class Services implements AutoCloseable {
  private final Database database;
  private final Authenticator authenticator;
  private final AccountLockout lockout;
  private final KeyService keys;
  private final RoleService roles;
  private final Auditor auditor;
  private final RolePermissions rolePermissions;
  private final RoleSeeds roleSeeds;
  private final RouteTables routes;
  private final DecisionEngine decisions;
  /**
   * How often each node re-reads the route table that another node may have replaced: half the
   * one-second bound, so that a replacement is in use everywhere within it (one poll interval
   * plus the read), whatever the phase of the poll.
   */
  static final Duration ROUTES_POLL = Duration.ofMillis(500);
  private final UserService users;
  private final TenantService tenants;
  private final LastUsedRecorder lastUsed;
  private final Clock clock;
  private final SigningKeys signingKeys;
  private final AccessTokens accessTokens;
  private final RevocationList revocations;
  private final RevocationPoller poller;
  private final TokenService tokens;
  private final SigningKeyRotation signingKeyRotation;
  private final dev.keyward.core.session.SessionService sessions;
  private final dev.keyward.core.principal.SignUpService signUps;
  /** How often each node reads revocations made elsewhere; a list older than a second fails closed. */
  static final Duration REVOCATION_POLL = Duration.ofMillis(250);
  static final Duration REVOCATION_STALENESS = Duration.ofSeconds(1);

  public Services(KeywardConfig config, Database database, Clock baseClock) {
    this.database = database;
    // Stored times have millisecond precision; answers must show the same instant the store keeps.
    Clock clock = Clock.tick(baseClock, java.time.Duration.ofMillis(1));
    this.clock = clock;
    SecretGenerator generator = new SecretGenerator();
    MasterKey master = MasterKey.load(config.masterKey(), config.dataDir());
    SecretDigester digester = new SecretDigester(master.derive("secret-digest/v1"));
    PasswordHasher hasher = new PasswordHasher(digester, generator.random(), config.argon2());
    Auditor auditor = new Auditor(database.audit(), generator, clock);
    this.auditor = auditor;
    this.lastUsed = new LastUsedRecorder(database.keys(), auditor, config.lastUsedFlush());
    KeywardConfig.TokenSettings t = config.tokens();
    Duration horizon = t.accessTtl().plus(t.skew());
    this.revocations = new RevocationList(clock, REVOCATION_STALENESS);
    JdbcRevocationLog revocationLog = new JdbcRevocationLog(database.jdbc(), generator, clock);
    Revoker revoker = new Revoker(revocationLog, revocations, database.refreshTokens(), horizon);
    this.signingKeys = new SigningKeys(database.signingKeys(), new Sealer(master.derive("signing-key-seal/v1"), generator.random()),
        database.jdbc(), generator, t.algorithm(), horizon, clock);
    signingKeys.load();
    this.accessTokens = new AccessTokens(signingKeys, config.effectiveIssuer(), t.accessTtl(), t.skew(), clock, generator);
    UserTokens userTokens = new UserTokens(signingKeys, config.effectiveIssuer(), t.accessTtl(), t.skew(), clock, generator);
    this.lockout = new AccountLockout(database.loginAttempts(), database.users(), auditor, clock, config.lockout());
    this.authenticator = new Authenticator(database.keys(), database.users(), digester, hasher, lastUsed,
        database.audit(), generator, clock, config.credentialCacheTtl(),
        new AccessTokenResolver(accessTokens, userTokens, revocations, database.users(), config.credentialCacheTtl()), lockout);
    this.rolePermissions = new RolePermissions(database.roles(), config.credentialCacheTtl());
    this.roleSeeds = new RoleSeeds(database.roles(), database.tenants());
    this.routes = RouteTables.start(database.routes(), config.routes(), roleSeeds::replace, clock, ROUTES_POLL);
    this.decisions = new DecisionEngine(authenticator, routes, rolePermissions, database.keys(), database.tenants(),
        new LocalRateLimiter(clock, LocalRateLimiter.DEFAULT_MAX_KEYS), config.credentialCacheTtl());
    // Every change made on this node drops what authentication and decisions cached.
    CredentialChanges changes = () -> {
      authenticator.changed();
      decisions.changed();
    };
    this.keys = new KeyService(database.keys(), database.users(), database.roles(), auditor, database.jdbc(),
        generator, digester, clock, changes, revoker, database.tenants(), rolePermissions);
    this.roles = new RoleService(database.roles(), database.users(), database.keys(), auditor, database.jdbc(), changes);
    this.users = new UserService(database.users(), database.roles(), database.keys(), keys, auditor, database.jdbc(),
        generator, hasher, clock, changes, revoker);
    this.tokens = new TokenService(authenticator, accessTokens, database.refreshTokens(), database.keys(), database.users(),
        revoker, auditor, database.jdbc(), generator, digester, clock, t.refreshTtl(), t.familyTtl(), t.reuseLeeway(), t.raceWindow(), userTokens,
        database.tenants());
    this.signingKeyRotation = new SigningKeyRotation(signingKeys, database.tenants(), auditor);
    this.poller = new RevocationPoller(revocationLog, revocations, clock, REVOCATION_POLL, horizon);
    this.sessions = new dev.keyward.core.session.SessionService(database.sessions(), authenticator, digester, generator, auditor,
        clock, dev.keyward.core.session.SessionPolicy.DEFAULTS);
    // Sign-ups are counted per caller address in this node's memory, apart from the keys' limits.
    this.signUps = new dev.keyward.core.principal.SignUpService(database.tenants(), database.users(), users, keys, auditor,
        database.jdbc(), clock, new LocalRateLimiter(clock, 100_000), dev.keyward.core.principal.SignUpService.DEFAULT_LIMIT);
    this.tenants = new TenantService(database.tenants(), database.users(), database.roles(), users, keys, auditor,
        database.jdbc(), generator, clock, changes, roleSeeds);
  }

  public SigningKeys signingKeys() {
    return signingKeys;
  }

  public AccessTokens accessTokens() {
    return accessTokens;
  }

  public RevocationList revocations() {
    return revocations;
  }

  public SigningKeyRotation signingKeyRotation() {
    return signingKeyRotation;
  }

  public TokenService tokens() {
    return tokens;
  }

  public Database database() {
    return database;
  }

  public AccountLockout lockout() {
    return lockout;
  }

  public Authenticator authenticator() {
    return authenticator;
  }

  public Auditor auditor() {
    return auditor;
  }

  public RolePermissions rolePermissions() {
    return rolePermissions;
  }

  public RouteTables routes() {
    return routes;
  }

  public DecisionEngine decisions() {
    return decisions;
  }

  public RoleService roles() {
    return roles;
  }

  public KeyService keys() {
    return keys;
  }

  public UserService users() {
    return users;
  }

  public dev.keyward.core.session.SessionService sessions() {
    return sessions;
  }

  public dev.keyward.core.principal.SignUpService signUps() {
    return signUps;
  }

  public TenantService tenants() {
    return tenants;
  }

  public LastUsedRecorder lastUsed() {
    return lastUsed;
  }

  public Clock clock() {
    return clock;
  }

  @Override
  public void close() {
    poller.close();
    routes.close();
    lastUsed.close();
  }
}
