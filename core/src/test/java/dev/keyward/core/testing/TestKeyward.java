package dev.keyward.core.testing;

import dev.keyward.core.audit.Auditor;
import dev.keyward.core.auth.AccountLockout;
import dev.keyward.core.auth.Actor;
import dev.keyward.core.auth.Authenticator;
import dev.keyward.core.auth.LastUsedTracker;
import dev.keyward.core.auth.LockoutPolicy;
import dev.keyward.core.auth.CredentialChanges;
import dev.keyward.core.auth.Principal;
import dev.keyward.core.authz.DecisionEngine;
import dev.keyward.core.authz.LocalRateLimiter;
import dev.keyward.core.authz.RolePermissions;
import dev.keyward.core.authz.RoleSeeds;
import dev.keyward.core.authz.RoleService;
import dev.keyward.core.authz.RouteTable;
import dev.keyward.core.key.KeyService;
import dev.keyward.core.principal.UserService;
import dev.keyward.core.secret.PasswordHasher;
import dev.keyward.core.secret.Secret;
import dev.keyward.core.secret.SecretDigester;
import dev.keyward.core.secret.SecretGenerator;
import dev.keyward.core.tenant.TenantService;
import dev.keyward.core.token.AccessTokenResolver;
import dev.keyward.core.token.AccessTokens;
import dev.keyward.core.token.RevocationList;
import dev.keyward.core.token.Revoker;
import dev.keyward.core.token.Sealer;
import dev.keyward.core.token.SigningKeys;
import dev.keyward.core.token.TokenAlgorithm;
import dev.keyward.core.token.UserTokens;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The core services wired over in-memory stores, a {@link MutableClock} and cheap Argon2
 * parameters. {@link #start()} also bootstraps the {@code default} tenant with a human owner
 * ({@link #OWNER_EMAIL}, {@link #OWNER_PASSWORD}).
 *
 * <p>The authentication cache lives for an hour (Caffeine's own ticker, not the test clock), so
 * a test sees a change only when the services call {@link Authenticator#changed()}, exactly the
 * promise "changes made on this node clear the cache at once". Decision engines built by {@link
 * #decisions} cache the same way and are told of the same changes; {@link #changed()} tells them
 * all, as a change made on another node would once the caches expire.
 *
 * <p>Access tokens and user tokens ({@code Bearer <partner key>, User <user token>}) are real:
 * EdDSA-signed under {@link #ISSUER} by an in-memory signing key ring.
 */
public final class TestKeyward {
  public static final String OWNER_EMAIL = "owner@example.com";
  public static final Secret OWNER_PASSWORD = Secret.of("owner-password-0123");
  public static final Instant START = Instant.parse("2025-01-15T09:00:00Z");
  public static final String IP = "192.0.2.10";
  /** The issuer every request of these tests expects tokens from. */
  public static final String ISSUER = "https://keyward.test";

  private final MutableClock clock = new MutableClock(START);
  private final InMemoryTenantStore tenants = new InMemoryTenantStore();
  private final InMemoryUserStore users = new InMemoryUserStore(tenants);
  private final InMemoryRoleStore roles = new InMemoryRoleStore();
  private final InMemoryKeyStore keys = new InMemoryKeyStore(tenants, users);
  private final InMemoryAuditLog audit = new InMemoryAuditLog();
  private final InlineTransactor tx = new InlineTransactor();
  private final List<String> touchedKeys = new CopyOnWriteArrayList<>();
  private final SecretGenerator generator = new SecretGenerator(new SecureRandom());
  private final SecretDigester digester = new SecretDigester(hashingKey());
  private final PasswordHasher hasher = new PasswordHasher(digester, generator.random(), PasswordHasher.Argon2Cost.TEST);
  private final InMemoryLoginAttemptStore loginAttempts = new InMemoryLoginAttemptStore();
  private final AccountLockout lockout;
  /** Everything that caches credentials or rights; every service change tells them all, as the server does. */
  private final List<CredentialChanges> listeners = new CopyOnWriteArrayList<>();
  private final CredentialChanges changes = () -> listeners.forEach(CredentialChanges::changed);
  private final SigningKeys signingKeys;
  private final AccessTokens accessTokens;
  private final UserTokens userTokens;
  private final Authenticator authenticator;
  private final RoleService roleService;
  private final KeyService keyService;
  private final UserService userService;
  private final TenantService tenantService;
  private TenantService.@Nullable Bootstrap bootstrap;

  private TestKeyward(LockoutPolicy policy) {
    LastUsedTracker tracker = (tenantId, keyId, at) -> touchedKeys.add(keyId);
    Auditor auditor = new Auditor(audit, generator, clock);
    lockout = new AccountLockout(loginAttempts, users, auditor, clock, policy);
    signingKeys = new SigningKeys(new InMemorySigningKeyStore(), new Sealer(hashingKey(), generator.random()), tx, generator,
        TokenAlgorithm.EDDSA, Duration.ofHours(2), clock);
    signingKeys.load();
    accessTokens = new AccessTokens(signingKeys, ISSUER, Duration.ofHours(1), Duration.ofSeconds(30), clock, generator);
    userTokens = new UserTokens(signingKeys, ISSUER, Duration.ofHours(1), Duration.ofSeconds(30), clock, generator);
    // The list is never polled here: it stays fresh for as long as any test moves the clock.
    RevocationList revocations = new RevocationList(clock, Duration.ofDays(3650));
    authenticator = new Authenticator(keys, users, digester, hasher, tracker, audit, generator, clock, Duration.ofHours(1),
        new AccessTokenResolver(accessTokens, userTokens, revocations, users, Duration.ofHours(1)), lockout);
    listeners.add(authenticator);
    Revoker revoker = Revoker.inMemoryOnly(revocations);
    keyService = new KeyService(keys, users, roles, auditor, tx, generator, digester, clock, changes, revoker,
        tenants, new RolePermissions(roles, Duration.ofMillis(800)));
    userService = new UserService(users, roles, keys, keyService, auditor, tx, generator, hasher, clock, changes, revoker);
    tenantService = new TenantService(tenants, users, roles, userService, keyService, auditor, tx, generator, clock, changes,
        new RoleSeeds(roles, tenants));
    roleService = new RoleService(roles, users, keys, auditor, tx, changes);
  }

  /** A deployment with the {@code default} tenant and its owner. */
  public static TestKeyward start() {
    return start(LockoutPolicy.DEFAULTS);
  }

  /** A deployment with the {@code default} tenant and its owner, locking accounts by {@code policy}. */
  public static TestKeyward start(LockoutPolicy policy) {
    TestKeyward k = new TestKeyward(policy);
    k.bootstrap = k.tenantService.bootstrap(OWNER_EMAIL, OWNER_PASSWORD).orElseThrow();
    return k;
  }

  /** An empty deployment: nothing bootstrapped yet. */
  public static TestKeyward empty() {
    return new TestKeyward(LockoutPolicy.DEFAULTS);
  }

  private static byte[] hashingKey() {
    byte[] key = new byte[32];
    for (int i = 0; i < key.length; i++) {
      key[i] = (byte) (i * 7 + 1);
    }
    return key;
  }

  // ---- headers

  public static List<String> bearer(Secret key) {
    return List.of("Bearer " + key.reveal());
  }

  public static List<String> basic(String user, String password) {
    return List.of("Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
  }

  // ---- authentication

  public Principal authenticate(Secret key) {
    return authenticate(key, null);
  }

  public Principal authenticate(Secret key, @Nullable String tenantSlug) {
    return authenticator.authenticate(bearer(key), tenantSlug, IP, ISSUER);
  }

  public Principal login(String email, Secret password) {
    return login(email, password, null);
  }

  public Principal login(String email, Secret password, @Nullable String tenantSlug) {
    return authenticator.authenticate(basic(email, password.reveal()), tenantSlug, IP, ISSUER);
  }

  public static Actor actor(Principal principal) {
    return new Actor(principal, IP);
  }

  /** The bootstrap owner signed in with their password in {@code default}. */
  public Actor owner() {
    return actor(login(OWNER_EMAIL, OWNER_PASSWORD, "default"));
  }

  /** A user signed in with the generated password they were given. */
  public Actor signedIn(UserService.CreatedUser user) {
    return actor(login(user.member().user().email(), password(user)));
  }

  /** A user signed in with their generated password, acting in the tenant with this slug. */
  public Actor signedInTo(UserService.CreatedUser user, String tenantSlug) {
    return actor(login(user.member().user().email(), password(user), tenantSlug));
  }

  /** A user acting with a key. */
  public Actor withKey(Secret key) {
    return actor(authenticate(key));
  }

  /** A programmatic user created in {@code default} by its owner. */
  public UserService.CreatedUser createUser(String email, String... roleNames) {
    return userService.create(owner(), new UserService.CreateUser(email, "Test " + email, true, Set.of(roleNames), null));
  }

  private static Secret password(UserService.CreatedUser user) {
    Secret p = user.password();
    if (p == null) {
      throw new IllegalStateException("not a programmatic user: no generated password");
    }
    return p;
  }

  // ---- parts

  public TenantService.Bootstrap bootstrap() {
    if (bootstrap == null) {
      throw new IllegalStateException("not bootstrapped: use TestKeyward.start()");
    }
    return bootstrap;
  }

  public String defaultTenantId() {
    return bootstrap().tenant().id();
  }

  public MutableClock clock() {
    return clock;
  }

  public InMemoryTenantStore tenants() {
    return tenants;
  }

  public InMemoryUserStore users() {
    return users;
  }

  public InMemoryRoleStore roles() {
    return roles;
  }

  public InMemoryKeyStore keys() {
    return keys;
  }

  public InMemoryAuditLog audit() {
    return audit;
  }

  public InlineTransactor tx() {
    return tx;
  }

  /** Key ids passed to the last-used tracker, in order. */
  public List<String> touchedKeys() {
    return List.copyOf(touchedKeys);
  }

  public SecretGenerator generator() {
    return generator;
  }

  public SecretDigester digester() {
    return digester;
  }

  public PasswordHasher hasher() {
    return hasher;
  }

  public AccountLockout lockout() {
    return lockout;
  }

  public InMemoryLoginAttemptStore loginAttempts() {
    return loginAttempts;
  }

  public Authenticator authenticator() {
    return authenticator;
  }

  public AccessTokens accessTokens() {
    return accessTokens;
  }

  public UserTokens userTokens() {
    return userTokens;
  }

  public RoleService roleService() {
    return roleService;
  }

  /**
   * The decision function over these stores, deciding paths with {@code routes} (read on every
   * decision, so a test may swap the table), counting rate limits on the test clock. Its caches
   * live for an hour: it sees a change when the services make one, or after {@link #changed()}.
   */
  public DecisionEngine decisions(Supplier<RouteTable> routes) {
    DecisionEngine engine = new DecisionEngine(authenticator, routes, new RolePermissions(roles, Duration.ofHours(1)), keys,
        tenants, new LocalRateLimiter(clock, LocalRateLimiter.DEFAULT_MAX_KEYS), Duration.ofHours(1));
    listeners.add(engine);
    return engine;
  }

  /** {@link #decisions(Supplier)} with a fixed table. */
  public DecisionEngine decisions(RouteTable routes) {
    return decisions(() -> routes);
  }

  /**
   * Drops every cached credential and right, as a node does when its caches expire after a change
   * made elsewhere (directly in the stores, here).
   */
  public void changed() {
    changes.changed();
  }

  public KeyService keyService() {
    return keyService;
  }

  /** Sign-up over this deployment's stores, counting attempts per address under {@code limit} on this clock. */
  public dev.keyward.core.principal.SignUpService signUpService(dev.keyward.core.authz.RateLimit limit) {
    return new dev.keyward.core.principal.SignUpService(tenants, users, userService, keyService, new Auditor(audit, generator, clock), tx,
        clock, new dev.keyward.core.authz.LocalRateLimiter(clock, 1000), limit);
  }

  public UserService userService() {
    return userService;
  }

  public TenantService tenantService() {
    return tenantService;
  }
}
