package dev.keyward.core.secret;

import java.security.SecureRandom;

/** Generates secrets and identifiers from one injected secure random source. */
public final class SecretGenerator {
  /** 43 base62 characters carry 256 bits of entropy (43 × log2 62 ≈ 256.03). */
  public static final int SECRET_LENGTH = 43;

  private final SecureRandom random;

  public SecretGenerator(SecureRandom random) {
    this.random = random;
  }

  public SecretGenerator() {
    this(new SecureRandom());
  }

  /** 256 bits of base62 randomness. */
  public String secretBody() {
    return Base62.random(random, SECRET_LENGTH);
  }

  /** A generated password for a programmatic user or an admin reset: 256 bits, base62. */
  public Secret password() {
    return Secret.of(Base62.random(random, SECRET_LENGTH));
  }

  /** A random identifier: {@code <prefix>_<22 base62>} (about 131 bits, no sequence to guess). */
  public String id(String prefix) {
    return prefix + "_" + Base62.random(random, 22);
  }

  public SecureRandom random() {
    return random;
  }

  /** True when {@code id} has the shape of an id with this prefix. */
  public static boolean looksLikeId(String id, String prefix) {
    return id.length() == prefix.length() + 23
        && id.startsWith(prefix)
        && id.charAt(prefix.length()) == '_'
        && Base62.isBase62(id, prefix.length() + 1, id.length());
  }
}
