package dev.keyward.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.JWSVerifierFactory;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.GrantType;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResourceOwnerPasswordCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Token;
import dev.keyward.server.api.Fixtures.NewKey;
import dev.keyward.server.api.Fixtures.NewUser;
import dev.keyward.server.testing.TestHttp;
import dev.keyward.server.testing.TestHttp.Auth;
import dev.keyward.server.testing.TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.security.Key;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jspecify.annotations.Nullable;

/**
 * The token endpoints driven by a well-known OAuth 2.0 client library, the Nimbus OAuth 2.0 SDK
 * (issue 3), as a real client would: discover the server (RFC 8414), obtain tokens with the
 * client-credentials, password and refresh grants, validate access tokens locally against the
 * JWK Set (RFC 9068 profile), introspect (RFC 7662) and revoke (RFC 7009) them. Every request is
 * built and every answer parsed by the SDK; the endpoints come from the discovered metadata only.
 */
class OAuthClientLibraryIT {
  private static final String WELL_KNOWN = "/.well-known/oauth-authorization-server";

  static TestServer server;
  static TestHttp http;
  /** The discovered metadata; every later call goes to an endpoint named here. */
  static AuthorizationServerMetadata metadata;
  /** The issuer as the metadata states it: tokens must carry it as {@code iss} and {@code aud}. */
  static String issuer;
  /** Validates access tokens as a resource server would: JWKS, EdDSA, at+jwt, iss/aud/exp/sub. */
  static DefaultJWTProcessor<SecurityContext> jwtProcessor;

  /** A programmatic user (roles admin and owner): client id = its email, secret = its password. */
  static NewUser robot;
  /** An admin key of the owner, used as the Bearer credential of the introspecting resource server. */
  static NewKey adminKey;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
    http = server.http();
    robot = Fixtures.programmatic(http, server.owner(), "admin", "owner");
    adminKey = Fixtures.adminKey(http, server.owner());

    HTTPRequest get = new HTTPRequest(HTTPRequest.Method.GET, URI.create(http.base() + WELL_KNOWN));
    HTTPResponse answer = send(get);
    assertThat(answer.getStatusCode()).as(answer.getBody()).isEqualTo(200);
    metadata = AuthorizationServerMetadata.parse(answer.getBodyAsJSONObject());
    issuer = metadata.getIssuer().getValue();

    JWKSource<SecurityContext> jwks = JWKSourceBuilder.create(metadata.getJWKSetURI().toURL()).retrying(false).build();
    jwtProcessor = processor(jwks, issuer);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  // ----- discovery (RFC 8414) -----

  @Test
  void discoveryWhenParsedBySdkThenNamesThisServersEndpointsGrantsAndAuthMethods() throws Exception {
    String base = http.base();
    // RFC 8414 §2: an http(s) URL without query or fragment (the SDK's Issuer.isValid wants https).
    URI iss = URI.create(issuer);
    assertThat(iss.getScheme()).as(issuer).isIn("http", "https");
    assertThat(iss.getHost()).as(issuer).isNotBlank();
    assertThat(iss.getQuery()).as(issuer).isNull();
    assertThat(iss.getFragment()).as(issuer).isNull();
    assertThat(metadata.getTokenEndpointURI()).isEqualTo(URI.create(base + "/api/v1/token"));
    assertThat(metadata.getJWKSetURI()).isEqualTo(URI.create(base + "/.well-known/jwks.json"));
    assertThat(metadata.getIntrospectionEndpointURI()).isEqualTo(URI.create(base + "/oauth/introspect"));
    assertThat(metadata.getRevocationEndpointURI()).isEqualTo(URI.create(base + "/oauth/revoke"));
    assertThat(metadata.getGrantTypes())
        .containsExactlyInAnyOrder(GrantType.CLIENT_CREDENTIALS, GrantType.PASSWORD, GrantType.REFRESH_TOKEN);
    assertThat(metadata.getTokenEndpointAuthMethods())
        .contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC, ClientAuthenticationMethod.CLIENT_SECRET_POST);

