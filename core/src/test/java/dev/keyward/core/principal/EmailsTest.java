package dev.keyward.core.principal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.core.error.ErrorCode;
import dev.keyward.core.error.KeywardException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** BAD-21, KC-09: one canonical form per email address; look-alikes stay distinct. */
class EmailsTest {

  @Test
  void canonicalWhenMixedCaseThenLowerCase() {
    assertThat(Emails.canonical("email", "Test-User@Example.COM")).isEqualTo("test-user@example.com");
  }

  @Test
  void canonicalWhenNfdInputThenSameAsNfc() {
    String nfc = "\u00c4DMIN@Example.com"; // Ä precomposed
    String nfd = "A\u0308DMIN@Example.com"; // A + combining diaeresis

    assertThat(nfc).isNotEqualTo(nfd);
    assertThat(Emails.canonical("email", nfd)).isEqualTo(Emails.canonical("email", nfc)).isEqualTo("\u00e4dmin@example.com");
    assertThat(Emails.lookupForm(nfd)).isEqualTo(Emails.lookupForm(nfc)).isEqualTo("\u00e4dmin@example.com");
  }

  @Test
  void canonicalWhenCyrillicHomoglyphThenDifferentAccount() {
    String latin = "admin@example.com";
    String cyrillic = "\u0430dmin@example.com"; // Cyrillic small a

    assertThat(Emails.canonical("email", cyrillic)).isNotEqualTo(Emails.canonical("email", latin));
    assertThat(Emails.lookupForm("\u0410DMIN@example.com")).isEqualTo(cyrillic); // capital Cyrillic A folds to its own small a
  }

  @Test
  void canonicalWhenTurkishDotlessILocaleThenRootLowerCase() {
    java.util.Locale before = java.util.Locale.getDefault();
    try {
      java.util.Locale.setDefault(java.util.Locale.forLanguageTag("tr-TR"));
      assertThat(Emails.canonical("email", "ADMIN@EXAMPLE.COM")).isEqualTo("admin@example.com");
    } finally {
      java.util.Locale.setDefault(before);
    }
  }

  @Test
  void canonicalWhenAlreadyCanonicalThenUnchanged() {
    assertThat(Emails.canonical("email", "a@b")).isEqualTo("a@b");
    assertThat(Emails.canonical("email", "first.last+tag@sub.example.co.uk")).isEqualTo("first.last+tag@sub.example.co.uk");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "plainaddress",
      "a@b@c.com",
      "@example.com",
      "user@",
      "user@example.com.",
      "user@.example.com",
      "user@example..com",
      "us er@example.com",
      " user@example.com",
      "user@example.com ",
      "user@exa mple.com",
      "user\t@example.com",
      "user\u0000@example.com",
      "user\r\n@example.com",
      "a,b@example.com",
      "a;b@example.com",
      "<a@example.com>",
      "\"a\"@example.com",
      "a\\b@example.com",
      "user@example.com\u00a0", // no-break space
      "user\u202f@example.com", // narrow no-break space
      "us\u200ber@example.com", // zero-width space
      "\ufeffuser@example.com", // byte order mark
      "user@\u202emoc.elpmaxe"}) // right-to-left override
  void canonicalWhenNotAnEmailThenInvalidRequestNamingField(String raw) {
    assertThatThrownBy(() -> Emails.canonical("ownerEmail", raw))
        .isInstanceOfSatisfying(KeywardException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
          assertThat(e.field()).isEqualTo("ownerEmail");
          assertThat(e.publicMessage()).contains("'ownerEmail'");
        });
  }

  @Test
  void canonicalWhenLongerThan254ThenInvalidRequest() {
    String domain = "@example.com";
    String ok = "a".repeat(254 - domain.length()) + domain;
    String tooLong = "a".repeat(255 - domain.length()) + domain;

    assertThat(Emails.canonical("email", ok)).hasSize(254);
    assertThatThrownBy(() -> Emails.canonical("email", tooLong))
        .isInstanceOfSatisfying(KeywardException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
          assertThat(e.field()).isEqualTo("email");
        });
  }

  @Test
  void canonicalWhenRejectedThenMessageDoesNotEchoInput() {
    String raw = "evil\u001b[31m@example.com";
    assertThatThrownBy(() -> Emails.canonical("email", raw))
        .isInstanceOfSatisfying(KeywardException.class, e -> assertThat(e.publicMessage()).doesNotContain("evil"));
  }
}
