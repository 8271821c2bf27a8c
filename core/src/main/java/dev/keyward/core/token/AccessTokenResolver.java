package dev.keyward.core.token;

import dev.keyward.core.auth.Principal;
import dev.keyward.core.auth.TokenResolver;
import dev.keyward.core.error.ErrorCode;
import dev.keyward.core.error.KeywardException;
import dev.keyward.core.auth.Authenticator;
import org.jspecify.annotations.Nullable;

/**
 * Accepts access tokens on every protected endpoint: checked locally (signature and claims,
 * cached), then against this node's revocation list. When that list may be stale (the store has
 * not answered for longer than allowed), tokens are refused with 503: fail closed.
 */
public final class AccessTokenResolver implements TokenResolver {
  private final AccessTokens tokens;
  private final RevocationList revocations;

  public AccessTokenResolver(AccessTokens tokens, RevocationList revocations) {
    this.tokens = tokens;
    this.revocations = revocations;
  }

  @Override
  public Principal resolve(String token, @Nullable String tenantSlug) {
    TokenClaims c = tokens.verify(token).orElseThrow(AccessTokenResolver::invalid);
    if (!revocations.isFresh()) {
      throw KeywardException.unavailable("revocation list stale", null);
    }
    if (revocations.isRevoked(c)) {
      throw invalid();
    }
    if (tenantSlug != null && !tenantSlug.equals(c.tenantSlug())) {
      throw KeywardException.forbidden("This credential belongs to another tenant than the one requested");
    }
    return new Principal(c.tenantId(), c.tenantSlug(), c.userId(), c.email(), c.scope(),
        Principal.CredentialType.ACCESS_TOKEN, c.keyId(), c.environment(), c.adminKey());
  }

  private static KeywardException invalid() {
    return new KeywardException(ErrorCode.INVALID_CREDENTIALS, Authenticator.INVALID_MESSAGE);
  }
}
