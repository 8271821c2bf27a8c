package dev.keyward.core.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.keyward.core.secret.Secret;
import dev.keyward.core.secret.SecretGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** FMT-01, FMT-02, BAD-19: the key text, its checksum and what parsing refuses. */
class ApiKeyFormatTest {
  private static final Pattern SHAPE = Pattern.compile("kw_(live|test)_[0-9A-Za-z]{49}");
  private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  /** Same key on every run, so that a failure can be replayed. */
  private static Secret fixedKey(Environment env) {
    try {
      SecureRandom seeded = SecureRandom.getInstance("SHA1PRNG");
      seeded.setSeed(20250115L);
      return ApiKeyFormat.generate(new SecretGenerator(seeded), env);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void generateWhenLiveOrTestThenMatchesScannerRegexAnd57Chars() {
    SecretGenerator generator = new SecretGenerator();
    for (Environment env : Environment.values()) {
      String key = ApiKeyFormat.generate(generator, env).reveal();
      assertThat(key).matches(SHAPE).hasSize(57).hasSize(ApiKeyFormat.LENGTH);
      assertThat(key).startsWith("kw_" + env.keyTag() + "_");
    }
  }

  @Test
  void generateWhen100000KeysThenAllUniqueAllMatchAndAllParse() {
    SecretGenerator generator = new SecretGenerator();
    Set<String> seen = new HashSet<>(200_000);
    for (int i = 0; i < 100_000; i++) {
      Environment env = (i & 1) == 0 ? Environment.PRODUCTION : Environment.SANDBOX;
      Secret key = ApiKeyFormat.generate(generator, env);
      String text = key.reveal();
      // Plain checks in the loop: an assertion object per key would dominate the run time.
      if (!seen.add(text)) {
        fail("duplicate key after %d keys", i);
      }
      if (!SHAPE.matcher(text).matches()) {
        fail("key %d does not match the scanner pattern: %s", i, ApiKeyFormat.start(key));
      }
      if (ApiKeyFormat.parse(text).map(ApiKeyFormat.Parsed::environment).orElse(null) != env) {
        fail("key %d does not parse back to %s", i, env);
      }
    }
    assertThat(seen).hasSize(100_000);
  }

  @Test
  void parseWhenValidThenCarriesEnvironmentAndWholeKeyAsSecret() {
    Secret live = fixedKey(Environment.PRODUCTION);
    Secret test = fixedKey(Environment.SANDBOX);

    ApiKeyFormat.Parsed parsedLive = ApiKeyFormat.parse(live.reveal()).orElseThrow();
    ApiKeyFormat.Parsed parsedTest = ApiKeyFormat.parse(test.reveal()).orElseThrow();

    assertThat(parsedLive.environment()).isEqualTo(Environment.PRODUCTION);
    assertThat(parsedTest.environment()).isEqualTo(Environment.SANDBOX);
    assertThat(parsedLive.secret().matches(live)).isTrue();
    assertThat(parsedLive.toString()).doesNotContain(live.reveal());
  }

  @Test
  void parseWhenAnySingleCharacterSubstitutedThenEmpty() {
    String key = fixedKey(Environment.PRODUCTION).reveal();
    String candidates = BASE62 + "_-+/=. \0é";
    int tried = 0;
    for (int pos = 0; pos < key.length(); pos++) {
      for (char c : candidates.toCharArray()) {
        if (c == key.charAt(pos)) {
          continue;
        }
        String typo = key.substring(0, pos) + c + key.substring(pos + 1);
        assertThat(ApiKeyFormat.parse(typo)).as("'%s' at position %d", c, pos).isEmpty();
        tried++;
      }
    }
    assertThat(tried).isGreaterThan(57 * 60);
  }

  @Test
  void parseWhenTwoAdjacentDifferentCharactersSwappedThenEmpty() {
    for (Environment env : Environment.values()) {
      String key = fixedKey(env).reveal();
      int swapped = 0;
      for (int i = 0; i + 1 < key.length(); i++) {
        if (key.charAt(i) == key.charAt(i + 1)) {
          continue;
        }
        char[] chars = key.toCharArray();
        chars[i] = key.charAt(i + 1);
        chars[i + 1] = key.charAt(i);
        assertThat(ApiKeyFormat.parse(new String(chars))).as("swap at %d", i).isEmpty();
        swapped++;
      }
      assertThat(swapped).isGreaterThan(40);
    }
  }

  @Test
  void parseWhenCaseOfOneLetterFlippedThenEmpty() {
    String key = fixedKey(Environment.SANDBOX).reveal();
    int flipped = 0;
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (!Character.isLetter(c)) {
        continue;
      }
      char other = Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c);
      String typo = key.substring(0, i) + other + key.substring(i + 1);
      assertThat(ApiKeyFormat.parse(typo)).as("case flip at %d", i).isEmpty();
      flipped++;
    }
    assertThat(flipped).isGreaterThan(20);
    assertThat(ApiKeyFormat.parse(key.toUpperCase(Locale.ROOT))).isEmpty();
    assertThat(ApiKeyFormat.parse(key.toLowerCase(Locale.ROOT))).isEmpty();
  }

