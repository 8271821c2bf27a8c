package dev.keyward.core.principal;

import dev.keyward.core.error.KeywardException;
import java.text.Normalizer;
import java.util.Locale;

/**
 * Email addresses: one canonical form (Unicode NFC, lower case), so that {@code Admin@X} and
 * {@code admin@x} are one account. Look-alike characters from other scripts stay distinct.
 */
public final class Emails {
  private Emails() {}

  public static String canonical(String field, String raw) {
    String s = Normalizer.normalize(raw, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
    int at = s.indexOf('@');
    if (s.length() > 254 || at <= 0 || at != s.lastIndexOf('@') || at == s.length() - 1) {
      throw KeywardException.invalidField(field, "'" + field + "' must be an email address such as name@example.com");
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      // isSpaceChar adds the no-break spaces isWhitespace leaves out; FORMAT covers invisible
      // characters (zero-width space, BOM, bidi overrides): either would make a second account
      // that looks exactly like an existing address.
      if (Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.getType(c) == Character.FORMAT
          || Character.isISOControl(c) || c == ',' || c == ';' || c == '<' || c == '>' || c == '"' || c == '\\') {
        throw KeywardException.invalidField(field, "'" + field + "' must be an email address such as name@example.com");
      }
    }
    String domain = s.substring(at + 1);
    if (domain.startsWith(".") || domain.endsWith(".") || domain.contains("..")) {
      throw KeywardException.invalidField(field, "'" + field + "' must be an email address such as name@example.com");
    }
    return s;
  }

  /** Canonical form without validation, for looking up a login (invalid input simply finds nothing). */
  public static String lookupForm(String raw) {
    return Normalizer.normalize(raw, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
  }
}
