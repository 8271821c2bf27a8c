package dev.keyward.core.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ASVS-23 (passwords), BAD-22: Argon2id for people, keyed digest for generated passwords. */
class PasswordHasherTest {
  private static final SecretDigester DIGESTER = new SecretDigester(new byte[32]);
  private final PasswordHasher hasher = new PasswordHasher(DIGESTER, new SecureRandom(), PasswordHasher.Argon2Cost.TEST);

  @Test
  void hashHumanWhenPasswordThenPhcArgon2idStringThatVerifies() {
    Secret password = Secret.of("correct horse battery staple");

    String stored = hasher.hashHuman(password);

    assertThat(stored).matches("\\$argon2id\\$v=19\\$m=1024,t=1,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
    assertThat(stored).doesNotContain(password.reveal());
    assertThat(hasher.verify(password, stored)).isTrue();
    assertThat(PasswordHasher.isSlow(stored)).isTrue();
  }

  @Test
  void hashHumanWhenSamePasswordTwiceThenDifferentSaltsBothVerify() {
    Secret password = Secret.of("same password");
    String a = hasher.hashHuman(password);
    String b = hasher.hashHuman(password);
    assertThat(a).isNotEqualTo(b);
    assertThat(hasher.verify(password, a)).isTrue();
    assertThat(hasher.verify(password, b)).isTrue();
  }

  @Test
  void hashHumanWhenOwaspCostThenParametersRecordedInHash() {
    assertThat(PasswordHasher.Argon2Cost.OWASP.memoryKib()).isGreaterThanOrEqualTo(19456);
    assertThat(PasswordHasher.Argon2Cost.OWASP.iterations()).isGreaterThanOrEqualTo(2);
    // A hash made with other parameters is verified with the parameters it records.
    PasswordHasher other = new PasswordHasher(DIGESTER, new SecureRandom(), new PasswordHasher.Argon2Cost(2048, 2, 2));
    String stored = other.hashHuman(Secret.of("pw-pw-pw-pw"));
    assertThat(stored).startsWith("$argon2id$v=19$m=2048,t=2,p=2$");
    assertThat(hasher.verify(Secret.of("pw-pw-pw-pw"), stored)).isTrue();
  }

  @Test
  void verifyWhenWrongPasswordThenFalse() {
    String stored = hasher.hashHuman(Secret.of("correct horse"));
    assertThat(hasher.verify(Secret.of("correct horsE"), stored)).isFalse();
    assertThat(hasher.verify(Secret.of("correct horse "), stored)).isFalse();
    assertThat(hasher.verify(Secret.of(""), stored)).isFalse();
  }

  @Test
  void verifyWhenPasswordIsNfdButEnrolledNfcThenFalse() {
    // BAD-22: passwords are compared byte-exact; only the enrolled form works.
    String nfc = "p\u00e4sswort-1";
    String nfd = "pa\u0308sswort-1";
    String stored = hasher.hashHuman(Secret.of(nfc));
    assertThat(hasher.verify(Secret.of(nfc), stored)).isTrue();
    assertThat(hasher.verify(Secret.of(nfd), stored)).isFalse();
  }

  @Test
  void verifyWhenHashTamperedThenFalse() {
    Secret password = Secret.of("tamper-proof");
    String stored = hasher.hashHuman(password);
    String[] parts = stored.split("\\$");
    byte[] hash = Base64.getDecoder().decode(parts[5]);
    hash[0] ^= 1;
    String tampered = String.join("$", parts[0], parts[1], parts[2], parts[3], parts[4],
        Base64.getEncoder().withoutPadding().encodeToString(hash));
    assertThat(hasher.verify(password, tampered)).isFalse();
    assertThat(hasher.verify(password, stored.replace("t=1", "t=2"))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "plaintext",
      "$2a$10$abcdefghijklmnopqrstuv",
      "$argon2i$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
      "$argon2id$",
      "$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ",
      "$argon2id$v=19$m=1024,t=1,p=1$$aGFzaGhhc2hoYXNo",
      "$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo$extra",
      "$argon2id$v=19$m=abc,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
      "$argon2id$v=19$m=1024,t=1,x=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
      "$argon2id$v=19$m$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
      "$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aA",
      "$argon2id$v=19$m=1024,t=1,p=1$not*base64$aGFzaGhhc2hoYXNo",
      "$argon2id$v=19$m=0,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
      "$argon2id$v=19$m=1024,t=0,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
      "$argon2id$v=19$m=1024,t=1,p=0$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
      "$argon2id$v=19$m=-1,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo",
      "$hmac-sha256$",
      "$hmac-sha256$not-a-digest"})
  void verifyWhenStoredHashIsGarbageThenFalseNotException(String stored) {
    assertThat(hasher.verify(Secret.of("password-123"), stored)).isFalse();
  }

  @Test
  void hashGeneratedWhenGeneratedPasswordThenHmacPrefixAndFastVerify() {
    Secret password = new SecretGenerator().password();

    String stored = hasher.hashGenerated(password);

    assertThat(stored).startsWith("$hmac-sha256$").hasSize("$hmac-sha256$".length() + 43).doesNotContain(password.reveal());
    assertThat(PasswordHasher.isSlow(stored)).isFalse();
    assertThat(hasher.verify(password, stored)).isTrue();
    assertThat(hasher.verify(Secret.of(password.reveal() + "x"), stored)).isFalse();
  }

  @Test
  void verifyWhenGeneratedHashMadeWithAnotherDeploymentKeyThenFalse() {
    Secret password = new SecretGenerator().password();
    String stored = new PasswordHasher(new SecretDigester(new byte[] {
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32}),
        new SecureRandom(), PasswordHasher.Argon2Cost.TEST).hashGenerated(password);
    assertThat(hasher.verify(password, stored)).isFalse();
  }
}
