package dev.keyward.core.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** ASVS-24: generated secrets are uniform over the base62 alphabet. */
class Base62Test {
  /**
   * Chi-square with 61 degrees of freedom exceeds 152 with probability about 1e-9: generous enough
   * never to flake, tight enough to catch a modulo bias (which scores in the thousands here).
   */
  private static final double CHI_SQUARE_LIMIT = 152.0;

  private static final int SAMPLE = 62 * 10_000;

  @Test
  void randomWhenSixHundredThousandCharactersThenChiSquareUniform() {
    String sample = Base62.random(new SecureRandom(), SAMPLE);

    assertThat(sample).hasSize(SAMPLE);
    assertThat(Base62.isBase62(sample, 0, sample.length())).isTrue();
    assertThat(chiSquare(sample)).isLessThan(CHI_SQUARE_LIMIT);
  }

  @Test
  void chiSquareWhenGeneratorHasModuloBiasThenFarAboveLimit() {
    // What Base62.random would produce without its rejection step: (byte % 62) favours 0-7.
    SecureRandom random = new SecureRandom();
    byte[] bytes = new byte[SAMPLE];
    random.nextBytes(bytes);
    char[] biased = new char[SAMPLE];
    for (int i = 0; i < SAMPLE; i++) {
      biased[i] = Base62.ALPHABET[(bytes[i] & 0xff) % 62];
    }
    assertThat(chiSquare(new String(biased))).isGreaterThan(10 * CHI_SQUARE_LIMIT);
  }

  @Test
  void randomWhenEveryPositionThenEverySymbolAppears() {
    String sample = Base62.random(new SecureRandom(), 62 * 200);
    for (char c : Base62.ALPHABET) {
      assertThat(sample.indexOf(c)).as("symbol %s", c).isNotNegative();
    }
  }

  @Test
  void isBase62WhenOutsideAlphabetThenFalse() {
    assertThat(Base62.isBase62("azAZ09", 0, 6)).isTrue();
    for (String bad : new String[] {"+", "/", "=", "-", "_", " ", "é", "\0", "\u0430"}) {
      assertThat(Base62.isBase62("ab" + bad + "cd", 0, 5)).as(bad).isFalse();
    }
    assertThat(Base62.isBase62("++ab", 2, 4)).isTrue();
  }

  @Test
  void encodeUnsigned32WhenValuesThenFixedWidthBase62() {
    assertThat(Base62.encodeUnsigned32(0, 6)).isEqualTo("000000");
    assertThat(Base62.encodeUnsigned32(61, 6)).isEqualTo("00000z");
    assertThat(Base62.encodeUnsigned32(62, 6)).isEqualTo("000010");
    // Only the low 32 bits count.
    assertThat(Base62.encodeUnsigned32(0x1_0000_0001L, 6)).isEqualTo("000001");
  }

  private static double chiSquare(String sample) {
    long[] counts = new long[128];
    for (int i = 0; i < sample.length(); i++) {
      counts[sample.charAt(i)]++;
    }
    double expected = sample.length() / 62.0;
    double chi = 0;
    for (char c : Base62.ALPHABET) {
      double d = counts[c] - expected;
      chi += d * d / expected;
    }
    return chi;
  }
}
