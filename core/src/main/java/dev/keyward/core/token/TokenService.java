package dev.keyward.core.token;

import dev.keyward.core.Transactor;
import dev.keyward.core.audit.AuditEvent;
import dev.keyward.core.audit.Auditor;
import dev.keyward.core.auth.Actor;
import dev.keyward.core.auth.Authenticator;
import dev.keyward.core.auth.Principal;
import dev.keyward.core.error.ErrorCode;
import dev.keyward.core.error.KeywardException;
import dev.keyward.core.key.ApiKeyFormat;
import dev.keyward.core.key.KeyStore;
import dev.keyward.core.principal.UserStore;
import dev.keyward.core.secret.Secret;
import dev.keyward.core.secret.SecretDigester;
import dev.keyward.core.secret.SecretGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The grants: an API key or a programmatic user's password exchanged for tokens, and refresh
 * tokens rotated. Refresh tokens are single use; presenting a spent one revokes its whole family
 * (RFC 9700 §4.14). Of N simultaneous refreshes of one token exactly one wins; what happens to the
 * family is a choice (SECURITY-TESTS RT-02):
 * <ul>
 *   <li>race window {@code > 0} (default 2 s): a spent token presented again within that time of
 *       its use is taken for a concurrent retry and only refused; the winner's new tokens stay
 *       good. A client that fires parallel refreshes keeps its login;
 *   <li>race window {@code 0} (strict): every loser counts as reuse and revokes the family,
 *       winner's tokens included (the plain reading of RFC 9700 §4.14.2). A stolen
 *       token raced against its owner can never yield a live login, at the price of logging out
 *       clients that refresh in parallel.
 * </ul>
 * Separately, an optional reuse leeway gives a spent token presented again within that time a new
 * pair (for clients that retry after a lost answer).
 *
 * <p>Every method that issues or checks access tokens takes the {@code issuer} of the request: the
 * configured one, or the request's base URL when none is configured.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749">RFC 6749</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9700#section-4.14">RFC 9700 §4.14</a>
 */
public final class TokenService {
  /** By default, a spent refresh token presented again within this time of its use is a concurrent retry, not a theft. */
  public static final Duration DEFAULT_RACE_WINDOW = Duration.ofSeconds(2);

  private final Authenticator authenticator;
  private final AccessTokens access;
  private final RefreshTokenStore refreshTokens;
  private final KeyStore keys;
  private final UserStore users;
  private final Revoker revoker;
  private final Auditor auditor;
  private final Transactor tx;
  private final SecretGenerator generator;
  private final SecretDigester digester;
  private final Clock clock;
  private final Duration refreshLifetime;
  private final Duration familyLifetime;
  private final UserTokens userTokens;
  private final Duration reuseLeeway;
  private final Duration raceWindow;
  private final dev.keyward.core.tenant.TenantStore tenants;

  /** A user token for a partner application, and how long it lasts. */
  public record UserToken(String token, Duration lifetime) {}

  /**
   * {@code POST /api/v1/auth}: a user of the partner key's tenant signs in through the partner
   * application; the token is bound to that key and only works together with it.
   */
  public UserToken userToken(Principal partner, String login, Secret password, @Nullable String ip, String issuer) {
    if (partner.credential() != Principal.CredentialType.API_KEY || partner.keyId() == null) {
      throw KeywardException.forbidden("Sign users in with the partner application's API key as the Bearer credential");
    }
    Principal user;
    try {
      user = authenticator.byPassword(login, password, partner.tenantSlug(), ip);
    } catch (KeywardException e) {
      if (e.code() == ErrorCode.INVALID_CREDENTIALS || e.code() == ErrorCode.FORBIDDEN) {
        // Not a member of the partner's tenant is answered like a wrong password: no oracle.
        throw new KeywardException(ErrorCode.INVALID_CREDENTIALS, "The login or password is wrong", "password", null, null);
      }
      throw e;
    }
    return new UserToken(userTokens.issue(user.userId(), partner.tenantId(), partner.keyId(), issuer), userTokens.lifetime());
  }

