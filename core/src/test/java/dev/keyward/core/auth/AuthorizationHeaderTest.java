package dev.keyward.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.core.error.ErrorCode;
import dev.keyward.core.error.KeywardException;
import dev.keyward.core.key.ApiKeyFormat;
import dev.keyward.core.key.Environment;
import dev.keyward.core.secret.Secret;
import dev.keyward.core.secret.SecretGenerator;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** BAD-01 to BAD-17 and BAD-19: what the Authorization header parser accepts and refuses. */
class AuthorizationHeaderTest {
  private static final Secret KEY = ApiKeyFormat.generate(new SecretGenerator(), Environment.PRODUCTION);

  private static Credential parse(String header) {
    return AuthorizationHeader.parse(List.of(header));
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static void assertCode(ThrowingCallable call, ErrorCode code) {
    assertThatThrownBy(call)
        .isInstanceOf(KeywardException.class)
        .satisfies(e -> assertThat(((KeywardException) e).code()).isEqualTo(code));
  }

  private static void assertKey(Credential credential) {
    assertThat(credential).isInstanceOf(Credential.ApiKeyCredential.class);
    assertThat(((Credential.ApiKeyCredential) credential).key().secret().matches(KEY)).isTrue();
  }

  // ---- BAD-01, BAD-02: nothing usable

  @Test
  void parseWhenNoHeaderThenUnauthenticated() {
    assertCode(() -> AuthorizationHeader.parse(List.of()), ErrorCode.UNAUTHENTICATED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "   ", "\t"})
  void parseWhenHeaderEmptyOrBlankThenUnauthenticated(String header) {
    assertCode(() -> parse(header), ErrorCode.UNAUTHENTICATED);
  }

  @Test
  void parseWhenSchemeWithoutCredentialThenUnauthenticated() {
    assertCode(() -> parse("Bearer"), ErrorCode.UNAUTHENTICATED);
    assertCode(() -> parse("Basic"), ErrorCode.UNAUTHENTICATED);
  }

  @Test
  void parseWhenBearerFollowedOnlyBySpacesThenRefusedAs401() {
    assertThatThrownBy(() -> parse("Bearer "))
        .isInstanceOfSatisfying(KeywardException.class, e -> assertThat(e.code().status()).isEqualTo(401));
    assertThatThrownBy(() -> parse("Bearer    "))
        .isInstanceOfSatisfying(KeywardException.class, e -> assertThat(e.code().status()).isEqualTo(401));
  }

  // ---- BAD-03: case-insensitive scheme, several spaces

  @ParameterizedTest
  @ValueSource(strings = {"Bearer ", "bearer ", "BEARER ", "bEaReR ", "Bearer  ", "Bearer     "})
  void parseWhenBearerSchemeInAnyCaseOrSeveralSpacesThenApiKey(String prefix) {
    assertKey(parse(prefix + KEY.reveal()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Basic ", "basic ", "BASIC ", "Basic   "})
  void parseWhenBasicSchemeInAnyCaseOrSeveralSpacesThenParsed(String prefix) {
    Credential credential = parse(prefix + b64("user@example.com:pw"));
    assertThat(credential).isInstanceOfSatisfying(Credential.PasswordCredential.class, p -> {
      assertThat(p.email()).isEqualTo("user@example.com");
      assertThat(p.password().reveal()).isEqualTo("pw");
    });
  }

  // ---- BAD-04: extra parts

  @ParameterizedTest
  @ValueSource(strings = {"Bearer a b", "Bearer a,b", "Bearer a, b", "Bearer a\tb", "Bearer %s extra", "Bearer %s,", "Bearer %s "})
  void parseWhenBearerHasSeveralPartsThenInvalidRequest(String template) {
    String header = template.replace("%s", KEY.reveal());
    assertCode(() -> parse(header), ErrorCode.INVALID_REQUEST);
  }

  // ---- BAD-05: unknown schemes

  @ParameterizedTest
  @ValueSource(strings = {"Digest x", "Token x", "ApiKey x", "Negotiate x", "Bearer: x", "Bearerx y", "%s"})
  void parseWhenUnknownSchemeThenUnauthenticated(String template) {
    String header = template.replace("%s", KEY.reveal());
    assertCode(() -> parse(header), ErrorCode.UNAUTHENTICATED);
  }

  @Test
  void parseWhenKnownSchemeSeparatedByTabThenUnauthenticated() {
    assertCode(() -> parse("Bearer\t" + KEY.reveal()), ErrorCode.UNAUTHENTICATED);
  }

  // ---- BAD-06: two headers

  @Test
  void parseWhenTwoHeadersThenInvalidRequest() {
    String one = "Bearer " + KEY.reveal();
    assertCode(() -> AuthorizationHeader.parse(List.of(one, one)), ErrorCode.INVALID_REQUEST);
    assertCode(() -> AuthorizationHeader.parse(List.of(one, "Basic " + b64("a@b.c:pw"))), ErrorCode.INVALID_REQUEST);
    assertCode(() -> AuthorizationHeader.parse(List.of("", "")), ErrorCode.INVALID_REQUEST);
  }

  // ---- BAD-08: size

  @Test
  void parseWhenHeaderLongerThanLimitThenInvalidRequest() {
    String tenKb = "Bearer " + "a".repeat(10 * 1024);
    assertCode(() -> parse(tenKb), ErrorCode.INVALID_REQUEST);
    assertCode(() -> parse("Basic " + "QUFB".repeat(4096)), ErrorCode.INVALID_REQUEST);
    assertCode(() -> parse("X".repeat(AuthorizationHeader.MAX_LENGTH + 1)), ErrorCode.INVALID_REQUEST);
  }

  @Test
  void parseWhenHeaderExactlyAtLimitThenParsedNotRefusedForSize() {
    String header = "Bearer " + "a".repeat(AuthorizationHeader.MAX_LENGTH - "Bearer ".length());
    assertThat(header).hasSize(AuthorizationHeader.MAX_LENGTH);
    assertThat(parse(header)).isInstanceOf(Credential.Rejected.class);
  }

  // ---- BAD-09, BAD-19: bad tokens are rejected credentials (401 like an unknown key, no lookup)

  @ParameterizedTest
  @ValueSource(strings = {"not-a-key", "kw_live_short", "KW_LIVE_0123", "kw_prod_abc", "a.b", "x.y.z.w",
      "kw_live_\u0000", "kw_live_caf\u00e9", "kw_live_a\u0007b"})
  void parseWhenBearerTokenIsNotAValidKeyThenRejected(String token) {
    assertThat(parse("Bearer " + token)).isInstanceOf(Credential.Rejected.class);
  }

  @Test
  void parseWhenPartnerAndUserThenBothPartsAndEachBadPartIsNamed() {
    String key = dev.keyward.core.key.ApiKeyFormat.generate(new dev.keyward.core.secret.SecretGenerator(),
        dev.keyward.core.key.Environment.PRODUCTION).reveal();
    assertThat(parse("Bearer " + key + ", User a.b.c")).isInstanceOfSatisfying(Credential.PartnerUser.class,
        pu -> assertThat(pu.userToken()).isEqualTo("a.b.c"));
    assertThat(parse("bearer " + key + ",user a.b.c")).isInstanceOf(Credential.PartnerUser.class);
    assertThatThrownBy(() -> parse("Bearer kw_live_nope, User a.b.c")).hasMessageContaining("partner key");
    assertThatThrownBy(() -> parse("Bearer " + key + ", User")).hasMessageContaining("user token");
    assertThatThrownBy(() -> parse("Bearer " + key + ", User not-a-token")).hasMessageContaining("user token");
    assertCode(() -> parse("Bearer a.b.c, User " + key), ErrorCode.INVALID_CREDENTIALS);
  }

  @Test
  void parseWhenBearerIsShapedLikeAJwtThenHandedToTheTokenResolver() {
    // Shape only: the resolver checks signature and claims (and refuses alg none).
    assertThat(parse("Bearer eyJhbGciOiJub25lIn0.e30.")).isInstanceOf(Credential.AccessTokenCredential.class);
    assertThat(parse("Bearer kw_live_a.b.c")).isInstanceOf(Credential.Rejected.class);
  }

  @Test
  void parseWhenBearerKeyHasBadChecksumOrWrongLengthOrBase64CharsThenRejected() {
    String key = KEY.reveal();
    char last = key.charAt(key.length() - 1);
    String badChecksum = key.substring(0, key.length() - 1) + (last == 'A' ? 'B' : 'A');
    for (String bad : List.of(badChecksum, key.substring(1), key + "A", key.substring(0, 20) + "+" + key.substring(21),
        key.substring(0, 20) + "/" + key.substring(21), key.substring(0, 56) + "=", "KW_LIVE_" + key.substring(8))) {
      assertThat(parse("Bearer " + bad)).as(bad).isInstanceOf(Credential.Rejected.class);
    }
  }

  @Test
  void parseWhenRejectedThenReasonNeverContainsTheInput() {
    String key = KEY.reveal();
    String typo = key.substring(0, 30) + (key.charAt(30) == 'x' ? 'y' : 'x') + key.substring(31);
    Credential.Rejected rejected = (Credential.Rejected) parse("Bearer " + typo);
    assertThat(rejected.internalReason()).doesNotContain(typo).doesNotContain(typo.substring(8, 40));
  }

  // ---- Basic: BAD-10 to BAD-17

  @ParameterizedTest
  @ValueSource(strings = {
      "admin:admin", // BAD-10 not base64
      "dXNlcjpwYXNz=", // BAD-11 bad padding
      "dXNlcjpwYXM", // BAD-11 missing padding
      "dXNlcjpwYX", // BAD-11 truncated
      "dXNlcjpw-_8=", // BAD-12 base64url alphabet
      "dXNl cjpw", // BAD-12 embedded space
      "dXNl\ncjpw", // BAD-12 embedded newline
      "dXNlcg==", // BAD-13 "user", no colon
      "ADo=", // BAD-14 NUL user
      "Og==", // BAD-14 ":"
      "OnB3", // BAD-14 ":pw"
      "dXNlcjo=", // "user:" empty password
      "====",
      ""})
  void parseWhenBasicIsMalformedThenRejected(String value) {
    assertThat(parse("Basic " + value)).isInstanceOf(Credential.Rejected.class);
  }

  @Test
  void parseWhenBasicUserHasControlCharactersThenRejected() {
    assertThat(parse("Basic " + b64("\u0000:pw"))).isInstanceOf(Credential.Rejected.class);
    assertThat(parse("Basic " + b64("a\u0000b@example.com:pw"))).isInstanceOf(Credential.Rejected.class);
    assertThat(parse("Basic " + b64("a@example.com\r\nX-Injected: 1:pw"))).isInstanceOf(Credential.Rejected.class);
  }

  @Test
  void parseWhenBasicIsLatin1NotUtf8ThenRejected() {
    // BAD-17: "jürgen@example.com:pässword" in ISO-8859-1 is not valid UTF-8.
    byte[] latin1 = "j\u00fcrgen@example.com:p\u00e4ssword".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(parse("Basic " + b64(latin1))).isInstanceOf(Credential.Rejected.class);
    byte[] invalid = {'a', '@', 'b', ':', (byte) 0xC3, (byte) 0x28};
    assertThat(parse("Basic " + b64(invalid))).isInstanceOf(Credential.Rejected.class);
  }

  @Test
  void parseWhenBasicIsUtf8ThenNonAsciiKeptExactly() {
    Credential credential = parse("Basic " + b64("j\u00fcrgen@example.com:p\u00e4ssword"));
    assertThat(credential).isInstanceOfSatisfying(Credential.PasswordCredential.class, p -> {
      assertThat(p.email()).isEqualTo("j\u00fcrgen@example.com");
      assertThat(p.password().reveal()).isEqualTo("p\u00e4ssword");
    });
  }

  @Test
  void parseWhenKeyIsBasicUserWithEmptyPasswordThenApiKey() {
    assertKey(parse("Basic " + b64(KEY.reveal() + ":")));
  }

  @Test
  void parseWhenKeyIsBasicUserWithPasswordThenRejected() {
    // BAD-15: documented choice: a password next to a key is refused, not ignored.
    assertThat(parse("Basic " + b64(KEY.reveal() + ":x"))).isInstanceOf(Credential.Rejected.class);
    assertThat(parse("Basic " + b64(KEY.reveal() + ":" + KEY.reveal()))).isInstanceOf(Credential.Rejected.class);
  }

  @Test
  void parseWhenMalformedKeyIsBasicUserThenRejected() {
    String key = KEY.reveal();
    assertThat(parse("Basic " + b64(key.substring(0, 56) + ":"))).isInstanceOf(Credential.Rejected.class);
  }

  @Test
  void parseWhenPasswordContainsColonsThenSplitOnFirstColon() {
    // BAD-16
    Credential credential = parse("Basic " + b64("a@b.c:p:w::"));
    assertThat(credential).isInstanceOfSatisfying(Credential.PasswordCredential.class, p -> {
      assertThat(p.email()).isEqualTo("a@b.c");
      assertThat(p.password().reveal()).isEqualTo("p:w::");
    });
  }

  @Test
  void parseWhenPasswordHasSpacesThenKeptByteExact() {
    Credential credential = parse("Basic " + b64("a@b.c: pw "));
    assertThat(credential).isInstanceOfSatisfying(Credential.PasswordCredential.class,
        p -> assertThat(p.password().reveal()).isEqualTo(" pw "));
  }

  @Test
  void parseWhenPasswordCredentialPrintedThenPasswordRedacted() {
    Credential credential = parse("Basic " + b64("a@b.c:hunter2-secret"));
    assertThat(credential.toString()).doesNotContain("hunter2-secret");
  }
}