    // The JWK Set the metadata points to holds the public key of the EdDSA tokens, and no private part.
    JWKSet set = JWKSet.parse(send(new HTTPRequest(HTTPRequest.Method.GET, metadata.getJWKSetURI())).getBody());
    String kid = SignedJWT.parse(clientCredentials(robotPost(), null).getTokens().getAccessToken().getValue()).getHeader().getKeyID();
    assertThat(set.getKeyByKeyId(kid)).as("kid %s in %s", kid, set).isNotNull();
    assertThat(set.getKeys()).allSatisfy(k -> assertThat(k.isPrivate()).as(k.getKeyID()).isFalse());
  }

  @Test
  void discoveryWhenIssuerConfiguredThenSdkResolvesItFromTheIssuerAlone() throws Exception {
    // RFC 8414 §3: the client knows only the issuer; the SDK builds the well-known URL from it and
    // checks that the document names the same issuer. The issuer must be the server's own address,
    // so the port is chosen before the server starts (retried should another process take it).
    for (int attempt = 1; ; attempt++) {
      int port = freePort();
      String configured = "http://127.0.0.1:" + port;
      TestServer other;
      try {
        other = TestServer.start(c -> c.withPort(port).withTokens(c.tokens().withIssuer(configured)));
      } catch (RuntimeException e) {
        if (attempt < 3) {
          continue;
        }
        throw e;
      }
      try (other) {
        AuthorizationServerMetadata resolved = AuthorizationServerMetadata.resolve(new Issuer(configured), 5_000, 10_000);
        assertThat(resolved.getIssuer()).isEqualTo(new Issuer(configured));
        assertThat(resolved.getTokenEndpointURI()).isEqualTo(URI.create(configured + "/api/v1/token"));
        // A token from the resolved endpoint carries that issuer and validates against the resolved JWK Set.
        NewUser svc = Fixtures.programmatic(other.http(), other.owner());
        TokenResponse answer = TokenResponse.parse(send(new TokenRequest.Builder(resolved.getTokenEndpointURI(),
            new ClientSecretBasic(new ClientID(svc.email()), new Secret(svc.password())), new ClientCredentialsGrant()).build().toHTTPRequest()));
        assertThat(answer.indicatesSuccess()).isTrue();
        JWKSource<SecurityContext> jwks = JWKSourceBuilder.create(resolved.getJWKSetURI().toURL()).retrying(false).build();
        JWTClaimsSet claims = processor(jwks, configured).process(answer.toSuccessResponse().getTokens().getAccessToken().getValue(), null);
        assertThat(claims.getIssuer()).isEqualTo(configured);
        assertThat(claims.getSubject()).isEqualTo(svc.id());
      }
      return;
    }
  }

  // ----- client_credentials (RFC 6749 §4.4) -----

  @Test
  void clientCredentialsWhenApiKeyWithClientSecretBasicThenTokenOfTheKeyWithoutRefreshToken() throws Exception {
    TestHttp.Response me = http.get("/api/v1/me", adminKey.bearer());
    assertThat(me.status()).as(me.body()).isEqualTo(200);
    String keyId = me.json().path("credential").path("keyId").asText();
    String ownerId = me.text("userId");
    assertThat(keyId).isEqualTo(adminKey.id());

    HTTPResponse raw = send(tokenRequest(new ClientSecretBasic(new ClientID(keyId), new Secret(adminKey.key())), new ClientCredentialsGrant()));
    assertThat(raw.getCacheControl()).isEqualTo("no-store");
    AccessTokenResponse ok = success(raw);
    AccessToken token = ok.getTokens().getAccessToken();
    assertThat(token.getType()).isEqualTo(AccessTokenType.BEARER);
    assertThat(token.getLifetime()).isEqualTo(3600);
    assertThat(ok.getTokens().getRefreshToken()).as("RFC 6749 §4.4.3: no refresh token").isNull();

    JWTClaimsSet claims = jwtProcessor.process(token.getValue(), null);
    assertThat(claims.getSubject()).isEqualTo(ownerId);
    assertThat(claims.getStringClaim("client_id")).isEqualTo(keyId);
    assertThat(claims.getStringClaim("key_id")).isEqualTo(keyId);
    assertThat(Scope.parse(claims.getStringClaim("scope"))).isEqualTo(token.getScope());

    // The token works as a Bearer credential on a protected endpoint, as that key's owner.
    TestHttp.Response asToken = http.get("/api/v1/me", Auth.bearer(token.getValue()));
    assertThat(asToken.status()).as(asToken.body()).isEqualTo(200);
    assertThat(asToken.text("userId")).isEqualTo(ownerId);
  }

  @Test
  void clientCredentialsWhenProgrammaticUserWithClientSecretPostThenTokenForItsEmailAndNarrowedScope() throws Exception {
    AccessTokenResponse full = clientCredentials(robotPost(), null);
    assertThat(full.getTokens().getAccessToken().getScope()).isEqualTo(new Scope("admin", "owner"));
    assertThat(full.getTokens().getRefreshToken()).isNull();
    JWTClaimsSet claims = jwtProcessor.process(full.getTokens().getAccessToken().getValue(), null);
    assertThat(claims.getSubject()).isEqualTo(robot.id());
    assertThat(claims.getStringClaim("email")).isEqualTo(robot.email());
    assertThat(claims.getStringClaim("client_id")).isEqualTo(robot.id());

    // A requested scope narrows what the credential has.
    AccessTokenResponse narrowed = clientCredentials(robotPost(), new Scope("admin"));
    assertThat(narrowed.getTokens().getAccessToken().getScope()).isEqualTo(new Scope("admin"));
    assertThat(jwtProcessor.process(narrowed.getTokens().getAccessToken().getValue(), null).getStringClaim("scope"))
        .isEqualTo("admin");
  }

  @Test
  void clientCredentialsWhenWrongSecretWithClientSecretBasicThenInvalidClient401() throws Exception {
    NewUser other = Fixtures.programmatic(http, server.owner());
    HTTPResponse raw = send(tokenRequest(new ClientSecretBasic(new ClientID(other.email()), new Secret(other.password() + "x")),
        new ClientCredentialsGrant()));
    assertThat(raw.getStatusCode()).isEqualTo(401);
    assertThat(raw.getWWWAuthenticate()).startsWith("Basic ");
    TokenResponse parsed = TokenResponse.parse(raw);
    assertThat(parsed.indicatesSuccess()).isFalse();
    ErrorObject error = parsed.toErrorResponse().getErrorObject();
    assertThat(error.getCode()).isEqualTo("invalid_client");
    assertThat(error.getHTTPStatusCode()).isEqualTo(401);

    // The right secret still works (one failure locks nothing).
    assertThat(clientCredentials(new ClientSecretBasic(new ClientID(other.email()), new Secret(other.password())), null)
        .getTokens().getAccessToken()).isNotNull();
  }

  // ----- password and refresh_token grants (RFC 6749 §4.3, §6; RFC 9700 §4.14) -----

  @Test
  void refreshWhenUsedThenRotatedAndTheSpentTokenIsInvalidGrant() throws Exception {
    AccessTokenResponse first = passwordGrant();
    RefreshToken r1 = first.getTokens().getRefreshToken();
    assertThat(r1).as("the password grant gives a refresh token").isNotNull();
    assertThat(jwtProcessor.process(first.getTokens().getAccessToken().getValue(), null).getSubject()).isEqualTo(robot.id());

    AccessTokenResponse second = success(send(tokenRequest(null, new RefreshTokenGrant(r1))));
    RefreshToken r2 = second.getTokens().getRefreshToken();
    assertThat(r2).isNotNull();
    assertThat(r2.getValue()).isNotEqualTo(r1.getValue());
    assertThat(second.getTokens().getAccessToken().getValue()).isNotEqualTo(first.getTokens().getAccessToken().getValue());
    assertThat(second.getTokens().getAccessToken().getScope()).isEqualTo(first.getTokens().getAccessToken().getScope());
    JWTClaimsSet refreshed = jwtProcessor.process(second.getTokens().getAccessToken().getValue(), null);
    assertThat(refreshed.getSubject()).isEqualTo(robot.id());

    // The spent refresh token: an error the SDK parses, invalid_grant.
    ErrorObject reuse = error(send(tokenRequest(null, new RefreshTokenGrant(r1))));
    assertThat(reuse.getCode()).isEqualTo("invalid_grant");
    assertThat(reuse.getHTTPStatusCode()).isEqualTo(400);
    // (Revocation of the whole family on a reuse past the 2 s race window: TokenEndpointsIT.)
  }

  // ----- local validation against the JWK Set (RFC 9068, RFC 8725) -----

  @Test
  void accessTokenWhenValidatedAgainstJwksThenClaimsHoldAndAnyChangeIsRefused() throws Exception {
    AccessToken token = passwordGrant().getTokens().getAccessToken();
    SignedJWT jwt = SignedJWT.parse(token.getValue());
    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.EdDSA);
    assertThat(jwt.getHeader().getType()).isEqualTo(new JOSEObjectType("at+jwt"));

    JWTClaimsSet claims = jwtProcessor.process(token.getValue(), null);
    assertThat(claims.getIssuer()).isEqualTo(issuer);
    assertThat(claims.getAudience()).containsExactly(issuer);
    assertThat(claims.getSubject()).isEqualTo(robot.id());
    assertThat(claims.getJWTID()).isNotBlank();
    Instant exp = claims.getExpirationTime().toInstant();
    assertThat(exp).isBetween(Instant.now().plusSeconds(3600 - 60), Instant.now().plusSeconds(3600 + 5));
    assertThat(Scope.parse(claims.getStringClaim("scope"))).isEqualTo(token.getScope());

    // One flipped character in the middle of the signature (full 6 bits, not padding bits).
    String text = token.getValue();
    int at = text.lastIndexOf('.') + 20;
    String tampered = text.substring(0, at) + (text.charAt(at) == 'A' ? 'B' : 'A') + text.substring(at + 1);
    assertThatThrownBy(() -> jwtProcessor.process(tampered, null)).isInstanceOf(BadJWSException.class);
    // One flipped character in the payload: the signature no longer matches either.
    int inPayload = text.indexOf('.') + 10;
    String forged = text.substring(0, inPayload) + (text.charAt(inPayload) == 'A' ? 'B' : 'A') + text.substring(inPayload + 1);
    assertThatThrownBy(() -> jwtProcessor.process(forged, null)).isInstanceOf(BadJOSEException.class);

    // The claims verifier is live: a resource server expecting another issuer refuses the token.
    JWKSource<SecurityContext> jwks = JWKSourceBuilder.create(metadata.getJWKSetURI().toURL()).retrying(false).build();
    assertThatThrownBy(() -> processor(jwks, "https://other.example").process(token.getValue(), null))
        .isInstanceOf(BadJWTException.class);
  }

  // ----- introspection (RFC 7662) and revocation (RFC 7009) -----

  @Test
  void introspectionWhenActiveThenClaimsAndAfterSdkRevocationInactive() throws Exception {
    AccessToken token = clientCredentials(robotPost(), null).getTokens().getAccessToken();
    JWTClaimsSet claims = jwtProcessor.process(token.getValue(), null);

    TokenIntrospectionSuccessResponse active = introspect(token);
    assertThat(active.isActive()).isTrue();
    assertThat(active.getSubject().getValue()).isEqualTo(robot.id());
    assertThat(active.getScope()).isEqualTo(new Scope("admin", "owner"));
    assertThat(active.getClientID()).isEqualTo(new ClientID(robot.id()));
    assertThat(active.getExpirationTime()).isEqualTo(claims.getExpirationTime());
    assertThat(active.getIssuer()).isEqualTo(new Issuer(issuer));

    HTTPResponse revoked = revoke(token);
    assertThat(revoked.getStatusCode()).as(revoked.getBody()).isEqualTo(200);

    TokenIntrospectionSuccessResponse after = introspect(token);
    assertThat(after.isActive()).isFalse();
    assertThat(after.getSubject()).isNull();
    assertThat(after.getScope()).isNull();
    // Signature and times are still fine locally, but the server no longer accepts it.
    assertThat(jwtProcessor.process(token.getValue(), null).getSubject()).isEqualTo(robot.id());
    assertThat(http.get("/api/v1/me", Auth.bearer(token.getValue())).status()).isEqualTo(401);
  }

  @Test
  void revocationWhenRefreshTokenRevokedBySdkThenRefreshIsInvalidGrant() throws Exception {
    RefreshToken refresh = passwordGrant().getTokens().getRefreshToken();
    assertThat(refresh).isNotNull();
    HTTPResponse revoked = revoke(refresh);
    assertThat(revoked.getStatusCode()).as(revoked.getBody()).isEqualTo(200);
    assertThat(error(send(tokenRequest(null, new RefreshTokenGrant(refresh)))).getCode()).isEqualTo("invalid_grant");
  }

  /**
   * BUG (not fixed here): the metadata advertises client_secret_basic for introspection and
   * revocation, but these endpoints do not form-decode the Basic user and password as RFC 6749
   * §2.3.1 requires (the token endpoint does), so the SDK's ClientSecretBasic — which sends
   * {@code svc-…%40example.com:<password>} — is refused with 401 invalid_client for every email.
   */
  @Test
  void revocationAndIntrospectionWhenClientSecretBasicAsAdvertisedThenAccepted() throws Exception {
    assertThat(metadata.getRevocationEndpointAuthMethods()).contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
    assertThat(metadata.getIntrospectionEndpointAuthMethods()).contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
    AccessToken token = clientCredentials(robotPost(), null).getTokens().getAccessToken();

    // The robot (an admin) introspects with HTTP Basic as the SDK sends it (RFC 6749 §2.3.1).
    HTTPResponse introspected = send(new TokenIntrospectionRequest(metadata.getIntrospectionEndpointURI(), robotBasic(), token)
        .toHTTPRequest());
    assertThat(introspected.getStatusCode()).as(introspected.getBody()).isEqualTo(200);
    assertThat(TokenIntrospectionResponse.parse(introspected).toSuccessResponse().isActive()).isTrue();

    HTTPResponse revoked = send(new TokenRevocationRequest(metadata.getRevocationEndpointURI(), robotBasic(), token).toHTTPRequest());
    assertThat(revoked.getStatusCode()).as(revoked.getBody()).isEqualTo(200);
    assertThat(introspect(token).isActive()).isFalse();
  }

  // ----- the client -----

  static ClientSecretPost robotPost() {
    return new ClientSecretPost(new ClientID(robot.email()), new Secret(robot.password()));
  }

  static ClientSecretBasic robotBasic() {
    return new ClientSecretBasic(new ClientID(robot.email()), new Secret(robot.password()));
  }

  static HTTPRequest tokenRequest(@Nullable ClientAuthentication auth, AuthorizationGrant grant) {
    URI endpoint = metadata.getTokenEndpointURI();
    return (auth == null ? new TokenRequest.Builder(endpoint, grant) : new TokenRequest.Builder(endpoint, auth, grant)).build()
        .toHTTPRequest();
  }

  static AccessTokenResponse clientCredentials(ClientAuthentication auth, @Nullable Scope scope) throws Exception {
    return success(send(new TokenRequest.Builder(metadata.getTokenEndpointURI(), auth, new ClientCredentialsGrant()).scope(scope)
        .build().toHTTPRequest()));
  }

  /** The password grant of the programmatic user, as a public client (no client authentication). */
  static AccessTokenResponse passwordGrant() throws Exception {
    return success(send(tokenRequest(null, new ResourceOwnerPasswordCredentialsGrant(robot.email(), new Secret(robot.password())))));
  }

  /** Introspection as a resource server holding an admin key (Bearer). */
  static TokenIntrospectionSuccessResponse introspect(Token token) throws Exception {
    HTTPResponse raw = send(new TokenIntrospectionRequest(metadata.getIntrospectionEndpointURI(),
        new BearerAccessToken(adminKey.key()), token).toHTTPRequest());
    assertThat(raw.getStatusCode()).as(raw.getBody()).isEqualTo(200);
    TokenIntrospectionResponse parsed = TokenIntrospectionResponse.parse(raw);
    assertThat(parsed.indicatesSuccess()).as(raw.getBody()).isTrue();
    return parsed.toSuccessResponse();
  }

  static AccessTokenResponse success(HTTPResponse raw) throws Exception {
    TokenResponse parsed = TokenResponse.parse(raw);
    assertThat(parsed.indicatesSuccess()).as("%s %s", raw.getStatusCode(), raw.getBody()).isTrue();
    return parsed.toSuccessResponse();
  }

  static ErrorObject error(HTTPResponse raw) throws Exception {
    TokenResponse parsed = TokenResponse.parse(raw);
    assertThat(parsed.indicatesSuccess()).as("%s %s", raw.getStatusCode(), raw.getBody()).isFalse();
    return parsed.toErrorResponse().getErrorObject();
  }

  /**
   * Revocation (RFC 7009) as the token's owner, authenticated with its API key as Bearer (the
   * metadata's "bearer" method: the SDK builds the request, the header is added to it).
   */
  static HTTPResponse revoke(Token token) throws Exception {
    HTTPRequest request = new TokenRevocationRequest(metadata.getRevocationEndpointURI(), new ClientID(robot.id()), token)
        .toHTTPRequest();
    request.setAuthorization(new BearerAccessToken(robot.defaultKey()).toAuthorizationHeader());
    return send(request);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static HTTPResponse send(HTTPRequest request) throws Exception {
    request.setConnectTimeout(5_000);
    request.setReadTimeout(10_000);
    return request.send();
  }

  /** A resource server's token check: keys from the JWK Set, EdDSA only, typ at+jwt, iss = aud = the issuer. */
  static DefaultJWTProcessor<SecurityContext> processor(JWKSource<SecurityContext> jwks, String expectedIssuer) {
    DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
    p.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
    p.setJWSKeySelector(new EdDsaKeySelector(jwks));
    p.setJWSVerifierFactory(new EdDsaVerifierFactory());
    p.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(expectedIssuer,
        new JWTClaimsSet.Builder().issuer(expectedIssuer).build(), Set.of("iss", "aud", "exp", "sub", "iat", "jti")));
    return p;
  }

  /**
   * Nimbus's JWSVerificationKeySelector matches OKP keys but then drops them, since an
   * OctetKeyPair cannot be exported as a java.security.Key (and DefaultJWSVerifierFactory has no
   * EdDSA): a stock DefaultJWTProcessor finds no key for an EdDSA token. This selector keeps the
   * algorithm allow-list and the JWK matching of the original and hands the matched OKP key on.
   */
  static final class EdDsaKeySelector extends JWSVerificationKeySelector<SecurityContext> {
    private final JWKSource<SecurityContext> source;

    EdDsaKeySelector(JWKSource<SecurityContext> source) {
      super(JWSAlgorithm.EdDSA, source);
      this.source = source;
    }

    @Override
    public List<Key> selectJWSKeys(JWSHeader header, SecurityContext context) throws KeySourceException {
      if (!isAllowed(header.getAlgorithm())) {
        return List.of();
      }
      JWKMatcher matcher = createJWKMatcher(header);
      if (matcher == null) {
        return List.of();
      }
      List<Key> keys = new ArrayList<>();
      for (JWK jwk : source.get(new JWKSelector(matcher), context)) {
        if (jwk instanceof OctetKeyPair okp && !okp.isPrivate()) {
          keys.add(new OkpKey(okp));
        }
      }
      return keys;
    }
  }

  /** A public OKP JWK carried through the processor's Key-typed plumbing. */
  record OkpKey(OctetKeyPair jwk) implements PublicKey {
    @Override
    public String getAlgorithm() {
      return "Ed25519";
    }

    @Override
    public String getFormat() {
      return "JWK";
    }

    @Override
    public byte[] getEncoded() {
      return jwk.getX().decode();
    }
  }

  /** Ed25519 verifiers (Nimbus, with Tink) for the keys {@link EdDsaKeySelector} hands on; nothing else. */
  static final class EdDsaVerifierFactory implements JWSVerifierFactory {
    private final JCAContext jca = new JCAContext();

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
      return Set.of(JWSAlgorithm.EdDSA);
    }

    @Override
    public JCAContext getJCAContext() {
      return jca;
    }

    @Override
    public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
      if (JWSAlgorithm.EdDSA.equals(header.getAlgorithm()) && key instanceof OkpKey okp) {
        return new Ed25519Verifier(okp.jwk());
      }
      throw new JOSEException("Unsupported JWS algorithm or key: " + header.getAlgorithm());
    }
  }
}
