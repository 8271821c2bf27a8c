package dev.keyward.core.authz;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;

/**
 * Host names in the one form two names are compared in: lower case, no trailing dot, an
 * internationalised name in its ASCII (punycode) form, each label 1 to 63 letters, digits or
 * hyphens (not first or last), 253 characters at most. {@code Bücher.Example.} and {@code
 * xn--bcher-kva.example} are the same host.
 *
 * <p>{@link IDN} is the JDK's IDNA 2003 implementation, pure computation (it is the only {@code
 * java.net} class core uses, and the architecture test allows exactly that one). Normalising an
 * already normalised name gives it back unchanged.
 */
final class HostNames {
  static final int MAX_LENGTH = 253;
  private static final int MAX_LABEL = 63;

  private HostNames() {}

  /** The normalised form of {@code host}, or empty when it is not a valid host name. */
  static Optional<String> normalise(String host) {
    if (host.isEmpty() || host.length() > MAX_LENGTH + 1) {
      return Optional.empty();
    }
    String ascii = host;
    if (!isAscii(host)) {
      try {
        ascii = IDN.toASCII(host, IDN.USE_STD3_ASCII_RULES);
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }
    String lower = ascii.toLowerCase(Locale.ROOT);
    String name = lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    return isValid(name) ? Optional.of(name) : Optional.empty();
  }

  /** The number of labels of a normalised name. */
  static int labels(String name) {
    int count = 1;
    for (int i = 0; i < name.length(); i++) {
      count += name.charAt(i) == '.' ? 1 : 0;
    }
    return count;
  }

  private static boolean isValid(String name) {
    if (name.isEmpty() || name.length() > MAX_LENGTH) {
      return false;
    }
    int start = 0;
    while (start <= name.length()) {
      int end = name.indexOf('.', start);
      if (end < 0) {
        end = name.length();
      }
      if (!isLabel(name, start, end)) {
        return false;
      }
      start = end + 1;
    }
    return true;
  }

  private static boolean isLabel(String name, int start, int end) {
    int length = end - start;
    if (length < 1 || length > MAX_LABEL || name.charAt(start) == '-' || name.charAt(end - 1) == '-') {
      return false;
    }
    for (int i = start; i < end; i++) {
      char c = name.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) > 0x7f) {
        return false;
      }
    }
    return true;
  }
}
