package dev.keyward.core.authz;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An IP address read from its literal text only, never through name resolution, as 128 bits. IPv4
 * addresses live in the IPv4-mapped range {@code ::ffff:0:0/96} (RFC 4291 §2.5.5.2), so that
 * {@code 10.0.0.1} and {@code ::ffff:10.0.0.1} are one address and one comparison serves both
 * families.
 *
 * <p>Written here rather than taken from {@code java.net.InetAddress}: {@code getByName} resolves
 * anything that is not a literal through DNS, {@code ofLiteral} needs Java 22, and core does not
 * depend on {@code java.net}. The grammar is strict: dotted-quad IPv4 with decimal parts 0 to 255
 * and no leading zeros (so that {@code 010} is not read as octal by someone else), and RFC 4291
 * §2.2 IPv6 text (hex groups of 1 to 4 digits, at most one {@code ::}, an optional dotted-quad
 * tail). Zone ids ({@code fe80::1%eth0}), brackets, ports and white space are not addresses.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc4291#section-2.2">RFC 4291 §2.2</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc5952">RFC 5952, the canonical text form</a>
 */
final class IpAddress {
  /** Longest literal worth reading: a full IPv6 address with an IPv4 tail has 45 characters. */
  private static final int MAX_TEXT = 45;
  private static final long MAPPED_HIGH = 0L;
  private static final long MAPPED_LOW_PREFIX = 0xffffL << 32;

  private final long high;
  private final long low;

  private IpAddress(long high, long low) {
    this.high = high;
    this.low = low;
  }

  /** The address for an IPv4 or IPv6 literal, or empty when {@code text} is anything else. */
  static Optional<IpAddress> parse(String text) {
    if (text.isEmpty() || text.length() > MAX_TEXT) {
      return Optional.empty();
    }
    if (text.indexOf(':') < 0) {
      long v4 = parseIpv4(text, 0, text.length());
      return v4 < 0 ? Optional.empty() : Optional.of(new IpAddress(MAPPED_HIGH, MAPPED_LOW_PREFIX | v4));
    }
    int[] groups = parseIpv6(text);
    if (groups == null) {
      return Optional.empty();
    }
    long high = 0;
    long low = 0;
    for (int i = 0; i < 4; i++) {
      high = (high << 16) | groups[i];
      low = (low << 16) | groups[i + 4];
    }
    return Optional.of(new IpAddress(high, low));
  }

  /** True for an IPv4 address (written either way). */
  boolean isIpv4() {
    return high == MAPPED_HIGH && (low & 0xffff_ffff_0000_0000L) == MAPPED_LOW_PREFIX;
  }

  /** This address with every bit after the first {@code prefix} (0 to 128) cleared. */
  IpAddress masked(int prefix) {
    return new IpAddress(high & mask(prefix), low & mask(prefix - 64));
  }

  /** True when this address and {@code other} agree on their first {@code prefix} bits. */
  boolean samePrefix(IpAddress other, int prefix) {
    return ((high ^ other.high) & mask(prefix)) == 0 && ((low ^ other.low) & mask(prefix - 64)) == 0;
  }

  /** A mask of the first {@code bits} bits of a 64-bit word (0 or less: none; 64 or more: all). */
  private static long mask(int bits) {
    if (bits <= 0) {
      return 0L;
    }
    return bits >= 64 ? -1L : -1L << (64 - bits);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof IpAddress a && a.high == high && a.low == low;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(high) * 31 + Long.hashCode(low);
  }

  /** Dotted quad for IPv4, else the RFC 5952 form (lower case, longest zero run as {@code ::}). */
  @Override
  public String toString() {
    if (isIpv4()) {
      return (low >>> 24 & 0xff) + "." + (low >>> 16 & 0xff) + "." + (low >>> 8 & 0xff) + "." + (low & 0xff);
    }
    int[] groups = new int[8];
    for (int i = 0; i < 4; i++) {
      groups[i] = (int) (high >>> (48 - 16 * i)) & 0xffff;
      groups[i + 4] = (int) (low >>> (48 - 16 * i)) & 0xffff;
    }
    int bestStart = -1;
    int bestLength = 1; // RFC 5952 §4.2.2: a single zero group is not shortened
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        b.append("::");
        i += bestLength - 1;
        continue;
      }
      if (b.length() > 0 && b.charAt(b.length() - 1) != ':') {
        b.append(':');
      }
      b.append(Integer.toHexString(groups[i]));
    }
    return b.toString();
  }

  /** The 32-bit value of a dotted quad in {@code text[from, to)}, or -1. */
  private static long parseIpv4(String text, int from, int to) {
    long value = 0;
    int parts = 0;
    int i = from;
    while (parts < 4) {
      int start = i;
      int part = 0;
      while (i < to && i - start < 3 && isDigit(text.charAt(i))) {
        part = part * 10 + (text.charAt(i) - '0');
        i++;
      }
      int digits = i - start;
      if (digits == 0 || part > 255 || (digits > 1 && text.charAt(start) == '0')) {
        return -1;
      }
      value = (value << 8) | part;
      parts++;
      if (parts < 4) {
        if (i >= to || text.charAt(i) != '.') {
          return -1;
        }
        i++;
      }
    }
    return i == to ? value : -1;
  }

  /** The eight 16-bit groups of an IPv6 literal, or null. */
  private static int @Nullable [] parseIpv6(String literal) {
    String text = literal;
    int lastColon = text.lastIndexOf(':');
    if (text.indexOf('.', lastColon) >= 0) {
      // A dotted-quad tail stands for the last two groups.
      long v4 = parseIpv4(text, lastColon + 1, text.length());
      if (v4 < 0) {
        return null;
      }
      text = text.substring(0, lastColon + 1) + Long.toHexString(v4 >>> 16) + ":" + Long.toHexString(v4 & 0xffff);
    }
    int gap = text.indexOf("::");
    String[] head = groupsOf(gap < 0 ? text : text.substring(0, gap));
    String[] tail = gap < 0 ? new String[0] : groupsOf(text.substring(gap + 2));
    int explicit = head.length + tail.length;
    if (gap < 0 ? explicit != 8 : explicit > 7) {
      return null; // '::' stands for one zero group or more
    }
    int[] groups = new int[8];
    for (int i = 0; i < explicit; i++) {
      int value = parseHexGroup(i < head.length ? head[i] : tail[i - head.length]);
      if (value < 0) {
        return null;
      }
      groups[i < head.length ? i : 8 - explicit + i] = value;
    }
    return groups;
  }

  /** The groups between colons: none for empty text; an empty group is kept, and refused later. */
  private static String[] groupsOf(String side) {
    return side.isEmpty() ? new String[0] : side.split(":", -1);
  }

  /** The value of 1 to 4 ASCII hex digits, or -1. */
  private static int parseHexGroup(String group) {
    if (group.isEmpty() || group.length() > 4) {
      return -1;
    }
    int value = 0;
    for (int i = 0; i < group.length(); i++) {
      char c = group.charAt(i);
      int digit = isDigit(c) ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
      if (digit < 0) {
        return -1;
      }
      value = value * 16 + digit;
    }
    return value;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
