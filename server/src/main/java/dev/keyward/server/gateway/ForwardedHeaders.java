package dev.keyward.server.gateway;

import dev.keyward.core.auth.Principal;
import io.helidon.http.ClientRequestHeaders;
import io.helidon.http.ClientResponseHeaders;
import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.ServerResponseHeaders;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which headers cross the gateway, each way.
 *
 * <p>To the upstream: everything the caller sent except the caller's credential
 * ({@code Authorization}), every {@code X-Keyward-*} header (only the gateway says who the caller
 * is), hop-by-hop headers (RFC 9110 §7.6.1, and any named in {@code Connection}), and forwarding
 * headers from a peer that is not a trusted proxy. Then {@code X-Forwarded-For}, {@code -Proto} and
 * {@code -Host}, and the decided identity: {@code X-Keyward-User} (user id), {@code
 * X-Keyward-Tenant} (tenant slug), {@code X-Keyward-Key-Id} (when the credential is a key), {@code
 * X-Keyward-Roles} (sorted, comma-joined) and {@code X-Keyward-Environment}.
 *
 * <p>To the caller: everything the upstream answered except hop-by-hop headers and the CORS
 * headers the gateway owns ({@code Access-Control-Allow-Origin}, {@code -Credentials}).
 */
final class ForwardedHeaders {
  static final HeaderName USER = HeaderNames.create("X-Keyward-User");
  static final HeaderName TENANT = HeaderNames.create("X-Keyward-Tenant");
  static final HeaderName KEY_ID = HeaderNames.create("X-Keyward-Key-Id");
  static final HeaderName ROLES = HeaderNames.create("X-Keyward-Roles");
  static final HeaderName ENVIRONMENT = HeaderNames.create("X-Keyward-Environment");

  private static final String KEYWARD_PREFIX = "x-keyward-";

  /** Hop-by-hop headers, both ways (RFC 9110 §7.6.1, and the older non-standard forms). */
  private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection", "te", "trailer",
      "transfer-encoding", "upgrade", "proxy-authorization", "proxy-authenticate");

  /**
   * Request headers never passed as received: framing the upstream client sets itself, the
   * caller's credential, and the forwarding headers the gateway sets.
   */
  private static final Set<String> NOT_FORWARDED = union(HOP_BY_HOP, Set.of("host", "content-length", "expect",
      "authorization", "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host"));

  /** Forwarding headers believed (and so passed on) only from a trusted proxy. */
  private static final Set<String> FROM_TRUSTED_PROXY = Set.of("forwarded", "x-real-ip", "x-forwarded-port",
      "x-forwarded-prefix");

  /** Response headers never passed back: framing the server sets itself, and the gateway's CORS headers. */
  private static final Set<String> NOT_RETURNED = union(HOP_BY_HOP, Set.of("content-length",
      "access-control-allow-origin", "access-control-allow-credentials"));

  /** Headers with which some frameworks let a request claim another method or path than its own. */
  private static final List<HeaderName> OVERRIDES = List.of(
      HeaderNames.create("X-HTTP-Method-Override"), HeaderNames.create("X-HTTP-Method"),
      HeaderNames.create("X-Method-Override"), HeaderNames.create("X-Original-Method"),
      HeaderNames.create("X-Original-URL"), HeaderNames.create("X-Rewrite-URL"));

  private ForwardedHeaders() {}

  /** The name of the first method or path override header the request carries, or null. */
  static @Nullable String overrideHeader(Headers in) {
    for (HeaderName name : OVERRIDES) {
      if (in.contains(name)) {
        return name.defaultCase();
      }
    }
    return null;
  }

  /**
   * Who and where the request comes from, as the upstream is told.
   *
   * @param peer the address of the TCP peer (the caller, or the proxy in front), if known
   * @param peerTrusted the peer is a configured trusted proxy: its forwarding headers are kept
   * @param secure the request reached Keyward over TLS
   * @param principal who the decision found, or null for a public route
   */
  record Caller(@Nullable String peer, boolean peerTrusted, boolean secure, @Nullable Principal principal) {}

  /** Copies the caller's request headers to the upstream request, as the class comment says. */
  static void toUpstream(Headers in, ClientRequestHeaders out, Caller caller) {
    Set<String> named = connectionNamed(in);
    for (Header h : in) {
      String name = h.headerName().lowerCase();
      if (NOT_FORWARDED.contains(name) || name.startsWith(KEYWARD_PREFIX)
          || (!caller.peerTrusted() && FROM_TRUSTED_PROXY.contains(name)) || (named != null && named.contains(name))) {
        continue;
      }
      out.add(h);
    }
    forwarding(in, out, caller);
    identity(out, caller.principal());
  }

  private static void forwarding(Headers in, ClientRequestHeaders out, Caller caller) {
    List<String> chain = new ArrayList<>();
    if (caller.peerTrusted()) {
      chain.addAll(in.all(HeaderNames.X_FORWARDED_FOR, List::of));
    }
    if (caller.peer() != null) {
      chain.add(caller.peer());
    }
    if (!chain.isEmpty()) {
      out.set(HeaderNames.X_FORWARDED_FOR, String.join(", ", chain));
    }
    String proto = caller.peerTrusted() ? in.first(HeaderNames.X_FORWARDED_PROTO).orElse(null) : null;
    out.set(HeaderNames.X_FORWARDED_PROTO, proto != null ? proto : caller.secure() ? "https" : "http");
    String host = caller.peerTrusted() ? in.first(HeaderNames.X_FORWARDED_HOST).orElse(null) : null;
    if (host == null) {
      host = in.first(HeaderNames.HOST).orElse(null);
    }
    if (host != null) {
      out.set(HeaderNames.X_FORWARDED_HOST, host);
    }
  }

  private static void identity(ClientRequestHeaders out, @Nullable Principal who) {
    if (who == null) {
      return;
    }
    out.set(USER, who.userId());
    out.set(TENANT, who.tenantSlug());
    if (who.keyId() != null) {
      out.set(KEY_ID, who.keyId());
    }
    if (!who.roles().isEmpty()) {
      List<String> roles = new ArrayList<>(who.roles());
      roles.sort(null);
      out.set(ROLES, String.join(",", roles));
    }
    if (who.environment() != null) {
      out.set(ENVIRONMENT, who.environment().wireName());
    }
  }

  /** Copies the upstream's answer headers to the caller's answer, as the class comment says. */
  static void toCaller(ClientResponseHeaders in, ServerResponseHeaders out) {
    Set<String> named = connectionNamed(in);
    for (Header h : in) {
      String name = h.headerName().lowerCase();
      if (NOT_RETURNED.contains(name) || (named != null && named.contains(name))) {
        continue;
      }
      out.set(h);
    }
  }

  /** The header names a {@code Connection} header lists (they are hop-by-hop too), or null. */
  private static @Nullable Set<String> connectionNamed(Headers headers) {
    List<String> values = headers.all(HeaderNames.CONNECTION, List::of);
    Set<String> named = null;
    for (String v : values) {
      for (String token : v.split(",")) {
        String t = token.strip().toLowerCase(Locale.ROOT);
        if (!t.isEmpty() && !t.equals("close") && !t.equals("keep-alive")) {
          if (named == null) {
            named = new HashSet<>();
          }
          named.add(t);
        }
      }
    }
    return named;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }
}
