package dev.keyward.core.error;

/**
 * Client input repeated in an error message only when it is short and plain: a message must never
 * hand back a secret that a client put in the wrong place (a key is 57 characters, a generated
 * password 43).
 */
public final class Echo {
  static final int MAX = 32;

  private Echo() {}

  /** {@code 'input'} when safe to repeat, else a neutral placeholder. */
  public static String quoted(String input) {
    if (input.isEmpty() || input.length() > MAX || input.startsWith("kw_")) {
      return "(value not repeated)";
    }
    for (int i = 0; i < input.length(); i++) {
      char c = input.charAt(i);
      boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "_.:-".indexOf(c) >= 0;
      if (!plain) {
        return "(value not repeated)";
      }
    }
    return "'" + input + "'";
  }
}
