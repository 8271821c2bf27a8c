package dev.keyward.server.http;

import dev.keyward.core.authz.TrustedProxies;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The address a request comes from, as decisions (IP allow-lists), the verification API and the
 * audit log see it: the TCP peer, or behind trusted proxies what {@link TrustedProxies} reads
 * from {@code X-Forwarded-For} (the same rule as the Java filter's).
 */
public final class ClientAddress {
  /** Trusts no proxy: the peer is the caller. */
  public static final ClientAddress PEER_ONLY = new ClientAddress(TrustedProxies.NONE);

  private final TrustedProxies trusted;

  private ClientAddress(TrustedProxies trusted) {
    this.trusted = trusted;
  }

  /**
   * Trusts the proxies at these addresses or CIDR ranges; none: {@link #PEER_ONLY}.
   *
   * @throws dev.keyward.core.error.KeywardException 400 naming the first entry that is not an
   *     address or range ({@code trustedProxies[i]})
   */
  public static ClientAddress trusting(List<String> proxies) {
    return proxies.isEmpty() ? PEER_ONLY : new ClientAddress(TrustedProxies.of("trustedProxies", proxies));
  }

  /** The caller's address for this request, or null when unknown. */
  public @Nullable String of(ServerRequest req) {
    return trusted.resolve(peer(req), req.headers().all(HeaderNames.X_FORWARDED_FOR, List::of));
  }

  /** True when {@code peer} is a trusted proxy, whose forwarding headers are believed. */
  public boolean isTrusted(@Nullable String peer) {
    return trusted.isTrusted(peer);
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