  public TokenService(Authenticator authenticator, AccessTokens access, RefreshTokenStore refreshTokens, KeyStore keys,
      UserStore users, Revoker revoker, Auditor auditor, Transactor tx, SecretGenerator generator, SecretDigester digester,
      Clock clock, Duration refreshLifetime, Duration familyLifetime, Duration reuseLeeway, Duration raceWindow,
      UserTokens userTokens, dev.keyward.core.tenant.TenantStore tenants) {
    if (raceWindow.isNegative() || reuseLeeway.isNegative()) {
      throw new IllegalArgumentException("The refresh race window and reuse leeway must not be negative");
    }
    this.tenants = tenants;
    this.reuseLeeway = reuseLeeway;
    this.raceWindow = raceWindow;
    this.userTokens = userTokens;
    this.authenticator = authenticator;
    this.access = access;
    this.refreshTokens = refreshTokens;
    this.keys = keys;
    this.users = users;
    this.revoker = revoker;
    this.auditor = auditor;
    this.tx = tx;
    this.generator = generator;
    this.digester = digester;
    this.clock = clock;
    this.refreshLifetime = refreshLifetime;
    this.familyLifetime = familyLifetime;
  }

  /** An answer of the token endpoints. {@code refreshToken} null for client credentials. */
  public record TokenPair(AccessTokens.Issued access, @Nullable Secret refreshToken, Set<String> scope) {}

  /** {@code POST /auth/api-key}: a key for an access token and a refresh token. */
  public TokenPair exchangeKey(String keyText, @Nullable String scope, @Nullable String ip, String issuer) {
    Principal p = asGrant(() -> authenticator.byApiKey(keyText, null, ip), OAuthException.Code.INVALID_GRANT, false);
    return issue(p, narrow(p.roles(), scope), p.keyId() == null ? p.userId() : p.keyId(), true, issuer);
  }

  /**
   * {@code client_credentials}: the client is an API key (the secret is the key; a client id, if
   * sent, must be the key's id) or a programmatic user (client id = its email or id, secret = its
   * password). No refresh token (RFC 6749 §4.4.3).
   */
  public TokenPair clientCredentials(@Nullable String clientId, String secret, @Nullable String scope,
      boolean basic, @Nullable String ip, String issuer) {
    Principal p;
    if (ApiKeyFormat.looksLikeKey(secret)) {
      p = asGrant(() -> authenticator.byApiKey(secret, null, ip), OAuthException.Code.INVALID_CLIENT, basic);
      if (clientId != null && !clientId.equals(p.keyId())) {
        throw new OAuthException(OAuthException.Code.INVALID_CLIENT, "Client authentication failed", basic);
      }
    } else {
      if (clientId == null) {
        throw new OAuthException(OAuthException.Code.INVALID_CLIENT, "Client authentication failed", basic);
      }
      String email = clientId.startsWith("usr_")
          ? users.findById(clientId).map(u -> u.email()).orElse(clientId)
          : clientId;
      p = asGrant(() -> authenticator.byPassword(email, Secret.of(secret), null, ip), OAuthException.Code.INVALID_CLIENT, basic);
      if (!authenticator.isProgrammatic(email)) {
        throw new OAuthException(OAuthException.Code.UNAUTHORIZED_CLIENT,
            "Only programmatic users and API keys use client_credentials; people sign in instead");
      }
    }
    return issue(p, narrow(p.roles(), scope), p.keyId() == null ? p.userId() : p.keyId(), false, issuer);
  }

