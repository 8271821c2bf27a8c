package dev.keyward.server.http;

import dev.keyward.core.auth.Actor;
import dev.keyward.core.auth.Authenticator;
import dev.keyward.core.auth.Principal;
import dev.keyward.core.error.KeywardException;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Authenticates a request: the {@code Authorization} header, the tenant asked for (the {@code
 * X-Keyward-Tenant} header, else the host name through the configured pattern), the issuer access
 * tokens must name ({@link RequestIssuer}), and the caller's address ({@link ClientAddress}) for
 * decisions and the audit log. Credentials in the URL are refused: URLs end up in logs.
 */
public final class Authn {
  public static final HeaderName TENANT_HEADER = HeaderNames.create("X-Keyward-Tenant");
  private static final Set<String> URL_CREDENTIALS = Set.of("api_key", "apikey", "key", "access_token", "token", "password");

  private final Authenticator authenticator;
  private final @Nullable TenantHosts tenantHosts;
  private final RequestIssuer issuer;
  private final ClientAddress addresses;

  public Authn(Authenticator authenticator, @Nullable TenantHosts tenantHosts, RequestIssuer issuer, ClientAddress addresses) {
    this.authenticator = authenticator;
    this.tenantHosts = tenantHosts;
    this.issuer = issuer;
    this.addresses = addresses;
  }

  /** The issuer of this request's tokens. */
  public String issuer(ServerRequest req) {
    return issuer.of(req);
  }

  public Actor actor(ServerRequest req) {
    return actor(req, req.headers().all(HeaderNames.AUTHORIZATION, List::of));
  }

  /** Authenticates with the given Authorization values instead of the request's own. */
  public Actor actor(ServerRequest req, List<String> authorization) {
    for (String name : req.query().names()) {
      if (URL_CREDENTIALS.contains(name.toLowerCase(Locale.ROOT))) {
        throw KeywardException.invalid("Credentials are not accepted in the URL; use the Authorization header");
      }
    }
    String ip = ip(req);
    Principal principal = authenticator.authenticate(authorization, tenant(req), ip, issuer.of(req));
    return new Actor(principal, ip);
  }

  /** The tenant this request asks for by header or host name, or null (see {@link #requestedTenant(ServerRequest, TenantHosts)}). */
  public @Nullable String tenant(ServerRequest req) {
    return requestedTenant(req, tenantHosts);
  }

  /**
   * The tenant a request asks for: its {@code X-Keyward-Tenant} header, else its host name through
   * {@code hosts}, else null.
   *
   * @throws KeywardException 400 when the header is sent more than once
   */
  public static @Nullable String requestedTenant(ServerRequest req, @Nullable TenantHosts hosts) {
    List<String> values = req.headers().all(TENANT_HEADER, List::of);
    if (values.size() > 1) {
      throw KeywardException.invalid("Send at most one X-Keyward-Tenant header");
    }
    if (values.size() == 1) {
      return values.get(0).strip();
    }
    if (hosts != null) {
      return req.headers().first(HeaderNames.HOST).flatMap(hosts::slugOf).orElse(null);
    }
    return null;
  }

  /** The caller's address, as decisions and the audit log see it (see {@link ClientAddress}). */
  public @Nullable String ip(ServerRequest req) {
    return addresses.of(req);
  }
}
