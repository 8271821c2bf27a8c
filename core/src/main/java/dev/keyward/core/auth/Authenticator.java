package dev.keyward.core.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.keyward.core.audit.AuditEvent;
import dev.keyward.core.audit.AuditLog;
import dev.keyward.core.error.ErrorCode;
import dev.keyward.core.error.KeywardException;
import dev.keyward.core.key.ApiKey;
import dev.keyward.core.key.KeyStore;
import dev.keyward.core.principal.Emails;
import dev.keyward.core.principal.UserStore;
import dev.keyward.core.secret.PasswordHasher;
import dev.keyward.core.secret.Secret;
import dev.keyward.core.secret.SecretDigester;
import dev.keyward.core.secret.SecretGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Turns an {@code Authorization} header into a {@link Principal}, or refuses it. Unknown, wrong,
 * expired and revoked credentials all get the same answer. Store lookups are cached for a short
 * time (default one second) so that a hot key costs no store read per request while a revocation,
 * a demotion or a deletion made on any node takes effect within that time; changes made on this
 * node clear the cache at once.
 */
public final class Authenticator implements CredentialChanges {
  /** The one answer for every credential that does not authenticate. */
  public static final String INVALID_MESSAGE = "The credentials are invalid, expired or revoked";
  /**
   * What the decision's doors (gateway, filter) answer to a missing, unknown, wrong, expired or
   * revoked credential alike: telling them apart would tell a caller holding a leaked key whether
   * it ever worked.
   */
  public static final String MISSING_OR_INVALID_MESSAGE = "The credentials are missing, invalid, expired or revoked";

  private final KeyStore keys;
  private final UserStore users;
  private final SecretDigester digester;
  private final PasswordHasher hasher;
  private final LastUsedTracker lastUsed;
  private final AuditLog audit;
  private final SecretGenerator ids;
  private final Clock clock;
  private final Cache<String, Optional<KeyStore.KeyGrant>> keyCache;
  private final Cache<String, UserStore.Login> loginCache;
  private final TokenResolver tokens;
  private final AccountLockout lockout;
  private volatile @Nullable String dummyHash;

  public Authenticator(
      KeyStore keys,
      UserStore users,
      SecretDigester digester,
      PasswordHasher hasher,
      LastUsedTracker lastUsed,
      AuditLog audit,
      SecretGenerator ids,
      Clock clock,
      Duration cacheTtl,
      TokenResolver tokens,
      AccountLockout lockout) {
    this.tokens = tokens;
    this.lockout = lockout;
    this.keys = keys;
    this.users = users;
    this.digester = digester;
    this.hasher = hasher;
    this.lastUsed = lastUsed;
    this.audit = audit;
    this.ids = ids;
    this.clock = clock;
    this.keyCache = Caffeine.newBuilder().expireAfterWrite(cacheTtl).maximumSize(100_000).build();
    this.loginCache = Caffeine.newBuilder().expireAfterWrite(cacheTtl).maximumSize(10_000).build();
  }

  /**
   * Authenticates one request.
   *
   * @param authorization every {@code Authorization} header value of the request
   * @param tenantSlug the tenant the caller asks to act in ({@code X-Keyward-Tenant} or the host
   *     name), or null
   * @param ip the caller's address, for the audit log
   * @param issuer the issuer access and user tokens of this request must name (the configured
   *     one, or the request's base URL)
   */
  public Principal authenticate(List<String> authorization, @Nullable String tenantSlug, @Nullable String ip, String issuer) {
    Credential credential = AuthorizationHeader.parse(authorization);
    return switch (credential) {
      case Credential.ApiKeyCredential k -> byKey(k, tenantSlug, ip);
      case Credential.PasswordCredential p -> byPassword(p, tenantSlug, ip);
      case Credential.AccessTokenCredential t -> tokens.resolve(t.token(), tenantSlug, issuer);
      case Credential.PartnerUser pu ->
          tokens.resolveUser(pu.userToken(), byKey(new Credential.ApiKeyCredential(pu.partnerKey()), tenantSlug, ip), issuer);
      case Credential.Rejected r -> throw invalid();
    };
  }

  /** Authenticates an API key given outside a header (token exchange); refuses like a header would. */
  public Principal byApiKey(String keyText, @Nullable String tenantSlug, @Nullable String ip) {
    return dev.keyward.core.key.ApiKeyFormat.parse(keyText)
        .map(k -> byKey(new Credential.ApiKeyCredential(k), tenantSlug, ip))
        .orElseThrow(Authenticator::invalid);
  }

  /** Authenticates an email and password given outside a header (token endpoint grants). */
  public Principal byPassword(String email, Secret password, @Nullable String tenantSlug, @Nullable String ip) {
    return byPassword(new Credential.PasswordCredential(email, password), tenantSlug, ip);
  }

  /** Whether the account with this email is a programmatic user (false when unknown). */
  public boolean isProgrammatic(String email) {
    return users.findByEmail(Emails.lookupForm(email)).map(u -> u.programmatic()).orElse(false);
  }