  /** {@code password}: programmatic users only until a tenant enables it for people (RFC 9700 §2.4). */
  public TokenPair password(String username, Secret password, @Nullable String scope, @Nullable String tenantSlug,
      @Nullable String ip, String issuer) {
    Principal p = asGrant(() -> authenticator.byPassword(username, password, tenantSlug, ip), OAuthException.Code.INVALID_GRANT, false);
    if (!authenticator.isProgrammatic(username) && !tenants.passwordGrantForPeople(p.tenantId())) {
      throw new OAuthException(OAuthException.Code.UNAUTHORIZED_CLIENT,
          "The password grant is not enabled for people in this tenant");
    }
    return issue(p, narrow(p.roles(), scope), p.userId(), true, issuer);
  }

  /** {@code refresh_token} and {@code POST /auth/refresh}: rotates the refresh token. */
  public TokenPair refresh(String refreshText, @Nullable String scope, String issuer) {
    if (!RefreshTokenFormat.isWellFormed(refreshText)) {
      throw badRefresh();
    }
    String digest = digester.digest(Secret.of(refreshText));
    Instant now = clock.instant();
    RefreshTokenStore.StoredRefresh old = refreshTokens.findByDigest(digest).orElseThrow(TokenService::badRefresh);
    if (old.revokedAt() != null) {
      throw badRefresh();
    }
    Instant usedAt = old.usedAt();
    if (!old.expiresAt().isAfter(now) || !old.familyExpiresAt().isAfter(now)) {
      if (usedAt != null) {
        reused(old, usedAt, now); // an expired but tracked token presented again is still a reuse
      }
      throw badRefresh();
    }
    if (usedAt != null) {
      if (!reuseLeeway.isZero() && Duration.between(usedAt, now).compareTo(reuseLeeway) <= 0) {
        // Within the configured leeway: a client retrying after a lost answer gets a new pair.
        Successor next = successor(old, scope, now);
        refreshTokens.insert(next.token());
        return next.pair(access, issuer);
      }
      reused(old, usedAt, now);
      throw badRefresh();
    }
    // Checked before the token is spent: a wider scope, a revoked key or a lost membership leaves it unused.
    Successor next = successor(old, scope, now);
    // One durable write (shared with concurrent ones by the store): spent, and its successor stored, or neither.
    if (!refreshTokens.rotate(old.id(), now, next.token())) {
      // Lost a race with a concurrent refresh of the same token, which spent it just now.
      reused(old, now, clock.instant());
      throw badRefresh();
    }
    return next.pair(access, issuer);
  }

  /**
   * A rotation before it is stored: the next refresh token of the family, and the grant of the
   * access token that goes with it (signed once the rotation is won).
   */
  private record Successor(RefreshTokenStore.StoredRefresh token, Secret secret, AccessTokens.Grant grant, Set<String> scope) {
    TokenPair pair(AccessTokens access, String issuer) {
      return new TokenPair(access.issue(grant, issuer), secret, scope);
    }
  }

  private Successor successor(RefreshTokenStore.StoredRefresh old, @Nullable String scope, Instant now) {
    Set<String> narrowed = scope == null ? old.scope() : narrow(old.scope(), scope);
    Principal p = currentPrincipal(old);
    Set<String> scopeNow = new LinkedHashSet<>(narrowed);
    scopeNow.retainAll(p.roles());
    Secret secret = RefreshTokenFormat.generate(generator);
    // RFC 6749 §6: the new refresh token has the scope of the one presented, however narrow this access token.
    RefreshTokenStore.StoredRefresh token = refreshRow(secret, p, old.scope(), old.clientId(), old.familyId(),
        old.familyCreatedAt(), old.familyExpiresAt(), now);
    return new Successor(token, secret, grant(p, scopeNow, old.clientId(), old.familyId()), scopeNow);
  }

