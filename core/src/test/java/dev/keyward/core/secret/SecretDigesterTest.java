package dev.keyward.core.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** ASVS-23 (keys): HMAC-SHA-256 keyed by the deployment secret, compared in constant time. */
class SecretDigesterTest {
  private static final byte[] KEY = filled(32, (byte) 7);

  private static byte[] filled(int n, byte b) {
    byte[] out = new byte[n];
    Arrays.fill(out, b);
    return out;
  }

  @Test
  void digestWhenSameSecretTwiceThenSame43CharUrlSafeString() {
    SecretDigester digester = new SecretDigester(KEY);
    Secret key = Secret.of("kw_live_example");

    String first = digester.digest(key);
    String second = new SecretDigester(KEY).digest(Secret.of("kw_live_example"));

    assertThat(first).isEqualTo(second).hasSize(43).matches("[A-Za-z0-9_-]{43}");
  }

  @Test
  void digestWhenKnownVectorThenMatchesHmacSha256() {
    // RFC 4231 test case 2: key "Jefe" is too short for us, so check against the JDK's HMAC directly.
    byte[] key = "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    String expected = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(key, "what do ya want for nothing?"));
    assertThat(new SecretDigester(key).digest(Secret.of("what do ya want for nothing?"))).isEqualTo(expected);
  }

  @Test
  void digestWhenSecretsDifferByOneCharacterThenDigestsDiffer() {
    SecretDigester digester = new SecretDigester(KEY);
    assertThat(digester.digest(Secret.of("kw_live_a"))).isNotEqualTo(digester.digest(Secret.of("kw_live_b")));
  }

  @Test
  void digestWhenHashingKeyDiffersThenDigestDiffers() {
    Secret key = Secret.of("kw_live_example");
    assertThat(new SecretDigester(KEY).digest(key)).isNotEqualTo(new SecretDigester(filled(32, (byte) 8)).digest(key));
  }

  @Test
  void digestWhenSecretGivenThenDigestNeverContainsIt() {
    Secret key = Secret.of("kw_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    assertThat(new SecretDigester(KEY).digest(key)).doesNotContain("AAAAAAAA").doesNotContain(key.reveal());
  }

  @Test
  void verifyWhenDigestMatchesThenTrue() {
    SecretDigester digester = new SecretDigester(KEY);
    Secret key = Secret.of("kw_test_secret");
    assertThat(digester.verify(key, digester.digest(key))).isTrue();
  }

  @Test
  void verifyWhenDigestDiffersOrMalformedThenFalse() {
    SecretDigester digester = new SecretDigester(KEY);
    Secret key = Secret.of("kw_test_secret");
    String good = digester.digest(key);
    String oneOff = (good.charAt(0) == 'A' ? 'B' : 'A') + good.substring(1);

    assertThat(digester.verify(Secret.of("kw_test_secreT"), good)).isFalse();
    assertThat(digester.verify(key, oneOff)).isFalse();
    assertThat(digester.verify(key, good.substring(0, 42))).isFalse();
    assertThat(digester.verify(key, good + "A")).isFalse();
    assertThat(digester.verify(key, "")).isFalse();
    assertThat(digester.verify(key, "é".repeat(43))).isFalse();
  }

  @Test
  void constructorWhenHashingKeyShorterThan32BytesThenRefused() {
    assertThatThrownBy(() -> new SecretDigester(new byte[31])).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void constructorWhenCallerLaterChangesKeyArrayThenDigestUnchanged() {
    byte[] key = KEY.clone();
    SecretDigester digester = new SecretDigester(key);
    String before = digester.digest(Secret.of("x"));
    key[0] ^= 1;
    assertThat(digester.digest(Secret.of("x"))).isEqualTo(before);
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (java.security.GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }
}