  private Principal byKey(Credential.ApiKeyCredential credential, @Nullable String tenantSlug, @Nullable String ip) {
    String digest = digester.digest(credential.key().secret());
    Optional<KeyStore.KeyGrant> found = keyCache.get(digest, keys::findGrant);
    if (found.isEmpty()) {
      throw invalid();
    }
    KeyStore.KeyGrant grant = found.get();
    ApiKey key = grant.key();
    Instant now = clock.instant();
    if (key.isRevoked()) {
      throw invalid(InvalidCredentials.Reason.REVOKED);
    }
    if (key.isExpired(now)) {
      throw invalid(InvalidCredentials.Reason.EXPIRED);
    }
    if (grant.graceUntil() != null && !now.isBefore(grant.graceUntil())) {
      throw invalid(InvalidCredentials.Reason.EXPIRED); // the previous secret of a rolled key, past its grace period
    }
    if (tenantSlug != null && !tenantSlug.equals(grant.tenantSlug())) {
      throw KeywardException.forbidden("This credential belongs to another tenant than the one requested");
    }
    lastUsed.touched(key.tenantId(), key.id(), key.userId(), ip, now);
    Set<String> roles;
    if (key.roles() == null) {
      roles = grant.ownerRoles();
    } else {
      roles = new HashSet<>(key.roles());
      roles.retainAll(grant.ownerRoles());
    }
    return new Principal(
        key.tenantId(), grant.tenantSlug(), key.userId(), grant.email(), roles,
        Principal.CredentialType.API_KEY, key.id(), key.environment(), key.admin());
  }

  private Principal byPassword(Credential.PasswordCredential credential, @Nullable String tenantSlug, @Nullable String ip) {
    String email = Emails.lookupForm(credential.email());
    String cacheKey = digester.digest(Secret.of(email + "\n" + credential.password().reveal()));
    UserStore.Login login = loginCache.getIfPresent(cacheKey);
    if (login != null) {
      // A cached success must not outlive a lock set since (here or on another node): one indexed
      // read. A success also resets failures counted since (KC-08).
      lockout.succeeded(login.user().id(), lockout.requireNotLocked(login.user().id()));
    } else {
      Optional<UserStore.Login> found = users.findLogin(email);
      if (found.isEmpty()) {
        // Spend what a wrong password of a person costs, so timing does not tell which emails exist.
        // Unknown emails are not counted: no lockout record exists for an account that does not.
        hasher.verify(credential.password(), dummyHash());
        throw invalid();
      }
      login = found.get();
      // Checked before the password is compared: while locked, even the right password is refused.
      LoginAttempts seen = lockout.requireNotLocked(login.user().id());
      if (!hasher.verify(credential.password(), login.passwordHash())) {
        recordFailure(login, ip);
        lockout.failed(login, ip);
        throw invalid();
      }
      lockout.succeeded(login.user().id(), seen);
      loginCache.put(cacheKey, login);
    }
    UserStore.TenantRoles membership = pickTenant(login, tenantSlug);
    return new Principal(
        membership.tenantId(), membership.tenantSlug(), login.user().id(), login.user().email(),
        membership.roles(), Principal.CredentialType.PASSWORD, null, null, false);
  }

  private static UserStore.TenantRoles pickTenant(UserStore.Login login, @Nullable String tenantSlug) {
    List<UserStore.TenantRoles> memberships = login.memberships();
    if (tenantSlug != null) {
      return memberships.stream()
          .filter(m -> m.tenantSlug().equals(tenantSlug))
          .findFirst()
          .orElseThrow(() -> KeywardException.forbidden("You are not a member of the requested tenant"));
    }
    if (memberships.size() == 1) {
      return memberships.get(0);
    }
    if (memberships.isEmpty()) {
      throw invalid();
    }
    throw new KeywardException(
        ErrorCode.TENANT_REQUIRED,
        "You belong to several tenants: choose one with the X-Keyward-Tenant header");
  }

  private void recordFailure(UserStore.Login login, @Nullable String ip) {
    Instant now = clock.instant();
    for (UserStore.TenantRoles m : login.memberships()) {
      audit.record(new AuditEvent(
          ids.id("evt"), m.tenantId(), now, AuditEvent.AUTH_FAILED, null, "user",
          login.user().id(), ip, "wrong password"));
    }
  }

  private String dummyHash() {
    String h = dummyHash;
    if (h == null) {
      h = hasher.hashHuman(Secret.of(ids.id("dummy")));
      dummyHash = h;
    }
    return h;
  }

  /** Forgets every cached lookup (called after any change to users or keys on this node). */
  @Override
  public void changed() {
    keyCache.invalidateAll();
    loginCache.invalidateAll();
    tokens.changed();
  }

  static KeywardException invalid() {
    return invalid(InvalidCredentials.Reason.UNKNOWN);
  }

  static KeywardException invalid(InvalidCredentials.Reason reason) {
    return new InvalidCredentials(reason, INVALID_MESSAGE);
  }
}
