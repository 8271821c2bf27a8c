package dev.keyward.server.api;

import dev.keyward.core.auth.Actor;
import dev.keyward.core.error.ErrorCode;
import dev.keyward.core.error.KeywardException;
import dev.keyward.core.token.AccessTokens;
import dev.keyward.core.token.OAuthException;
import dev.keyward.core.token.RevocationList;
import dev.keyward.core.token.SigningKeyRotation;
import dev.keyward.core.token.SigningKeys;
import dev.keyward.core.token.TokenClaims;
import dev.keyward.core.token.TokenService;
import dev.keyward.server.http.Api;
import dev.keyward.server.http.Authn;
import dev.keyward.server.http.Bodies;
import dev.keyward.server.http.ErrorResponses;
import dev.keyward.server.http.Params;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The token endpoints: the OAuth2 token endpoint (RFC 6749), the key-for-token exchange that SDKs
 * use, discovery (RFC 8414), the JWK Set, introspection (RFC 7662) and revocation (RFC 7009).
 * Errors here take the RFC 6749 §5.2 shape. Tokens are issued and checked under the request's
 * issuer (the configured one, or the request's base URL: {@link dev.keyward.server.http.RequestIssuer}).
 */
public final class TokenEndpoints {
  private final TokenService tokens;
  private final AccessTokens access;
  private final SigningKeys signingKeys;
  private final RevocationList revocations;
  private final Authn authn;
  private final SigningKeyRotation rotation;

  public TokenEndpoints(TokenService tokens, AccessTokens access, SigningKeys signingKeys, RevocationList revocations,
      SigningKeyRotation rotation, Authn authn) {
    this.rotation = rotation;
    this.tokens = tokens;
    this.access = access;
    this.signingKeys = signingKeys;
    this.revocations = revocations;
    this.authn = authn;
  }

  public void register(Api api) {
    api.post("/api/v1/token", oauth(this::token))
        .post("/auth/api-key", oauth(this::exchange))
        .post("/auth/refresh", oauth(this::refresh))
        .get("/.well-known/oauth-authorization-server", this::metadata)
        .get("/.well-known/jwks.json", this::jwks)
        .post("/oauth/introspect", oauth(this::introspect))
        .post("/oauth/revoke", oauth(this::revoke))
        .post("/api/v1/signing-keys/rotate", this::rotate)
        .post("/api/v1/auth", this::userToken);
  }

  record UserLoginRequest(@Nullable String login, @Nullable String password) {}

  private void userToken(ServerRequest req, ServerResponse res) {
    Actor partner = authn.actor(req);
    UserLoginRequest body = Bodies.read(req, UserLoginRequest.class);
    TokenService.UserToken token = tokens.userToken(partner.principal(), Fields.required(body.login(), "login"),
        dev.keyward.core.secret.Secret.of(Fields.required(body.password(), "password")), Authn.ip(req), authn.issuer(req));
    Bodies.ok(res, Map.of("user_token", token.token(), "expires_in", token.lifetime().toSeconds()));
  }

  private void rotate(ServerRequest req, ServerResponse res) {
    String kid = rotation.rotate(authn.actor(req));
    Bodies.ok(res, Map.of("kid", kid, "algorithm", signingKeys.activeAlgorithm().joseName()));
  }

  /** Client credentials from an HTTP Basic header (RFC 6749 §2.3.1: each part form-encoded). */
  private record BasicClient(String id, String secret) {}

  private void token(ServerRequest req, ServerResponse res) {
    String issuer = issuer(req);
    Params p = Params.read(req);
    String grant = p.get("grant_type");
    if (grant == null) {
      throw new OAuthException(OAuthException.Code.INVALID_REQUEST, "grant_type is required");
    }
    String ip = Authn.ip(req);
    TokenService.TokenPair pair = switch (grant) {
      case "client_credentials" -> {
        BasicClient basic = basicClient(req);
        if (basic != null && (p.get("client_secret") != null || p.get("client_id") != null)) {
          throw new OAuthException(OAuthException.Code.INVALID_REQUEST, "Authenticate the client one way only: Basic header or body");
        }
        if (basic != null && basic.secret().isEmpty() && dev.keyward.core.key.ApiKeyFormat.looksLikeKey(basic.id())) {
          basic = new BasicClient("", basic.id()); // an API key as the Basic user name, as on every other endpoint
        }
        String secret = basic != null ? basic.secret() : p.get("client_secret");
        if (secret == null || secret.isEmpty()) {
          throw new OAuthException(OAuthException.Code.INVALID_CLIENT, "Client authentication failed", basic != null);
        }
        String clientId = basic != null ? (basic.id().isEmpty() ? null : basic.id()) : p.get("client_id");
        yield tokens.clientCredentials(clientId, secret, p.get("scope"), basic != null, ip, issuer);
      }
      // A person or service account in several tenants picks one with X-Keyward-Tenant, as everywhere.
      case "password" -> tokens.password(required(p, "username"), dev.keyward.core.secret.Secret.of(required(p, "password")),
          p.get("scope"), req.headers().first(Authn.TENANT_HEADER).orElse(null), ip, issuer);
      case "refresh_token" -> tokens.refresh(required(p, "refresh_token"), p.get("scope"), issuer);
      default -> throw new OAuthException(OAuthException.Code.UNSUPPORTED_GRANT_TYPE,
          "Supported grant types: client_credentials, password, refresh_token");
    };
    answer(res, pair);
  }

  private void exchange(ServerRequest req, ServerResponse res) {
    String issuer = issuer(req);
    Params p = Params.read(req);
    answer(res, tokens.exchangeKey(required(p, "apiKey"), p.get("scope"), Authn.ip(req), issuer));
  }

  private void refresh(ServerRequest req, ServerResponse res) {
    String issuer = issuer(req);
    Params p = Params.read(req);
    answer(res, tokens.refresh(required(p, "refreshToken"), p.get("scope"), issuer));
  }

  /**
   * RFC 8414: the issuer is the one tokens of this request carry, and the endpoints hang off it
   * (configured: the public URL, whatever Host a proxy forwards; derived: the request's base URL).
   */
  private void metadata(ServerRequest req, ServerResponse res) {
    String issuer = authn.issuer(req);
    String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("issuer", issuer);
    m.put("token_endpoint", base + "/api/v1/token");
    m.put("jwks_uri", base + "/.well-known/jwks.json");
    m.put("introspection_endpoint", base + "/oauth/introspect");
    m.put("revocation_endpoint", base + "/oauth/revoke");
    m.put("grant_types_supported", List.of("client_credentials", "password", "refresh_token"));
    m.put("response_types_supported", List.of());
    m.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
    m.put("introspection_endpoint_auth_methods_supported", List.of("client_secret_basic", "bearer"));
    m.put("revocation_endpoint_auth_methods_supported", List.of("client_secret_basic", "bearer"));
    Bodies.ok(res, m);
  }

  private void jwks(ServerRequest req, ServerResponse res) {
    res.header(Bodies.JSON_TYPE);
    res.header(HeaderNames.CACHE_CONTROL, "public, max-age=60");
    res.send(signingKeys.jwks().getBytes(StandardCharsets.UTF_8));
  }

  private void introspect(ServerRequest req, ServerResponse res) {
    String issuer = issuer(req);
    Actor caller = caller(req);
    Params p = Params.read(req);
    Optional<TokenClaims> claims = tokens.introspect(caller, required(p, "token"), revocations, issuer);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("active", claims.isPresent());
    claims.ifPresent(c -> {
      m.put("sub", c.userId());
      m.put("username", c.email());
      m.put("client_id", c.clientId());
      m.put("scope", String.join(" ", c.scope().stream().sorted().toList()));
      m.put("token_type", "Bearer");
      m.put("exp", c.expiresAt().getEpochSecond());
      m.put("iat", c.issuedAt().getEpochSecond());
      m.put("iss", issuer);
      m.put("jti", c.jti());
      m.put("tenant", c.tenantSlug());
      m.put("tenant_id", c.tenantId());
      if (c.keyId() != null) {
        m.put("key_id", c.keyId());
      }
      if (c.environment() != null) {
        m.put("environment", c.environment().wireName());
      }
    });
    Bodies.ok(res, m);
  }

  private void revoke(ServerRequest req, ServerResponse res) {
    String issuer = issuer(req);
    Actor caller = caller(req);
    Params p = Params.read(req);
    tokens.revoke(caller, required(p, "token"), issuer);
    res.header(HeaderNames.CACHE_CONTROL, "no-store");
    res.status(200).send();
  }

  /** The authenticated caller of introspection and revocation; a refusal is {@code invalid_client}. */
  private Actor caller(ServerRequest req) {
    try {
      // OAuth clients form-encode the id and secret inside Basic (RFC 6749 §2.3.1): decode them
      // here, on the OAuth endpoints only, before the usual authentication.
      String header = req.headers().first(HeaderNames.AUTHORIZATION).orElse("");
      BasicClient basic = header.regionMatches(true, 0, "Basic ", 0, 6) ? basicClient(req) : null;
      if (basic != null) {
        String plain = Base64.getEncoder().encodeToString((basic.id() + ":" + basic.secret()).getBytes(StandardCharsets.UTF_8));
        return authn.actor(req, List.of("Basic " + plain));
      }
      return authn.actor(req);
    } catch (KeywardException e) {
      if (e.code().status() == 401) {
        throw new OAuthException(OAuthException.Code.INVALID_CLIENT, "Client authentication failed", true);
      }
      throw e;
    }
  }

  private void answer(ServerResponse res, TokenService.TokenPair pair) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("access_token", pair.access().token());
    m.put("token_type", "Bearer");
    m.put("expires_in", access.lifetime().toSeconds());
    if (pair.refreshToken() != null) {
      m.put("refresh_token", pair.refreshToken().reveal());
    }
    m.put("scope", String.join(" ", pair.scope().stream().sorted().toList()));
    res.header(HeaderNames.PRAGMA, "no-cache");
    Bodies.ok(res, m);
  }

  private static String required(Params p, String name) {
    String v = p.get(name);
    if (v == null) {
      throw new OAuthException(OAuthException.Code.INVALID_REQUEST, name + " is required");
    }
    return v;
  }

  private static @Nullable BasicClient basicClient(ServerRequest req) {
    List<String> auth = req.headers().all(HeaderNames.AUTHORIZATION, List::of);
    if (auth.isEmpty()) {
      return null;
    }
    String h = auth.get(0);
    if (auth.size() > 1 || h.length() < 6 || !h.regionMatches(true, 0, "Basic ", 0, 6)) {
      throw new OAuthException(OAuthException.Code.INVALID_CLIENT, "Client authentication failed", true);
    }
    try {
      String decoded = new String(Base64.getDecoder().decode(h.substring(6).strip()), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException("no colon");
      }
      return new BasicClient(java.net.URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
          java.net.URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new OAuthException(OAuthException.Code.INVALID_CLIENT, "Client authentication failed", true);
    }
  }

  /** The request's issuer; a bad Host header is an {@code invalid_request} in the RFC 6749 shape here. */
  private String issuer(ServerRequest req) {
    try {
      return authn.issuer(req);
    } catch (KeywardException e) {
      throw new OAuthException(OAuthException.Code.INVALID_REQUEST, e.publicMessage());
    }
  }

  /** Renders OAuth errors (and store outages) of a handler in the RFC 6749 shape. */
  private static Handler oauth(Handler h) {
    return (req, res) -> {
      try {
        h.handle(req, res);
      } catch (OAuthException e) {
        ErrorResponses.oauth(res, e);
      } catch (KeywardException e) {
        if (e.code() == ErrorCode.UNAVAILABLE) {
          ErrorResponses.oauth(res, new OAuthException(OAuthException.Code.TEMPORARILY_UNAVAILABLE, "Try again shortly"));
        } else {
          throw e;
        }
      }
    };
  }
}
