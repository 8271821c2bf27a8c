package dev.keyward.core.authz;

import dev.keyward.core.error.Echo;
import dev.keyward.core.error.KeywardException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The addresses a key may be used from: IPv4 and IPv6 ranges in CIDR notation ({@code 10.0.0.0/8},
 * {@code 2001:db8::/32}) or single addresses ({@code 192.168.1.7} is {@code /32}, {@code ::1} is
 * {@code /128}). An empty list allows every address.
 *
 * <p>Both families share one 128-bit space in which IPv4 is {@code ::ffff:0:0/96}, so an IPv4-mapped
 * caller {@code ::ffff:10.0.0.1} matches {@code 10.0.0.0/8}, a caller {@code 10.0.0.1} matches the
 * entry {@code ::ffff:10.0.0.0/104}, and {@code ::/0} allows every address, IPv4 included.
 *
 * <p>Entries and caller addresses are literals, never resolved: a host name is refused. A caller
 * address that is not a plain literal (a zone id as in {@code fe80::1%eth0}, brackets, a port)
 * matches no entry, so it is refused by any non-empty list: a zone names an interface, and two
 * hosts on two links may share one link-local address.
 */
public final class IpAllowlist {
  /** Most entries one key may hold. */
  public static final int MAX_ENTRIES = 256;

  /** The empty list: every address is allowed. */
  public static final IpAllowlist ANY = new IpAllowlist(List.of());

  private final List<Range> ranges;

  private IpAllowlist(List<Range> ranges) {
    this.ranges = List.copyOf(ranges);
  }

  /**
   * Reads a list of entries.
   *
   * @param field the request field, such as {@code ipAllowlist}; an entry is named {@code field[i]}
   * @throws KeywardException 400 naming the first bad entry, or {@code field} when there are more
   *     than {@value #MAX_ENTRIES}
   */
  public static IpAllowlist parse(String field, List<? extends @Nullable String> texts) {
    if (texts.size() > MAX_ENTRIES) {
      throw KeywardException.invalidField(field,
          "An IP allow-list holds at most " + MAX_ENTRIES + " entries, not " + texts.size());
    }
    List<Range> ranges = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      ranges.add(Range.parse(field + "[" + i + "]", texts.get(i)));
    }
    return new IpAllowlist(ranges);
  }

  /**
   * True when the list is empty, or when {@code ip} is an IPv4 or IPv6 literal inside one of the
   * ranges.
   */
  public boolean allows(String ip) {
    if (ranges.isEmpty()) {
      return true;
    }
    Optional<IpAddress> address = IpAddress.parse(ip);
    if (address.isEmpty()) {
      return false;
    }
    for (Range r : ranges) {
      if (r.contains(address.get())) {
        return true;
      }
    }
    return false;
  }

  /** True for the empty list, which allows every address. */
  public boolean allowsAnyAddress() {
    return ranges.isEmpty();
  }

  /**
   * The wire form: each entry normalised, in the order given, always with its prefix length
   * ({@code 192.168.1.7/32}, {@code 2001:db8::/32}; an IPv4-mapped range in its IPv4 form).
   */
  public List<String> texts() {
    return ranges.stream().map(Range::toString).toList();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof IpAllowlist l && l.ranges.equals(ranges);
  }

  @Override
  public int hashCode() {
    return ranges.hashCode();
  }

  @Override
  public String toString() {
    return texts().toString();
  }

  /** One entry: a network address and how many leading bits of it count, in the 128-bit space. */
  private record Range(IpAddress network, int prefix) {
    private static final int IPV4_OFFSET = 96;
    private static final String SHAPE =
        "An IP allow-list entry is an IPv4 or IPv6 address or range, such as '10.0.0.0/8', '192.168.1.7' or "
            + "'2001:db8::/32' (host names are not resolved)";

    static Range parse(String field, @Nullable String text) {
      if (text == null) {
        throw KeywardException.invalidField(field, SHAPE + ", not null");
      }
      int slash = text.indexOf('/');
      String addressText = slash < 0 ? text : text.substring(0, slash);
      IpAddress address = IpAddress.parse(addressText)
          .orElseThrow(() -> KeywardException.invalidField(field, SHAPE + ": " + Echo.quoted(text)));
      int width = addressText.indexOf(':') < 0 ? 32 : 128;
      int written = slash < 0 ? width : prefixLength(text.substring(slash + 1), width);
      if (written < 0) {
        throw KeywardException.invalidField(field, "The prefix length after '/' is a whole number from 0 to "
            + width + " for an IPv" + (width == 32 ? "4" : "6") + " address: " + Echo.quoted(text));
      }
      int prefix = width == 32 ? written + IPV4_OFFSET : written;
      Range range = new Range(address.masked(prefix), prefix);
      if (!range.network.equals(address)) {
        // The suggestion is computed from digits, dots and colons: safe to show as it is.
        throw KeywardException.invalidField(field, "This range has address bits set after its prefix length; did you mean '"
            + range + "'? " + Echo.quoted(text));
      }
      return range;
    }

    /** The digits of a prefix length (no sign, space or leading zero), if at most {@code width}; else -1. */
    private static int prefixLength(String digits, int width) {
      if (digits.isEmpty() || digits.length() > 3 || (digits.length() > 1 && digits.charAt(0) == '0')) {
        return -1;
      }
      int value = 0;
      for (int i = 0; i < digits.length(); i++) {
        char c = digits.charAt(i);
        if (c < '0' || c > '9') {
          return -1;
        }
        value = value * 10 + (c - '0');
      }
      return value <= width ? value : -1;
    }

    boolean contains(IpAddress address) {
      return network.samePrefix(address, prefix);
    }

    @Override
    public String toString() {
      boolean ipv4 = network.isIpv4() && prefix >= IPV4_OFFSET;
      return network + "/" + (ipv4 ? prefix - IPV4_OFFSET : prefix);
    }
  }
}