  /**
   * A spent refresh token presented again ({@code usedAt}: when it was spent). Within the race
   * window it is taken for a concurrent retry: refused, family kept. Otherwise (always, with a
   * zero window) the family is revoked: every refresh and access token of that login.
   */
  private void reused(RefreshTokenStore.StoredRefresh token, Instant usedAt, Instant now) {
    if (!raceWindow.isZero() && Duration.between(usedAt, now).compareTo(raceWindow) <= 0) {
      return;
    }
    tx.run(() -> {
      revoker.revoke(new Revocation(Revocation.Kind.FAMILY, token.familyId(), now));
      auditor.record(token.tenantId(), AuditEvent.REFRESH_REUSED, null, "user", token.userId(), "family revoked");
    });
  }

  /** The principal a refresh token stands for now: its key and membership must still be good. */
  private Principal currentPrincipal(RefreshTokenStore.StoredRefresh t) {
    Instant now = clock.instant();
    var member = users.findMember(t.tenantId(), t.userId()).orElseThrow(TokenService::badRefresh);
    Set<String> roles = new LinkedHashSet<>(member.roles());
    String tenantSlug = authenticatorTenantSlug(t);
    if (t.keyId() != null) {
      var key = keys.find(t.tenantId(), t.keyId()).orElseThrow(TokenService::badRefresh);
      if (key.isRevoked() || key.isExpired(now)) {
        throw badRefresh();
      }
      if (key.roles() != null) {
        roles.retainAll(key.roles());
      }
    }
    return new Principal(t.tenantId(), tenantSlug, t.userId(), member.user().email(), roles,
        Principal.CredentialType.ACCESS_TOKEN, t.keyId(), t.environment(), t.adminKey());
  }

  private String authenticatorTenantSlug(RefreshTokenStore.StoredRefresh t) {
    return users.findLogin(users.findById(t.userId()).map(u -> u.email()).orElseThrow(TokenService::badRefresh))
        .flatMap(l -> l.memberships().stream().filter(m -> m.tenantId().equals(t.tenantId())).findFirst())
        .map(UserStore.TenantRoles::tenantSlug)
        .orElseThrow(TokenService::badRefresh);
  }

  /**
   * {@code POST /oauth/revoke} (RFC 7009): revokes a refresh token's family or one access token of
   * the caller's tenant, issued to the caller (admins: to anyone of the tenant). Unknown, foreign
   * (another tenant, or an access token of another issuer), other users' and malformed tokens are
   * not an error (no oracle) and stay as they are.
   */
  public void revoke(Actor caller, String token, String issuer) {
    Instant now = clock.instant();
    if (RefreshTokenFormat.isWellFormed(token)) {
      refreshTokens.findByDigest(digester.digest(Secret.of(token)))
          .filter(t -> t.tenantId().equals(caller.tenantId()) && mayRevoke(caller, t.userId()))
          .ifPresent(t -> tx.run(() -> revoker.revoke(new Revocation(Revocation.Kind.FAMILY, t.familyId(), now))));
      return;
    }
    access.verify(token, issuer)
        .filter(c -> c.tenantId().equals(caller.tenantId()) && mayRevoke(caller, c.userId()))
        .ifPresent(c -> tx.run(() -> revoker.revoke(new Revocation(Revocation.Kind.TOKEN, c.jti(), now))));
  }

  /** RFC 7009 §2.1: a token is revoked by the one it was issued to, or by an admin of its tenant. */
  private static boolean mayRevoke(Actor caller, String userId) {
    return caller.principal().isAdmin() || caller.principal().userId().equals(userId);
  }

  /**
   * {@code POST /oauth/introspect} (RFC 7662): the claims of an active token of the caller's
   * tenant, issued under {@code issuer}; empty (inactive) for anything else.
   */
  public Optional<TokenClaims> introspect(Actor caller, String token, RevocationList revocations, String issuer) {
    if (!caller.principal().isAdmin()) {
      throw KeywardException.forbidden("Introspection needs an admin credential of the token's tenant");
    }
    return access.verify(token, issuer)
        .filter(c -> c.tenantId().equals(caller.tenantId()))
        .filter(c -> !revocations.isRevoked(c));
  }

