package dev.keyward.core.authz;

import dev.keyward.core.error.Echo;
import dev.keyward.core.error.KeywardException;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a key's resource list: an exact resource such as {@code algo://foo/bar}, or a
 * prefix such as {@code algo://foo/*} that matches every resource with one or more further
 * segments ({@code algo://foo/bar}, {@code algo://foo/bar/baz}, never {@code algo://foo} itself).
 *
 * <p>Grammar: {@code scheme://segment(/segment)*}, with a lower-case scheme ({@code
 * [a-z][a-z0-9+.-]*}) and segments of 1 to 128 unreserved characters (ASCII letters, digits,
 * {@code - . _ ~}) that are never {@code .} or {@code ..}. The only wildcard is a whole last
 * segment {@code *} ({@code algo://*} included). A pattern has at most 1,024 characters.
 *
 * <p>There is no regular expression anywhere: a resource is accepted only in its canonical form
 * (the same grammar without the wildcard), and since every canonical segment boundary is a
 * {@code /}, matching a prefix is comparing segments, in time linear in the resource's length.
 * Anything not canonical (upper-case scheme, {@code ..}, percent-encoding, {@code //}, a trailing
 * {@code /}) matches nothing: the caller must send the resource it means.
 */
public final class ResourcePattern {
  /** Longest pattern or resource, in characters. */
  public static final int MAX_LENGTH = 1024;

  static final int MAX_SEGMENT = 128;
  private static final String SEPARATOR = "://";
  private static final String WILDCARD = "*";

  private final String text;
  private final boolean wildcard;
  /** For a wildcard, the text before the final {@code *} (it ends in {@code /}); else the text. */
  private final String prefix;

  private ResourcePattern(String text, boolean wildcard) {
    this.text = text;
    this.wildcard = wildcard;
    this.prefix = wildcard ? text.substring(0, text.length() - 1) : text;
  }

  /**
   * Reads a pattern.
   *
   * @param field the request field to name in an error, such as {@code resources[2]}
   * @throws KeywardException 400 naming {@code field} and saying what is wrong
   */
  public static ResourcePattern parse(String field, String text) {
    String problem = problem(text, true);
    if (problem != null) {
      throw KeywardException.invalidField(field,
          "A resource pattern looks like 'scheme://a/b' or 'scheme://a/*': " + problem + ": " + Echo.quoted(text));
    }
    return new ResourcePattern(text, text.endsWith("/" + WILDCARD));
  }

  /** True when {@code resource} is in canonical form (see the class comment). */
  public static boolean isCanonicalResource(String resource) {
    return problem(resource, false) == null;
  }

  /** True when {@code resource} is canonical and this pattern matches it. */
  public boolean allows(String resource) {
    return isCanonicalResource(resource) && matchesCanonical(resource);
  }

  /** Matching for a resource already known to be canonical. */
  boolean matchesCanonical(String resource) {
    return wildcard ? resource.length() > prefix.length() && resource.startsWith(prefix) : resource.equals(text);
  }

  /**
   * True when every resource {@code other} matches is matched by this pattern as well: a pattern
   * covers itself, {@code algo://foo/*} covers {@code algo://foo/bar/*} and {@code algo://foo/bar},
   * an exact resource covers only itself.
   */
  public boolean covers(ResourcePattern other) {
    if (!wildcard) {
      return !other.wildcard && text.equals(other.text);
    }
    // other.text is canonical up to its own final '*', so a prefix ending in '/' falls on a segment boundary.
    return other.text.length() > prefix.length() && other.text.startsWith(prefix);
  }

  /** True for a prefix pattern ending in {@code /*}. */
  public boolean isWildcard() {
    return wildcard;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ResourcePattern p && p.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  /** The pattern as written, which is its wire form. */
  @Override
  public String toString() {
    return text;
  }

  /** What is wrong with {@code text}, or null when it is a valid pattern (or canonical resource). */
  private static @Nullable String problem(String text, boolean wildcardAllowed) {
    if (text.isEmpty()) {
      return "it is empty";
    }
    if (text.length() > MAX_LENGTH) {
      return "it is longer than " + MAX_LENGTH + " characters";
    }
    int start = schemeEnd(text);
    if (start < 0) {
      return "it must start with a lower-case scheme (letters, digits, '+', '.', '-') and '://'";
    }
    start += SEPARATOR.length();
    if (start == text.length()) {
      return "it names nothing after '://'";
    }
    while (true) {
      int end = text.indexOf('/', start);
      boolean last = end < 0;
      if (last) {
        end = text.length();
      }
      String segmentProblem = segmentProblem(text, start, end, wildcardAllowed && last);
      if (segmentProblem != null) {
        return segmentProblem;
      }
      if (last) {
        return null;
      }
      start = end + 1;
    }
  }

  /** The index of {@code ://} after a valid scheme, or -1. */
  private static int schemeEnd(String text) {
    int end = text.indexOf(SEPARATOR);
    if (end <= 0 || !isLowerLetter(text.charAt(0))) {
      return -1;
    }
    for (int i = 1; i < end; i++) {
      char c = text.charAt(i);
      if (!(isLowerLetter(c) || isDigit(c) || c == '+' || c == '.' || c == '-')) {
        return -1;
      }
    }
    return end;
  }

  private static @Nullable String segmentProblem(String text, int start, int end, boolean wildcardAllowed) {
    int length = end - start;
    if (length == 0) {
      return "it has an empty segment ('//' or a trailing '/')";
    }
    boolean star = false;
    boolean other = false;
    for (int i = start; i < end; i++) {
      char c = text.charAt(i);
      if (c == '*') {
        star = true;
      } else if (!isUnreserved(c)) {
        other = true;
      }
    }
    if (star) {
      return wildcardAllowed && length == 1 ? null : "'*' may only be the whole last segment, as in 'scheme://a/*'";
    }
    if (other) {
      return "segments hold only letters, digits, '-', '.', '_' and '~' (no percent-encoding, spaces or control characters)";
    }
    if (length > MAX_SEGMENT) {
      return "a segment is longer than " + MAX_SEGMENT + " characters";
    }
    if (text.charAt(start) == '.' && (length == 1 || (length == 2 && text.charAt(start + 1) == '.'))) {
      return "'.' and '..' are not segments";
    }
    return null;
  }

  /** RFC 3986 unreserved characters, ASCII only. */
  private static boolean isUnreserved(char c) {
    return isLowerLetter(c) || (c >= 'A' && c <= 'Z') || isDigit(c) || c == '-' || c == '.' || c == '_' || c == '~';
  }

  private static boolean isLowerLetter(char c) {
    return c >= 'a' && c <= 'z';
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
