package dev.keyward.core.principal;

import dev.keyward.core.error.KeywardException;

/** Checks for short human-readable texts (names). */
public final class Text {
  private Text() {}

  /** A name of 1 to {@code max} characters with no control characters, trimmed. */
  public static String name(String field, String raw, int max) {
    String s = raw.strip();
    if (s.isEmpty() || s.length() > max) {
      throw KeywardException.invalidField(field, "'" + field + "' must be 1 to " + max + " characters");
    }
    for (int i = 0; i < s.length(); i++) {
      if (Character.isISOControl(s.charAt(i))) {
        throw KeywardException.invalidField(field, "'" + field + "' must not contain control characters");
      }
    }
    return s;
  }
}
