package dev.keyward.core.secret;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Password hashing. Human passwords use Argon2id in the PHC string format ({@code $argon2id$…});
 * generated passwords of programmatic users use the keyed digest, prefixed {@code $hmac-sha256$},
 * so that Basic authentication per request stays fast.
 *
 * @see <a href="https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html">OWASP
 *     password storage</a>
 */
public final class PasswordHasher {
  private static final String HMAC_PREFIX = "$hmac-sha256$";
  private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getDecoder();

  /** Argon2id cost parameters: memory in KiB, iterations, parallelism. */
  public record Argon2Cost(int memoryKib, int iterations, int parallelism) {
    /** OWASP's recommendation: m=19 MiB, t=2, p=1. */
    public static final Argon2Cost OWASP = new Argon2Cost(19456, 2, 1);
    /** Cheap parameters for tests only. */
    public static final Argon2Cost TEST = new Argon2Cost(1024, 1, 1);
  }

  private final SecretDigester digester;
  private final SecureRandom random;
  private final Argon2Cost cost;

  public PasswordHasher(SecretDigester digester, SecureRandom random, Argon2Cost cost) {
    this.digester = digester;
    this.random = random;
    this.cost = cost;
  }

  /** Argon2id hash of a password chosen by a person. */
  public String hashHuman(Secret password) {
    byte[] salt = new byte[16];
    random.nextBytes(salt);
    byte[] hash = argon2(password, salt, cost.memoryKib(), cost.iterations(), cost.parallelism());
    return "$argon2id$v=19$m=" + cost.memoryKib() + ",t=" + cost.iterations() + ",p="
        + cost.parallelism() + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
  }

  /** Keyed digest of a generated password (256 bits of entropy). */
  public String hashGenerated(Secret password) {
    return HMAC_PREFIX + digester.digest(password);
  }

  /** Constant-time verification against either stored form; false for anything unparseable. */
  public boolean verify(Secret password, String stored) {
    if (stored.startsWith(HMAC_PREFIX)) {
      return digester.verify(password, stored.substring(HMAC_PREFIX.length()));
    }
    if (stored.startsWith("$argon2id$")) {
      return verifyArgon2(password, stored);
    }
    return false;
  }

  /** True when the stored hash is the slow kind (worth caching a successful check). */
  public static boolean isSlow(String stored) {
    return stored.startsWith("$argon2id$");
  }

  @SuppressWarnings("StringSplitter") // a fixed PHC layout; every part count is checked
  private static boolean verifyArgon2(Secret password, String stored) {
    // $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>
    String[] parts = stored.split("\\$");
    if (parts.length != 6) {
      return false;
    }
    try {
      int m = 0;
      int t = 0;
      int p = 0;
      for (String kv : parts[3].split(",")) {
        String[] pair = kv.split("=", 2);
        int v = Integer.parseInt(pair[1]);
        switch (pair[0]) {
          case "m" -> m = v;
          case "t" -> t = v;
          case "p" -> p = v;
          default -> {
            return false;
          }
        }
      }
      byte[] salt = B64D.decode(parts[4]);
      byte[] expected = B64D.decode(parts[5]);
      byte[] actual = argon2(password, salt, m, t, p, expected.length);
      return MessageDigest.isEqual(expected, actual);
    } catch (IllegalArgumentException | IllegalStateException | IndexOutOfBoundsException e) {
      // Malformed stored form: a parameter without '=' (index), or one Bouncy Castle refuses
      // (state, e.g. a hash shorter than 4 bytes). Unparseable means "does not verify".
      return false;
    }
  }

  private static byte[] argon2(Secret password, byte[] salt, int m, int t, int p) {
    return argon2(password, salt, m, t, p, 32);
  }

  private static byte[] argon2(Secret password, byte[] salt, int m, int t, int p, int length) {
    Argon2Parameters params =
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withSalt(salt)
            .withMemoryAsKB(m)
            .withIterations(t)
            .withParallelism(p)
            .build();
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(params);
    byte[] out = new byte[length];
    generator.generateBytes(password.reveal().getBytes(StandardCharsets.UTF_8), out);
    return out;
  }
}
