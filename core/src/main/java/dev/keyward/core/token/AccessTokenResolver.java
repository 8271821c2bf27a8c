package dev.keyward.core.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.keyward.core.auth.Authenticator;
import dev.keyward.core.auth.InvalidCredentials;
import dev.keyward.core.auth.Principal;
import dev.keyward.core.auth.TokenResolver;
import dev.keyward.core.error.ErrorCode;
import dev.keyward.core.error.KeywardException;
import dev.keyward.core.principal.Member;
import dev.keyward.core.principal.UserStore;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Accepts access tokens on every protected endpoint: checked locally (signature and claims,
 * cached), then against this node's revocation list. When that list may be stale (the store has
 * not answered for longer than allowed), tokens are refused with 503: fail closed. Also accepts a
 * partner key with a user token, reading the user's current roles through a short-lived cache.
 */
public final class AccessTokenResolver implements TokenResolver {
  private final AccessTokens tokens;
  private final UserTokens userTokens;
  private final RevocationList revocations;
  private final UserStore users;
  private final Cache<String, Optional<Member>> members;

  public AccessTokenResolver(AccessTokens tokens, UserTokens userTokens, RevocationList revocations, UserStore users, Duration cacheTtl) {
    this.tokens = tokens;
    this.userTokens = userTokens;
    this.revocations = revocations;
    this.users = users;
    this.members = Caffeine.newBuilder().expireAfterWrite(cacheTtl).maximumSize(100_000).build();
  }

  @Override
  public Principal resolve(String token, @Nullable String tenantSlug, String issuer) {
    TokenClaims c = tokens.verify(token, issuer).orElseThrow(AccessTokenResolver::invalid);
    requireFresh();
    if (revocations.isRevoked(c)) {
      throw new InvalidCredentials(InvalidCredentials.Reason.REVOKED, Authenticator.INVALID_MESSAGE);
    }
    if (tenantSlug != null && !tenantSlug.equals(c.tenantSlug())) {
      throw KeywardException.forbidden("This credential belongs to another tenant than the one requested");
    }
    return new Principal(c.tenantId(), c.tenantSlug(), c.userId(), c.email(), c.scope(),
        Principal.CredentialType.ACCESS_TOKEN, c.keyId(), c.environment(), c.adminKey());
  }

  @Override
  public Principal resolveUser(String userToken, Principal partner, String issuer) {
    UserTokens.Claims c = userTokens.verify(userToken, issuer).orElseThrow(AccessTokenResolver::invalidUser);
    if (!c.partnerKeyId().equals(partner.keyId()) || !c.tenantId().equals(partner.tenantId())) {
      throw invalidUser(); // issued to another partner application
    }
    requireFresh();
    TokenClaims asClaims = new TokenClaims(c.jti(), c.userId(), "", c.tenantId(), partner.tenantSlug(), Set.of(), "",
        partner.keyId(), null, false, null, c.issuedAt(), c.expiresAt());
    if (revocations.isRevoked(asClaims)) {
      throw new InvalidCredentials(InvalidCredentials.Reason.REVOKED,
          "The user token in 'Bearer <partner key>, User <user token>' is invalid or expired");
    }
    Member member = members.get(c.tenantId() + "/" + c.userId(), k -> users.findMember(c.tenantId(), c.userId()))
        .orElseThrow(AccessTokenResolver::invalidUser);
    Set<String> roles = new LinkedHashSet<>(member.roles());
    roles.retainAll(partner.roles());
    return new Principal(partner.tenantId(), partner.tenantSlug(), c.userId(), member.user().email(), roles,
        Principal.CredentialType.PARTNER_USER, partner.keyId(), partner.environment(), false);
  }

  @Override
  public void changed() {
    members.invalidateAll();
  }

  private void requireFresh() {
    if (!revocations.isFresh()) {
      throw KeywardException.unavailable("revocation list stale", null);
    }
  }

  private static KeywardException invalid() {
    return new InvalidCredentials(InvalidCredentials.Reason.UNKNOWN, Authenticator.INVALID_MESSAGE);
  }

  private static KeywardException invalidUser() {
    return new InvalidCredentials(InvalidCredentials.Reason.UNKNOWN,
        "The user token in 'Bearer <partner key>, User <user token>' is invalid or expired");
  }
}
