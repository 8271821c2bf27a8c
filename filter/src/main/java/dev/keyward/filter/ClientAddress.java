package dev.keyward.filter;

import dev.keyward.core.authz.TrustedProxies;
import dev.keyward.core.error.KeywardException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The caller's address for the decision: {@code getRemoteAddr()}, or behind trusted proxies what
 * {@link TrustedProxies} reads from {@code X-Forwarded-For} — the same rule as the server's and
 * its gateway's, so that an IP allow-list decides alike at every door.
 */
final class ClientAddress {
  static final ClientAddress PEER = new ClientAddress(TrustedProxies.NONE);

  private final TrustedProxies proxies;

  private ClientAddress(TrustedProxies proxies) {
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
      return new ClientAddress(TrustedProxies.of(field, ranges));
    } catch (KeywardException e) {
      throw new IllegalArgumentException(e.publicMessage(), e);
    }
  }

  @Nullable String of(HttpServletRequest request) {
    return proxies.resolve(request.getRemoteAddr(), KeywardFilter.headers(request, "X-Forwarded-For"));
  }
}
