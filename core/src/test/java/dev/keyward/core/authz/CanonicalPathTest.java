package dev.keyward.core.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.core.error.ErrorCode;
import dev.keyward.core.error.KeywardException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** BAD-43 (ASVS 8.2.1): a path is decided on in one canonical form, or refused; never guessed. */
class CanonicalPathTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "/                        | /",
      "/admin                   | /admin",
      "/v1/algo/acme/resize     | /v1/algo/acme/resize",
      "/admin?x=1               | /admin",
      "/admin?next=/a/../b//c   | /admin",
      "/%61dmin                 | /admin",
      "/%7Euser/a%2Db%2e%5F     | /~user/a-b._",
      "/a%3ab                   | /a%3Ab",
      "/a%25b                   | /a%25b",
      "/a%3Bb                   | /a%3Bb",
      "/!$&'()*+,=:@            | /!$&'()*+,=:@",
      "/admin.json              | /admin.json",
      "/ADMIN                   | /ADMIN",
      "/a..b/.c/c.              | /a..b/.c/c.",
  })
  void parseWhenCanonicalOrEquivalentThenCanonicalForm(String raw, String canonical) {
    CanonicalPath p = CanonicalPath.parse(raw);
    assertThat(p.value()).isEqualTo(canonical);
    assertThat(CanonicalPath.parse(p.value()).value()).as("idempotent").isEqualTo(canonical);
  }

  @Test
  void parseWhenEncodedSpaceThenHexUppercasedOnly() {
    // '%20' is kept encoded ('B' is a plain letter after it): the canonical path is '/a%20b' with upper-case hex.
    assertThat(CanonicalPath.parse("/a%20b").value()).isEqualTo("/a%20b");
    assertThat(CanonicalPath.parse("/a%2a").value()).isEqualTo("/a%2A");
  }

  @Test
  void parseWhenSegmentsThenListed() {
    assertThat(CanonicalPath.parse("/v1/data/a%2Db/c").segments()).containsExactly("v1", "data", "a-b", "c");
    assertThat(CanonicalPath.parse("/").segments()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "//admin                  | empty segment",
      "/a//b                    | empty segment",
      "/admin/                  | ends with '/'",
      "/admin/../keys           | '..' segment",
      "/admin/./keys            | '.' segment",
      "/..                      | '..' segment",
      "/%2e%2e/keys             | '..' segment",
      "/%2E%2E                  | '..' segment",
      "/.%2e/keys               | '..' segment",
      "/%2e/keys                | '.' segment",
      "/admin%2Fkeys            | encoded '/'",
      "/admin%2fkeys            | encoded '/'",
      "/admin%5Ckeys            | encoded '\\'",
      "/admin%5ckeys            | encoded '\\'",
      "/admin;x=1               | ';'",
      "/admin;/keys             | ';'",
      "/admin\\keys             | '\\'",
      "/admin%00                | control",
      "/admin%0A                | control",
      "/admin%7F                | control",
      "/admin%ZZ                | bad percent-escape",
      "/admin%                  | bad percent-escape",
      "/admin%4                 | bad percent-escape",
      "/admin%4/x               | bad percent-escape",
      "/caf%C3%A9               | non-ASCII",
      "/%C0%AE%C0%AE/keys       | non-ASCII",
      "/café                    | non-ASCII",
      "admin                    | start with '/'",
      "http://h/admin           | start with '/'",
      "*                        | start with '/'",
      "/a#b                     | '#'",
      "/a{b}                    | '{'",
      "/a^b                     | '^'",
      "/a[b]                    | '['",
      "/a\"b                    | '\"'",
  })
  void parseWhenAmbiguousThenRefusedWith400(String raw, String why) {
    assertThatThrownBy(() -> CanonicalPath.parse(raw))
        .isInstanceOfSatisfying(KeywardException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
          assertThat(e.field()).isEqualTo("path");
          assertThat(e.publicMessage()).startsWith("The path is refused: ").contains(why);
        });
  }

  @Test
  void parseWhenEmptyOrQueryOnlyThenRefused() {
    for (String raw : List.of("", "?x=1")) {
      assertThatThrownBy(() -> CanonicalPath.parse(raw)).isInstanceOf(KeywardException.class);
    }
  }

  @Test
  void parseWhenWhitespaceControlOrFullwidthHexThenRefused() {
    for (String raw : List.of("/a|b", "/a b", "/a\tb", "/a\u0000b", "/a\u007fb", "/a%\uFF11\uFF11", "/\uD83D\uDE00")) {
      assertThatThrownBy(() -> CanonicalPath.parse(raw)).as(raw).isInstanceOf(KeywardException.class);
    }
  }

  @Test
  void parseWhenLongerThanLimitThenRefusedButLimitItselfAccepted() {
    String atLimit = "/" + "a".repeat(CanonicalPath.MAX_LENGTH - 1);
    assertThat(CanonicalPath.parse(atLimit).value()).hasSize(CanonicalPath.MAX_LENGTH);
    assertThat(CanonicalPath.parse(atLimit + "?" + "q".repeat(5000)).value()).isEqualTo(atLimit);
    assertThatThrownBy(() -> CanonicalPath.parse(atLimit + "a"))
        .isInstanceOfSatisfying(KeywardException.class, e -> assertThat(e.publicMessage()).contains("longer than"));
  }

  @Test
  void parseWhenRefusedThenMessageDoesNotRepeatThePath() {
    String secretish = "/kw_live_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLM;x";
    assertThatThrownBy(() -> CanonicalPath.parse(secretish))
        .isInstanceOfSatisfying(KeywardException.class, e -> assertThat(e.getMessage()).doesNotContain("kw_live"));
  }
}
