package dev.keyward.core.authz;

import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A web origin as a browser's {@code Origin} header carries it, {@code scheme://host[:port]},
 * normalised: scheme and host in lower case, host without a trailing dot and in punycode, the
 * port always explicit here and left out of {@link #toString()} when it is the scheme's default.
 * Only {@code http} and {@code https} origins exist for Keyward; IP-literal hosts are read as
 * names (IPv4 digits and dots pass, bracketed IPv6 literals are not supported).
 *
 * @param scheme {@code http} or {@code https}
 * @param host a normalised host name (see {@link HostNames})
 * @param port 1 to 65535
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6454#section-7">RFC 6454 §7, the Origin header</a>
 */
public record WebOrigin(String scheme, String host, int port) {
  /** Longer input is not an origin: a 253-character host with scheme and port stays well below. */
  static final int MAX_TEXT = 300;

  public WebOrigin {
    if (!(scheme.equals("http") || scheme.equals("https"))
        || !HostNames.normalise(host).equals(Optional.of(host))
        || port < 1 || port > 65_535) {
      throw new IllegalArgumentException("not a normalised web origin");
    }
  }

  /**
   * The origin for {@code text}, or empty for anything else: {@code null}, {@code *}, a path (even
   * a lone {@code /}), user info, query, fragment, percent-encoding, white space, an empty or
   * non-decimal port, another scheme.
   */
  /**
   * The origin a browser call comes from: its {@code Origin} header, else the origin part of its
   * {@code Referer} (browsers send one without the other on some same-origin and navigation
   * requests), else null for a native call. A referrer that is not an http(s) URL gives
   * {@code "null"}, which no key allows.
   */
  public static @Nullable String ofCall(@Nullable String origin, @Nullable String referer) {
    if (origin != null || referer == null) {
      return origin;
    }
    int scheme = referer.indexOf("://");
    if (scheme <= 0) {
      return "null";
    }
    int end = scheme + 3;
    while (end < referer.length() && "/?#".indexOf(referer.charAt(end)) < 0) {
      end++;
    }
    return referer.substring(0, end);
  }

  public static Optional<WebOrigin> parse(String text) {
    int separator = text.indexOf("://");
    if (text.length() > MAX_TEXT || separator < 0) {
      return Optional.empty();
    }
    String scheme = text.substring(0, separator).toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https"))) {
      return Optional.empty();
    }
    return parseAuthority(scheme, text.substring(separator + 3));
  }

  /** {@code host[:port]} with nothing else around it, for {@code scheme}. */
  static Optional<WebOrigin> parseAuthority(String scheme, String authority) {
    int colon = authority.lastIndexOf(':');
    String hostText = colon < 0 ? authority : authority.substring(0, colon);
    int port = colon < 0 ? defaultPort(scheme) : port(authority.substring(colon + 1));
    if (port < 0 || hostText.indexOf(':') >= 0 || hasDelimiter(hostText)) {
      return Optional.empty();
    }
    return HostNames.normalise(hostText).map(host -> new WebOrigin(scheme, host, port));
  }

  /** 443 for https, 80 for http. */
  static int defaultPort(String scheme) {
    return scheme.equals("https") ? 443 : 80;
  }

  /** {@code scheme://host}, with {@code :port} only when it is not the default one. */
  @Override
  public String toString() {
    return scheme + "://" + host + (port == defaultPort(scheme) ? "" : ":" + port);
  }

  /** A decimal port 1 to 65535 without sign or leading zero, or -1. */
  private static int port(String digits) {
    if (digits.isEmpty() || digits.length() > 5 || digits.charAt(0) == '0') {
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
    return value <= 65_535 ? value : -1;
  }

  /**
   * True when {@code host} holds a character that ends or escapes a URL host: IDN mapping must
   * never be the step that turns such a string into a name.
   */
  private static boolean hasDelimiter(String host) {
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (c <= ' ' || c == 0x7f || "/\\?#@%[]*".indexOf(c) >= 0) {
        return true;
      }
    }
    return false;
  }
}
