package dev.keyward.core.secret;

import java.security.SecureRandom;

/** Base62 alphabet helpers (0-9, A-Z, a-z), as used by key secrets and their checksums. */
public final class Base62 {
  static final char[] ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

  private Base62() {}

  /** True when every character is in the base62 alphabet. */
  public static boolean isBase62(CharSequence s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
        return false;
      }
    }
    return true;
  }

  /** A uniformly random base62 string of the given length (rejection sampling, no modulo bias). */
  public static String random(SecureRandom random, int length) {
    char[] out = new char[length];
    byte[] buf = new byte[length * 2];
    int filled = 0;
    while (filled < length) {
      random.nextBytes(buf);
      for (int i = 0; i < buf.length && filled < length; i++) {
        int v = buf[i] & 0xff;
        if (v < 248) { // 248 = 62 * 4: keep the distribution uniform
          out[filled++] = ALPHABET[v % 62];
        }
      }
    }
    return new String(out);
  }

  /** Fixed-width base62 encoding of an unsigned 32-bit value, left-padded with '0'. */
  public static String encodeUnsigned32(long value, int width) {
    char[] out = new char[width];
    long v = value & 0xffffffffL;
    for (int i = width - 1; i >= 0; i--) {
      out[i] = ALPHABET[(int) (v % 62)];
      v /= 62;
    }
    return new String(out);
  }
}
