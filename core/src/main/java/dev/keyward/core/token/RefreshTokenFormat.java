package dev.keyward.core.token;

import dev.keyward.core.secret.Base62;
import dev.keyward.core.secret.Secret;
import dev.keyward.core.secret.SecretGenerator;

/** Refresh tokens: {@code kwr_} and 43 base62 characters (256 bits); opaque, stored as a digest. */
public final class RefreshTokenFormat {
  public static final String PREFIX = "kwr_";
  static final int LENGTH = PREFIX.length() + SecretGenerator.SECRET_LENGTH;

  private RefreshTokenFormat() {}

  public static Secret generate(SecretGenerator generator) {
    return Secret.of(PREFIX + generator.secretBody());
  }

  /** True for text of the right shape (checked before any store look-up). */
  public static boolean isWellFormed(String text) {
    return text.length() == LENGTH && text.startsWith(PREFIX) && Base62.isBase62(text, PREFIX.length(), LENGTH);
  }
}
