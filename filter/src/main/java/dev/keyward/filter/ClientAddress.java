package dev.keyward.filter;

import dev.keyward.core.authz.IpAllowlist;
import dev.keyward.core.error.KeywardException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The caller's address for the decision. Without trusted proxies it is the peer's ({@code
 * getRemoteAddr()}): an {@code X-Forwarded-For} anyone can send is ignored. With them, and only
 * when the peer is one, {@code X-Forwarded-For} is read from the right, skipping trusted proxies:
 * the first address not among them is the client (a client cannot forge the entries a trusted
 * proxy appended to its right).
 */
final class ClientAddress {
  static final ClientAddress PEER = new ClientAddress(null);

  /** The trusted proxies; null: none. (An empty {@link IpAllowlist} would allow every address.) */
  private final @Nullable IpAllowlist proxies;

  private ClientAddress(@Nullable IpAllowlist proxies) {
    this.proxies = proxies;
  }

  /**
   * @throws IllegalArgumentException naming the first entry of {@code ranges} that is not an IP
   *     address or CIDR range (host names are refused: nothing is resolved)
   */
  static ClientAddress trusting(String field, List<String> ranges) {
    if (ranges.isEmpty()) {
      return PEER;
    }
    try {
      return new ClientAddress(IpAllowlist.parse(field, ranges));
    } catch (KeywardException e) {
      throw new IllegalArgumentException(e.publicMessage(), e);
    }
  }

  String of(HttpServletRequest request) {
    String peer = request.getRemoteAddr();
    IpAllowlist proxies = this.proxies;
    if (proxies == null || !proxies.allows(peer)) {
      return peer;
    }
    List<String> hops = new ArrayList<>();
    for (String header : KeywardFilter.headers(request, "X-Forwarded-For")) {
      for (String hop : header.split(",")) {
        hops.add(hop.strip());
      }
    }
    String client = peer;
    for (int i = hops.size() - 1; i >= 0; i--) {
      String hop = hops.get(i);
      if (hop.isEmpty()) {
        continue;
      }
      client = hop;
      if (!proxies.allows(hop)) {
        break;
      }
    }
    return client;
  }
}