  private TokenPair issue(Principal p, Set<String> scope, String clientId, boolean withRefresh, String issuer) {
    Instant now = clock.instant();
    String familyId = withRefresh ? generator.id("fam") : null;
    AccessTokens.Issued issued = access.issue(grant(p, scope, clientId, familyId), issuer);
    // One insert, outside any transaction: the store may group it with concurrent ones in one commit.
    Secret refresh = familyId == null ? null
        : newRefresh(p, scope, clientId, familyId, now, now.plus(familyLifetime), now);
    return new TokenPair(issued, refresh, scope);
  }

  private AccessTokens.Grant grant(Principal p, Set<String> scope, String clientId, @Nullable String familyId) {
    return new AccessTokens.Grant(p.userId(), p.email(), p.tenantId(), p.tenantSlug(), scope, clientId, p.keyId(),
        p.environment(), p.isAdmin(), familyId);
  }

  private Secret newRefresh(Principal p, Set<String> scope, String clientId, String familyId, Instant familyCreatedAt,
      Instant familyExpiresAt, Instant now) {
    Secret secret = RefreshTokenFormat.generate(generator);
    refreshTokens.insert(refreshRow(secret, p, scope, clientId, familyId, familyCreatedAt, familyExpiresAt, now));
    return secret;
  }

  /** The stored form of a new refresh token (its digest, never the secret). */
  private RefreshTokenStore.StoredRefresh refreshRow(Secret secret, Principal p, Set<String> scope, String clientId,
      String familyId, Instant familyCreatedAt, Instant familyExpiresAt, Instant now) {
    Instant expires = now.plus(refreshLifetime);
    if (expires.isAfter(familyExpiresAt)) {
      expires = familyExpiresAt; // rotation never extends a login past its absolute lifetime
    }
    return new RefreshTokenStore.StoredRefresh(generator.id("rt"), digester.digest(secret), familyId,
        p.tenantId(), p.userId(), p.keyId(), clientId, scope, p.environment(), p.isAdmin(), now, expires,
        familyCreatedAt, familyExpiresAt, null, null);
  }

  /** A requested scope (space-separated role names) may only narrow what the credential has. */
  static Set<String> narrow(Set<String> granted, @Nullable String requested) {
    if (requested == null) {
      return granted;
    }
    Set<String> wanted = new LinkedHashSet<>();
    for (String s : Arrays.asList(requested.strip().split(" +", -1))) {
      if (!s.isEmpty()) {
        wanted.add(s);
      }
    }
    if (!granted.containsAll(wanted)) {
      throw new OAuthException(OAuthException.Code.INVALID_SCOPE, "The requested scope exceeds what the credential has");
    }
    return wanted;
  }

  /** The token endpoint's answer to a password login of a locked account (RFC 6749 §5.2 has no better code). */
  public static final String ACCOUNT_LOCKED = "The account is locked";

  private interface Attempt {
    Principal run();
  }

  private static Principal asGrant(Attempt attempt, OAuthException.Code onBadCredential, boolean basic) {
    try {
      return attempt.run();
    } catch (KeywardException e) {
      if (e.code() == ErrorCode.ACCOUNT_LOCKED) {
        throw new OAuthException(OAuthException.Code.INVALID_GRANT, ACCOUNT_LOCKED);
      }
      if (e.code() == ErrorCode.INVALID_CREDENTIALS || e.code() == ErrorCode.FORBIDDEN || e.code() == ErrorCode.TENANT_REQUIRED) {
        throw new OAuthException(onBadCredential,
            onBadCredential == OAuthException.Code.INVALID_CLIENT ? "Client authentication failed" : "The credentials are invalid, expired or revoked",
            basic);
      }
      throw e;
    }
  }

  private static OAuthException badRefresh() {
    return new OAuthException(OAuthException.Code.INVALID_GRANT, "The refresh token is invalid, expired or revoked");
  }
}
