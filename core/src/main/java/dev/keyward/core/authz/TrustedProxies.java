package dev.keyward.core.authz;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Who the caller is, by address, for every door (the server and its gateway, the Java filter):
 * the TCP peer, unless the peer is one of the configured trusted proxies. Then it is the
 * right-most {@code X-Forwarded-For} entry that is not a trusted proxy: each proxy appends the
 * address it saw, so the entries right of it were written by trusted proxies, and those left of
 * it by anyone, the caller included (OWASP ASVS 5.0 4.1.3).
 *
 * <ul>
 *   <li>Several {@code X-Forwarded-For} headers are read as one list, in order (RFC 9110 §5.3).
 *   <li>From a peer that is not trusted, {@code X-Forwarded-For} is ignored: anyone can write one.
 *   <li>{@code X-Real-IP} and {@code Forwarded} are never read.
 *   <li>When the entry chosen is not an IP literal (garbage, {@code unknown}, a port, an empty
 *       entry), the address is unknown (null): an IP allow-list then refuses, rather than trust
 *       the proxy's own address.
 *   <li>When every entry is a trusted proxy, the left-most one is the caller.
 *   <li>IPv4-mapped IPv6 ({@code ::ffff:10.0.0.1}) is the IPv4 address for trust, as in key
 *       allow-lists.
 * </ul>
 */
public final class TrustedProxies {
  /** Trusts no proxy: the peer is the caller. */
  public static final TrustedProxies NONE = new TrustedProxies(null);

  /** Every IPv4 and IPv6 literal, and nothing else: tells an address from garbage. */
  private static final IpAllowlist ANY_LITERAL = IpAllowlist.parse("any", List.of("::/0"));

  /** Null: none. (An empty {@link IpAllowlist} would allow every address.) */
  private final @Nullable IpAllowlist trusted;

  private TrustedProxies(@Nullable IpAllowlist trusted) {
    this.trusted = trusted;
  }

  /**
   * Trusts the proxies at these addresses or CIDR ranges; none: {@link #NONE}.
   *
   * @param field what the list is called where it was given, for the error
   * @throws dev.keyward.core.error.KeywardException 400 naming the first entry that is not an
   *     address or range ({@code field[i]}); host names are refused: nothing is resolved
   */
  public static TrustedProxies of(String field, List<String> proxies) {
    return proxies.isEmpty() ? NONE : new TrustedProxies(IpAllowlist.parse(field, proxies));
  }

  /** True when {@code peer} is a trusted proxy, whose forwarding headers are believed. */
  public boolean isTrusted(@Nullable String peer) {
    return trusted != null && peer != null && trusted.allows(peer);
  }

  /** The caller's address given the TCP peer and the {@code X-Forwarded-For} values, in order; null when unknown. */
  public @Nullable String resolve(@Nullable String peer, List<String> forwardedFor) {
    if (!isTrusted(peer)) {
      return peer;
    }
    List<String> entries = new ArrayList<>();
    for (String value : forwardedFor) {
      for (String entry : value.split(",", -1)) {
        entries.add(entry.strip());
      }
    }
    for (int i = entries.size() - 1; i >= 0; i--) {
      String entry = entries.get(i);
      if (!ANY_LITERAL.allows(entry)) {
        return null;
      }
      if (!isTrusted(entry) || i == 0) {
        return entry;
      }
    }
    return peer;
  }
}
