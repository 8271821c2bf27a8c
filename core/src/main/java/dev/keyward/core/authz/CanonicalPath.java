package dev.keyward.core.authz;

import dev.keyward.core.error.KeywardException;
import java.util.List;

/**
 * A request path in the one form decisions are taken on, or a refusal. Decisions never guess
 * what an ambiguous path means (SECURITY-TESTS BAD-43, ASVS 8.2.1): a path that some server
 * could read two ways is refused with a 400 instead.
 *
 * <ul>
 *   <li>The query ({@code ?…}) is not part of the path and is dropped.
 *   <li>Percent-escapes of unreserved characters ({@code A-Z a-z 0-9 - . _ ~}) are decoded
 *       ({@code %61} is {@code a}); other escapes are kept, with upper-case hex ({@code %3a} →
 *       {@code %3A}).
 *   <li>Refused: an encoded {@code /} or {@code \}, an encoded control character ({@code %00}…),
 *       an encoded non-ASCII byte, a bad escape ({@code %ZZ}, a lone {@code %}), a raw {@code ;}
 *       (path parameters), a raw {@code \}, spaces, control and non-ASCII characters, anything
 *       outside RFC 3986 {@code pchar}, {@code .} and {@code ..} segments (raw or encoded), empty
 *       segments ({@code //admin}), a trailing {@code /} (except the root path {@code /}), a path
 *       not starting with {@code /}, and paths longer than {@value #MAX_LENGTH} characters.
 *   <li>Nothing else changes: literal segments stay case-sensitive ({@code /ADMIN} is not
 *       {@code /admin}) and {@code /admin.json} is its own path.
 * </ul>
 *
 * @param value the canonical path, starting with {@code /}
 * @param segments its segments, without the slashes ({@code /} has none)
 */
public record CanonicalPath(String value, List<String> segments) {
  /** The longest path decided on; longer ones are refused. */
  public static final int MAX_LENGTH = 2048;

  static final CanonicalPath ROOT = new CanonicalPath("/", List.of());

  /** ALPHA DIGIT and {@code - . _ ~ ! $ & ' ( ) * + , = : @}: RFC 3986 pchar without ';' and '%'. */
  private static final boolean[] RAW = new boolean[128];

  private static final boolean[] UNRESERVED = new boolean[128];

  static {
    for (char c = 'a'; c <= 'z'; c++) {
      UNRESERVED[c] = true;
      UNRESERVED[Character.toUpperCase(c)] = true;
    }
    for (char c = '0'; c <= '9'; c++) {
      UNRESERVED[c] = true;
    }
    for (char c : "-._~".toCharArray()) {
      UNRESERVED[c] = true;
    }
    System.arraycopy(UNRESERVED, 0, RAW, 0, 128);
    for (char c : "!$&'()*+,=:@".toCharArray()) {
      RAW[c] = true;
    }
  }

  public CanonicalPath {
    segments = List.copyOf(segments);
  }

  /**
   * The canonical form of a raw request target's path (query allowed, dropped).
   *
   * @throws KeywardException 400 on field {@code path}, saying why the path is refused
   */
  public static CanonicalPath parse(String rawPath) {
    Split split = split(rawPath);
    return split.segments.length == 0 ? ROOT : new CanonicalPath(split.value, List.of(split.segments));
  }

  /** The canonical text and its segments, as {@link #parse} checks them (the matcher's hot path). */
  static final class Split {
    final String value;
    final String[] segments;

    Split(String value, String[] segments) {
      this.value = value;
      this.segments = segments;
    }
  }

  static Split split(String rawPath) {
    int end = rawPath.indexOf('?');
    if (end < 0) {
      end = rawPath.length();
    }
    if (end == 0 || rawPath.charAt(0) != '/') {
      throw refused("it does not start with '/'");
    }
    if (end > MAX_LENGTH) {
      throw refused("it is longer than " + MAX_LENGTH + " characters");
    }
    if (end == 1) {
      return new Split("/", new String[0]);
    }
    int count = 1;
    for (int i = 1; i < end; i++) {
      if (rawPath.charAt(i) == '/') {
        count++;
      }
    }
    String[] segments = new String[count];
    int percent = rawPath.indexOf('%');
    // Without an escape the canonical path is the raw text itself: no copy on the common path.
    boolean rewritten = percent >= 0 && percent < end;
    int start = 1;
    for (int n = 0; n < count; n++) {
      int slash = n == count - 1 ? end : rawPath.indexOf('/', start);
      if (slash == start) {
        throw refused(slash == end ? "it ends with '/'" : "it has an empty segment ('//')");
      }
      segments[n] = segment(rawPath, start, slash);
      start = slash + 1;
    }
    return new Split(rewritten ? "/" + String.join("/", segments) : end == rawPath.length() ? rawPath : rawPath.substring(0, end), segments);
  }

  private static String segment(String raw, int start, int end) {
    StringBuilder decoded = null;
    for (int i = start; i < end; i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (decoded == null) {
          decoded = new StringBuilder(end - start).append(raw, start, i);
        }
        int value = escape(raw, i, end);
        if (value < 128 && UNRESERVED[value]) {
          decoded.append((char) value);
        } else {
          decoded.append('%').append(HEX[value >> 4]).append(HEX[value & 0xF]);
        }
        i += 2;
      } else if (c < 128 && RAW[c]) {
        if (decoded != null) {
          decoded.append(c);
        }
      } else {
        throw refused(describe(c));
      }
    }
    String s = decoded == null ? raw.substring(start, end) : decoded.toString();
    if (s.equals(".") || s.equals("..")) {
      throw refused("it has a '" + s + "' segment");
    }
    return s;
  }

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  /** The byte of the escape at {@code i}, refusing bad escapes and bytes that would change the path's meaning. */
  private static int escape(String raw, int i, int end) {
    int hi = i + 1 < end ? hex(raw.charAt(i + 1)) : -1;
    int lo = i + 2 < end ? hex(raw.charAt(i + 2)) : -1;
    if (hi < 0 || lo < 0) {
      throw refused("it has a bad percent-escape");
    }
    int value = hi << 4 | lo;
    if (value == '/') {
      throw refused("it has an encoded '/' (%2F)");
    }
    if (value == '\\') {
      throw refused("it has an encoded '\\' (%5C)");
    }
    if (value < 0x20 || value == 0x7F) {
      throw refused("it has an encoded control character");
    }
    if (value >= 0x80) {
      throw refused("it has an encoded non-ASCII byte");
    }
    return value;
  }

  /** 0-15 for an ASCII hex digit, else -1 ({@code Character.digit} would also take fullwidth digits). */
  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  }

  private static String describe(char c) {
    if (c == ';') {
      return "it has a ';' (path parameters are not decided on)";
    }
    if (c == '\\') {
      return "it has a '\\'";
    }
    if (c < 0x20 || c == 0x7F) {
      return "it has a control character";
    }
    if (c >= 0x80) {
      return "it has a non-ASCII character (percent-encode it)";
    }
    if (c == ' ') {
      return "it has a space";
    }
    return "it has a '" + c + "', which a path may not hold unencoded";
  }

  private static KeywardException refused(String why) {
    return KeywardException.invalidField("path", "The path is refused: " + why);
  }
}
