package dev.keyward.core.authz;

/**
 * Route-file text repeated in an error message. Templates are longer than {@link
 * dev.keyward.core.error.Echo} repeats and hold '/', '{' and '}', yet a file is still input: text
 * that looks like a key, or holds anything outside the template alphabet, is not repeated.
 */
final class RouteText {
  static final int MAX = 120;

  private RouteText() {}

  static String quoted(String text) {
    if (text.isEmpty() || text.length() > MAX || text.contains("kw_")) {
      return "(value not repeated)";
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c <= 0x20 || c >= 0x7F) {
        return "(value not repeated)";
      }
    }
    return "'" + text + "'";
  }
}
