package dev.keyward.core.key;

import dev.keyward.core.secret.Base62;
import dev.keyward.core.secret.Secret;
import dev.keyward.core.secret.SecretGenerator;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The key text: {@code kw_<live|test>_<43 base62 secret><6 base62 CRC32>}, 57 characters. The
 * checksum covers everything before it, so typos and garbage are rejected without a store lookup,
 * and the fixed prefix lets secret scanners recognise a leaked key.
 *
 * @see <a href="https://github.blog/2021-04-05-behind-githubs-new-authentication-token-formats/">token
 *     formats with checksums</a>
 */
public final class ApiKeyFormat {
  public static final String PREFIX = "kw_";
  static final int CHECKSUM_LENGTH = 6;
  /** Characters of a key shown in lists to recognise it: {@code kw_live_} plus four. */
  public static final int START_LENGTH = 12;
  public static final int LENGTH = PREFIX.length() + 5 + SecretGenerator.SECRET_LENGTH + CHECKSUM_LENGTH;

  private ApiKeyFormat() {}

  /** A parsed key whose format and checksum are valid; not yet known to exist. */
  public record Parsed(Environment environment, Secret secret) {}

  /** Builds the full key text from a secret body. */
  public static Secret format(Environment environment, String secretBody) {
    String head = PREFIX + environment.keyTag() + "_" + secretBody;
    return Secret.of(head + checksum(head));
  }

  /** A new random key. */
  public static Secret generate(SecretGenerator generator, Environment environment) {
    return format(environment, generator.secretBody());
  }

  /** True when the text starts like a Keyward key (used to route Basic user names). */
  public static boolean looksLikeKey(String text) {
    return text.startsWith(PREFIX);
  }

  /** Parses a key, checking length, alphabet and checksum; empty for anything else. */
  public static Optional<Parsed> parse(String text) {
    if (text.length() != LENGTH || !text.startsWith(PREFIX) || text.charAt(7) != '_') {
      return Optional.empty();
    }
    Environment env;
    if (text.regionMatches(3, "live", 0, 4)) {
      env = Environment.PRODUCTION;
    } else if (text.regionMatches(3, "test", 0, 4)) {
      env = Environment.SANDBOX;
    } else {
      return Optional.empty();
    }
    if (!Base62.isBase62(text, 8, LENGTH)) {
      return Optional.empty();
    }
    String head = text.substring(0, LENGTH - CHECKSUM_LENGTH);
    if (!checksum(head).equals(text.substring(LENGTH - CHECKSUM_LENGTH))) {
      return Optional.empty();
    }
    return Optional.of(new Parsed(env, Secret.of(text)));
  }

  /** The recognisable start of a key, safe to store and show. */
  public static String start(Secret key) {
    return key.reveal().substring(0, START_LENGTH);
  }

  static String checksum(String head) {
    CRC32 crc = new CRC32();
    crc.update(head.getBytes(StandardCharsets.US_ASCII));
    return Base62.encodeUnsigned32(crc.getValue(), CHECKSUM_LENGTH);
  }
}
