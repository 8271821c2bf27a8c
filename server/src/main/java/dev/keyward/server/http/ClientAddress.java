package dev.keyward.server.http;

import dev.keyward.core.authz.IpAllowlist;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The address a request comes from, as decisions (IP allow-lists), the verification API and the
 * audit log see it: the TCP peer, unless the peer is one of the configured trusted proxies. Then
 * it is the right-most {@code X-Forwarded-For} entry that is not a trusted proxy: each proxy
 * appends the address it saw, so the entries right of it were written by trusted proxies, and
 * those left of it by anyone, the caller included (OWASP ASVS 5.0 4.1.3).
 *
 * <ul>
 *   <li>Several {@code X-Forwarded-For} headers are read as one list, in order (RFC 9110 §5.3).
 *   <li>From a peer that is not trusted, {@code X-Forwarded-For} is ignored: anyone can write one.
 *   <li>{@code X-Real-IP} and {@code Forwarded} are never read.
 *   <li>When the entry chosen is not an IP literal (garbage, {@code unknown}, a port), the address
 *       is unknown (null): an IP allow-list then refuses, rather than trust the proxy's own address.
 *   <li>When every entry is a trusted proxy, the left-most one is the caller.
 *   <li>IPv4-mapped IPv6 ({@code ::ffff:10.0.0.1}) is the IPv4 address for trust, as in key
 *       allow-lists.
 * </ul>
 */
public final class ClientAddress {
  /** Trusts no proxy: the peer is the caller. */
  public static final ClientAddress PEER_ONLY = new ClientAddress(null);

  /** Every IPv4 and IPv6 literal, and nothing else: tells an address from garbage. */
  private static final IpAllowlist ANY_LITERAL = IpAllowlist.parse("any", List.of("::/0"));

  private final @Nullable IpAllowlist trusted;

  private ClientAddress(@Nullable IpAllowlist trusted) {
    this.trusted = trusted;
  }

  /**
   * Trusts the proxies at these addresses or CIDR ranges; none: {@link #PEER_ONLY}.
   *
   * @throws dev.keyward.core.error.KeywardException 400 naming the first entry that is not an
   *     address or range ({@code trustedProxies[i]})
   */
  public static ClientAddress trusting(List<String> proxies) {
    return proxies.isEmpty() ? PEER_ONLY : new ClientAddress(IpAllowlist.parse("trustedProxies", proxies));
  }

  /** The caller's address for this request, or null when unknown. */
  public @Nullable String of(ServerRequest req) {
    return resolve(peer(req), req.headers().all(HeaderNames.X_FORWARDED_FOR, List::of));
  }

  /** True when {@code peer} is a trusted proxy, whose forwarding headers are believed. */
  public boolean isTrusted(@Nullable String peer) {
    return trusted != null && peer != null && trusted.allows(peer);
  }

  /** The caller's address given the TCP peer and the {@code X-Forwarded-For} values, in order. */
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

  /** The TCP peer's address, or null when the transport has none. */
  public static @Nullable String peer(ServerRequest req) {
    SocketAddress peer = req.remotePeer().address();
    if (peer instanceof InetSocketAddress inet && inet.getAddress() != null) {
      return inet.getAddress().getHostAddress();
    }
    return null;
  }
}
