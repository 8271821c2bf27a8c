package dev.keyward.server.http;

import dev.keyward.core.error.ErrorCode;
import dev.keyward.core.error.KeywardException;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The issuer of the tokens a request gets and presents: the configured one ({@code KEYWARD_ISSUER})
 * wherever it is set; else the request's own base URL, {@code scheme://host[:port]} from the
 * connection and the {@code Host} header, since RFC 8414 §3 wants the issuer to be the URL the
 * metadata is fetched from. Tokens issued through one host name are then not accepted through
 * another, as in servers that derive the issuer the same way.
 *
 * <p>A derived issuer ends up in signed tokens, so the {@code Host} header is held to a strict
 * form: a DNS-style name (letters, digits, {@code -}, {@code _}, dots between non-empty labels),
 * an IPv4 address or a bracketed IPv6 address, then an optional port 1–65535 without leading
 * zeros. Anything else (percent-encoding, sub-delimiters, user info, a trailing dot, several Host
 * headers, none) is answered 400. The host name is lower-cased (RFC 3986 §6.2.2.1); nothing else
 * is rewritten. Behind a proxy that terminates TLS the scheme seen here is {@code http}: set the
 * issuer there.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8414#section-3">RFC 8414 §3</a>
 */
public final class RequestIssuer {
  private static final int MAX_HOST = 253;
  private final @Nullable String configured;
  /**
   * The last {@code Host} header seen and the issuer it gave: nearly every request repeats it, and
   * checking its strict form took a tenth of a verification. One entry: bounded whatever hosts
   * are sent, and a miss only costs the check.
   */
  private volatile @Nullable Derived last;

  /** A {@code Host} header value, the connection's security, and the base URL they give. */
  private record Derived(boolean secure, String host, String base) {}

  /** @param configured the configured issuer, or null to derive it from each request */
  public RequestIssuer(@Nullable String configured) {
    this.configured = configured;
  }

  /** The issuer for this request; a bad or missing {@code Host} header is a 400 when it is derived. */
  public String of(ServerRequest req) {
    if (configured != null) {
      return configured;
    }
    List<String> hosts = req.headers().all(HeaderNames.HOST, List::of);
    boolean secure = req.isSecure();
    Derived seen = last;
    if (hosts.size() == 1 && seen != null && seen.secure() == secure && seen.host().equals(hosts.get(0))) {
      return seen.base();
    }
    Optional<String> base = hosts.size() == 1 ? baseUrl(secure, hosts.get(0)) : Optional.empty();
    base.ifPresent(b -> last = new Derived(secure, hosts.get(0), b));
    return base.orElseThrow(() -> new KeywardException(ErrorCode.INVALID_REQUEST,
        "Send one Host header with a host name or IP address and an optional port", "Host", null, null));
  }

  /** {@code http(s)://host[:port]} from a {@code Host} header value, or empty when it is not in the strict form. */
  static Optional<String> baseUrl(boolean secure, String hostHeader) {
    String h = hostHeader.toLowerCase(Locale.ROOT);
    String host;
    String port = null;
    if (h.startsWith("[")) {
      int close = h.indexOf(']');
      if (close < 0 || !isIpv6(h.substring(1, close))) {
        return Optional.empty();
      }
      host = h.substring(0, close + 1);
      String rest = h.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          return Optional.empty();
        }
        port = rest.substring(1);
      }
    } else {
      int colon = h.indexOf(':');
      host = colon < 0 ? h : h.substring(0, colon);
      port = colon < 0 ? null : h.substring(colon + 1);
      if (!isName(host)) {
        return Optional.empty();
      }
    }
    if (port != null && !isPort(port)) {
      return Optional.empty();
    }
    return Optional.of((secure ? "https://" : "http://") + host + (port == null ? "" : ":" + port));
  }

  /** Dot-separated labels of 1–63 letters, digits, {@code -} and {@code _}, not starting or ending with {@code -}. */
  private static boolean isName(String host) {
    if (host.isEmpty() || host.length() > MAX_HOST) {
      return false;
    }
    String[] labels = host.split("\\.", -1);
    boolean numeric = true;
    for (String label : labels) {
      if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
        return false;
      }
      for (int i = 0; i < label.length(); i++) {
        char c = label.charAt(i);
        boolean digit = c >= '0' && c <= '9';
        if (!(digit || (c >= 'a' && c <= 'z') || c == '-' || c == '_')) {
          return false;
        }
        numeric &= digit;
      }
    }
    // All digits reads as an IPv4 address: four parts of 0–255 without leading zeros (no "1.2.3" or
    // octal look-alikes, which resolvers read in more than one way).
    return !numeric || isIpv4(host);
  }

  private static boolean isIpv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0') || !p.chars().allMatch(Character::isDigit)
          || Integer.parseInt(p) > 255) {
        return false;
      }
    }
    return true;
  }

  /** RFC 4291 §2.2 text forms: eight groups of 1–4 hex digits, one {@code ::} at most, an IPv4 tail allowed; no zone. */
  private static boolean isIpv6(String s) {
    if (s.length() < 2 || s.length() > 45) {
      return false;
    }
    int gap = s.indexOf("::");
    if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
      return false;
    }
    String body = s;
    int groups = 0;
    int lastColon = s.lastIndexOf(':');
    String tail = s.substring(lastColon + 1);
    if (tail.contains(".")) {
      if (!isIpv4(tail)) {
        return false;
      }
      groups += 2;
      body = s.substring(0, lastColon + 1);
      if (body.endsWith(":") && !body.endsWith("::")) {
        body = body.substring(0, body.length() - 1);
      }
    }
    if (!body.isEmpty() && !body.equals("::")) {
      String trimmed = body;
      if (trimmed.startsWith("::")) {
        trimmed = trimmed.substring(2);
      } else if (trimmed.startsWith(":")) {
        return false;
      }
      if (trimmed.endsWith("::")) {
        trimmed = trimmed.substring(0, trimmed.length() - 2);
      } else if (trimmed.endsWith(":")) {
        return false;
      }
      for (String g : trimmed.split(":", -1)) {
        if (g.isEmpty()) {
          continue; // the one "::" in the middle
        }
        if (g.length() > 4 || !g.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
          return false;
        }
        groups++;
      }
    }
    return gap >= 0 ? groups < 8 : groups == 8;
  }

  private static boolean isPort(String p) {
    if (p.isEmpty() || p.length() > 5 || p.charAt(0) == '0' || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return false;
    }
    return Integer.parseInt(p) <= 65_535;
  }
}
