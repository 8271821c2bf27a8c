package dev.keyward.core.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** ASVS-24: generated passwords and ids. */
class SecretGeneratorTest {
  private final SecretGenerator generator = new SecretGenerator();

  @Test
  void passwordWhenGeneratedThen43Base62CharsAndUnique() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      String p = generator.password().reveal();
      assertThat(p).hasSize(SecretGenerator.SECRET_LENGTH).matches("[0-9A-Za-z]{43}");
      assertThat(seen.add(p)).isTrue();
    }
    // 43 base62 characters carry at least 256 bits.
    assertThat(43 * Math.log(62) / Math.log(2)).isGreaterThanOrEqualTo(256.0);
  }

  @Test
  void idWhenGeneratedThenPrefixedRandomAndRecognised() {
    String id = generator.id("key");
    assertThat(id).matches("key_[0-9A-Za-z]{22}");
    assertThat(SecretGenerator.looksLikeId(id, "key")).isTrue();
    assertThat(SecretGenerator.looksLikeId(id, "usr")).isFalse();
    assertThat(generator.id("key")).isNotEqualTo(id);
  }

  @Test
  void looksLikeIdWhenMalformedThenFalse() {
    String id = generator.id("usr");
    for (String bad : new String[] {"", "usr", "usr_", id + "x", id.substring(0, id.length() - 1), "usr-" + id.substring(4),
        "usr_" + "+".repeat(22), "../../etc/passwd", "usr_' OR 1=1 --xxxxxxxx"}) {
      assertThat(SecretGenerator.looksLikeId(bad, "usr")).as(bad).isFalse();
    }
  }
}
