package dev.keyward.core.auth;

import dev.keyward.core.error.ErrorCode;
import dev.keyward.core.error.KeywardException;
import org.jspecify.annotations.Nullable;

/** Turns a bearer access token into a principal, or refuses it like any bad credential. */
@FunctionalInterface
public interface TokenResolver {
  Principal resolve(String token, @Nullable String tenantSlug);

  /** Accepts no token (a server without token support, or a test of other features). */
  TokenResolver NONE = (token, tenantSlug) -> {
    throw new KeywardException(ErrorCode.INVALID_CREDENTIALS, Authenticator.INVALID_MESSAGE);
  };
}
