package dev.keyward.core.auth;

import dev.keyward.core.error.ErrorCode;
import dev.keyward.core.error.KeywardException;
import org.jspecify.annotations.Nullable;

/**
 * Turns a bearer access token into a principal, or refuses it like any bad credential. The
 * {@code issuer} is the one this request expects tokens from: the configured issuer, or the
 * request's own base URL when none is configured.
 */
@FunctionalInterface
public interface TokenResolver {
  Principal resolve(String token, @Nullable String tenantSlug, String issuer);

  /**
   * A user acting through a partner application: the user token must have been issued for this
   * partner key; the rights are the intersection of the partner's and the user's.
   */
  default Principal resolveUser(String userToken, Principal partner, String issuer) {
    throw new KeywardException(ErrorCode.INVALID_CREDENTIALS,
        "The user token in 'Bearer <partner key>, User <user token>' is invalid or expired");
  }

  /** Drops anything cached about users (called after a change on this node). */
  default void changed() {}

  /** Accepts no token (a server without token support, or a test of other features). */
  TokenResolver NONE = (token, tenantSlug, issuer) -> {
    throw new KeywardException(ErrorCode.INVALID_CREDENTIALS, Authenticator.INVALID_MESSAGE);
  };
}