  @Test
  void parseWhenPrefixIsWrongThenEmpty() {
    String key = fixedKey(Environment.PRODUCTION).reveal();
    String rest = key.substring(8);
    for (String prefix : List.of("KW_LIVE_", "Kw_live_", "kw_LIVE_", "kw_prod_", "kw_tst__", "ab_live_", "kw-live_", "kw_live-")) {
      assertThat(ApiKeyFormat.parse(prefix + rest)).as(prefix).isEmpty();
    }
    // A live key relabelled as a test key (or the reverse) fails its checksum.
    assertThat(ApiKeyFormat.parse("kw_test_" + rest)).isEmpty();
  }

  @Test
  void parseWhenLengthIsWrongThenEmpty() {
    String key = fixedKey(Environment.PRODUCTION).reveal();
    List<String> wrong = new ArrayList<>(List.of("", "kw_", "kw_live_", key.substring(0, 56), key + "0", key + key,
        key.substring(0, 51), " " + key, key + " ", key + "\n", "\uFEFF" + key));
    for (int n = 0; n < key.length(); n++) {
      wrong.add(key.substring(0, n));
    }
    for (String w : wrong) {
      assertThat(ApiKeyFormat.parse(w)).as("length %d", w.length()).isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(chars = {'+', '/', '=', '-', '_', '.', '~', ' '})
  void parseWhenNonBase62CharacterInBodyThenEmpty(char bad) {
    String key = fixedKey(Environment.PRODUCTION).reveal();
    String body = key.substring(8, 51);
    // Recompute a matching checksum, so that only the alphabet check can refuse it.
    String head = "kw_live_" + bad + body.substring(1);
    String forged = head + ApiKeyFormat.checksum(head);
    assertThat(forged).hasSize(ApiKeyFormat.LENGTH);
    assertThat(ApiKeyFormat.parse(forged)).isEmpty();
  }

  @Test
  void parseWhenChecksumIsOfAnotherBodyThenEmpty() {
    String a = fixedKey(Environment.PRODUCTION).reveal();
    String b = ApiKeyFormat.generate(new SecretGenerator(), Environment.PRODUCTION).reveal();
    assertThat(ApiKeyFormat.parse(a.substring(0, 51) + b.substring(51))).isEmpty();
  }

  @Test
  void formatWhenSameBodyThenSameKeyAndChecksumIsSixBase62() {
    String body = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefg";
    Secret one = ApiKeyFormat.format(Environment.PRODUCTION, body);
    Secret two = ApiKeyFormat.format(Environment.PRODUCTION, body);
    assertThat(one.reveal()).isEqualTo(two.reveal()).startsWith("kw_live_" + body);
    assertThat(one.reveal().substring(51)).hasSize(6).matches("[0-9A-Za-z]{6}");
    assertThat(ApiKeyFormat.parse(one.reveal())).isPresent();
  }

  @Test
  void checksumWhenCrcNeedsAllSixDigitsThenStillFits() {
    // 62^6 > 2^32, so even the largest CRC32 fits the fixed width.
    assertThat(Math.pow(62, 6)).isGreaterThan(Math.pow(2, 32));
    assertThat(dev.keyward.core.secret.Base62.encodeUnsigned32(0xffffffffL, 6)).hasSize(6).isNotEqualTo("000000");
    assertThat(dev.keyward.core.secret.Base62.encodeUnsigned32(0, 6)).isEqualTo("000000");
  }

  @Test
  void startWhenKeyThenFirstTwelveCharacters() {
    Secret key = fixedKey(Environment.SANDBOX);
    assertThat(ApiKeyFormat.start(key)).isEqualTo(key.reveal().substring(0, 12)).startsWith("kw_test_").hasSize(ApiKeyFormat.START_LENGTH);
  }

  @Test
  void looksLikeKeyWhenPrefixedThenTrueOtherwiseFalse() {
    assertThat(ApiKeyFormat.looksLikeKey("kw_live_whatever")).isTrue();
    assertThat(ApiKeyFormat.looksLikeKey("admin@example.com")).isFalse();
    assertThat(ApiKeyFormat.looksLikeKey("KW_LIVE_x")).isFalse();
  }
}
