package dev.keyward.server.api;

import static dev.keyward.server.api.Fixtures.JSON_TYPE;
import static dev.keyward.server.api.Fixtures.fields;
import static dev.keyward.server.api.Fixtures.set;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.keyward.core.token.SigningKeys;
import dev.keyward.server.api.Fixtures.NewKey;
import dev.keyward.server.api.Fixtures.NewUser;
import dev.keyward.server.testing.TestHttp;
import dev.keyward.server.testing.TestHttp.Auth;
import dev.keyward.server.testing.TestHttp.Response;
import dev.keyward.server.testing.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The token endpoints over HTTP (issue 3; SECURITY-TESTS §1b OA-01…16, §1c OA-20…29, §1d JWT-01…09,
 * §1e BCP-01…04, §2b RT-02/RT-04): the token endpoint's grants and RFC 6749 errors, the exchange
 * API, refresh rotation and reuse detection, access tokens on a protected endpoint and the attacks
 * on them, revocation, introspection and discovery. Every answer passes {@link #seen}, which fails
 * a test on any 5xx.
 */
class TokenEndpointsIT {
  /** RFC 6749 §5.2: error_description is %x20-21 / %x23-5B / %x5D-7E. */
  private static final String DESCRIPTION_CHARS = "[\\x20\\x21\\x23-\\x5B\\x5D-\\x7E]+";
  private static final String FORM = "application/x-www-form-urlencoded";

  static TestServer server;
  static TestHttp http;
  static Auth owner;
  static final AtomicInteger answers = new AtomicInteger();

  /** A programmatic user with roles admin and owner, its default key and password. */
  static NewUser robot;
  /** A person (not programmatic) with a chosen password and no roles. */
  static NewUser person;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    http = server.http();
    owner = server.owner();
    robot = Fixtures.programmatic(http, owner, "admin", "owner");
    person = Fixtures.person(http, owner);
  }

  @AfterAll
  static void stop() {
    server.close();
    assertThat(answers.get()).as("requests made through the 5xx guard").isGreaterThan(100);
  }

  // ----- calls (each answer is checked for a 5xx) -----

  static Response seen(Response r) {
    answers.incrementAndGet();
    assertThat(r.status()).as("server error: %s", r).isLessThan(500);
    return r;
  }

  static Response form(String path, Auth auth, String body) {
    return seen(http.send("POST", path, auth, body, FORM));
  }

  static Response json(String path, Auth auth, Object body) {
    return seen(http.post(path, auth, body));
  }

  static Response me(String accessToken) {
    return seen(http.get("/api/v1/me", Auth.bearer(accessToken)));
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** HTTP Basic client authentication as RFC 6749 §2.3.1 wants it: each part form-encoded first. */
  static Auth client(String id, String secret) {
    return Auth.basic(enc(id), enc(secret));
  }

  static Response exchange(String apiKey) {
    return json("/auth/api-key", Auth.NONE, Map.of("apiKey", apiKey));
  }

  static Response refresh(String refreshToken) {
    return json("/auth/refresh", Auth.NONE, Map.of("refreshToken", refreshToken));
  }

  static Response passwordGrant(String username, String password) {
    return form("/api/v1/token", Auth.NONE, "grant_type=password&username=" + enc(username) + "&password=" + enc(password));
  }

  /** A token answer: 200, the RFC 6749 §5.1 members and no-store headers; with or without a refresh token. */
  static JsonNode assertTokens(Response r, boolean withRefresh) {
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    assertThat(r.header("content-type")).isEqualTo(JSON_TYPE);
    assertThat(r.header("cache-control")).isEqualTo("no-store");
    assertThat(r.header("pragma")).isEqualTo("no-cache");
    JsonNode j = r.json();
    if (withRefresh) {
      assertThat(fields(j)).isEqualTo(set("access_token", "token_type", "expires_in", "refresh_token", "scope"));
      assertThat(j.path("refresh_token").asText()).matches("kwr_[0-9A-Za-z]{43}");
    } else {
      assertThat(fields(j)).as("client_credentials carries no refresh token (RFC 6749 §4.4.3)")
          .isEqualTo(set("access_token", "token_type", "expires_in", "scope"));
    }
    assertThat(j.path("token_type").asText()).isEqualTo("Bearer");
    assertThat(j.path("expires_in").isIntegralNumber()).isTrue();
    assertThat(j.path("expires_in").asLong()).isEqualTo(3600);
    assertThat(j.path("scope").isTextual()).isTrue();
    assertThat(j.path("access_token").asText()).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    return j;
  }

  static String accessToken(Response r) {
    return r.json().path("access_token").asText();
  }

  static String refreshToken(Response r) {
    return r.json().path("refresh_token").asText();
  }

  /** An OAuth error answer: status, code, exactly the RFC 6749 §5.2 members (+ request_id), no-store. */
  static JsonNode assertOAuthError(Response r, int status, String error) {
    assertThat(r.status()).as("%s", r).isEqualTo(status);
    assertThat(r.header("content-type")).as("%s", r).isEqualTo(JSON_TYPE);
    assertThat(r.header("cache-control")).as("%s", r).isEqualTo("no-store");
    JsonNode j = r.json();
    assertThat(j.path("error").asText()).as("%s", r).isEqualTo(error);
    assertThat(fields(j)).as("%s", r).isEqualTo(set("error", "error_description", "request_id"));
    assertThat(j.path("error_description").asText()).as("OA-12 charset of %s", r).matches(DESCRIPTION_CHARS);
    assertThat(j.path("request_id").asText()).isEqualTo(r.header("x-request-id")).isNotBlank();
    return j;
  }

  /** The body of an error without its request id (which differs every time). */
  static JsonNode sansRequestId(Response r) {
    ObjectNode j = (ObjectNode) r.json().deepCopy();
    j.remove("request_id");
    return j;
  }

  /** A refusal of a bearer token on a protected endpoint (RFC 6750 §3.1). */
  static void assertRefused(Response r) {
    assertThat(r.status()).as("%s", r).isEqualTo(401);
    assertThat(r.json().path("error").asText()).isEqualTo("invalid_credentials");
    assertThat(String.join(", ", r.headerValues("www-authenticate"))).contains("Bearer realm=\"keyward\", error=\"invalid_token\"");
  }

  /** Waits up to {@code millis} for the token to be refused on GET /api/v1/me; returns how long it took. */
  static long refusedWithin(long millis, String accessToken) throws InterruptedException {
    long took = Fixtures.eventually(millis, () -> me(accessToken).status() == 401);
    assertRefused(me(accessToken));
    return took;
  }

  // ----- 200 -----

  @Nested
  class Ok {
    @Test
    void exchangeWhenApiKeyAsJsonOrFormThenAccessAndRefreshTokensNotStored() {
      for (Response r : List.of(exchange(robot.defaultKey()),
          form("/auth/api-key", Auth.NONE, "apiKey=" + enc(robot.defaultKey())))) {
        JsonNode j = assertTokens(r, true);
        assertThat(j.path("scope").asText()).isEqualTo("admin owner");
        Response me = me(j.path("access_token").asText());
        assertThat(me.status()).as("%s", me).isEqualTo(200);
        assertThat(me.json().path("userId").asText()).isEqualTo(robot.id());
      }
    }

    @Test
    void passwordGrantWhenProgrammaticUserByFormOrJsonThenTokensWithRefresh() {
      assertTokens(passwordGrant(robot.email(), robot.password()), true);
      Response byJson = json("/api/v1/token", Auth.NONE,
          Map.of("grant_type", "password", "username", robot.email(), "password", robot.password()));
      JsonNode j = assertTokens(byJson, true);
      assertThat(me(j.path("access_token").asText()).json().path("userId").asText()).isEqualTo(robot.id());
    }

    @Test
    void clientCredentialsWhenApiKeyInBasicOrBodyThenAccessTokenOnly() {
      String key = robot.defaultKey();
      String keyId = robot.defaultKeyId();
      List<Response> answers = List.of(
          form("/api/v1/token", Auth.basic(key, ""), "grant_type=client_credentials"),
          form("/api/v1/token", client(keyId, key), "grant_type=client_credentials"),
          form("/api/v1/token", Auth.NONE, "grant_type=client_credentials&client_secret=" + enc(key)),
          form("/api/v1/token", Auth.NONE, "grant_type=client_credentials&client_id=" + keyId + "&client_secret=" + enc(key)),
          json("/api/v1/token", Auth.NONE, Map.of("grant_type", "client_credentials", "client_secret", key)));
      for (Response r : answers) {
        JsonNode j = assertTokens(r, false);
        assertThat(j.path("scope").asText()).isEqualTo("admin owner");
        Response me = me(j.path("access_token").asText());
        assertThat(me.status()).as("%s", me).isEqualTo(200);
        assertThat(me.json().path("userId").asText()).isEqualTo(robot.id());
        assertThat(me.json().path("credential").path("type").asText()).isEqualTo("access_token");
      }
    }

    @Test
    void clientCredentialsWhenProgrammaticUserByEmailOrIdInBasicOrBodyThenAccessTokenOnly() {
      String pw = robot.password();
      List<Response> answers = List.of(
          form("/api/v1/token", client(robot.email(), pw), "grant_type=client_credentials"),
          form("/api/v1/token", client(robot.id(), pw), "grant_type=client_credentials"),
          form("/api/v1/token", Auth.NONE, "grant_type=client_credentials&client_id=" + enc(robot.email()) + "&client_secret=" + enc(pw)),
          form("/api/v1/token", Auth.NONE, "grant_type=client_credentials&client_id=" + robot.id() + "&client_secret=" + enc(pw)),
          json("/api/v1/token", Auth.NONE, Map.of("grant_type", "client_credentials", "client_id", robot.email(), "client_secret", pw)));
      for (Response r : answers) {
        JsonNode j = assertTokens(r, false);
        assertThat(me(j.path("access_token").asText()).json().path("userId").asText()).isEqualTo(robot.id());
      }
    }

    @Test
    void meWhenBearerAccessTokenThenAccessTokenCredentialWithTheTokensRoles() {
      String at = accessToken(exchange(robot.defaultKey()));
      Response r = me(at);
      assertThat(r.status()).as("%s", r).isEqualTo(200);
      assertThat(r.json().path("userId").asText()).isEqualTo(robot.id());
      assertThat(r.json().path("email").asText()).isEqualTo(robot.email());
      assertThat(r.json().path("tenant").path("slug").asText()).isEqualTo("default");
      assertThat(r.json().path("roles").toString()).isEqualTo("[\"admin\",\"owner\"]");
      assertThat(fields(r.json().path("credential"))).isEqualTo(set("type"));
      assertThat(r.json().path("credential").path("type").asText()).isEqualTo("access_token");
      // The same request without the token is refused: the token is what authenticates it.
      assertThat(seen(http.get("/api/v1/me", Auth.NONE)).status()).isEqualTo(401);
    }

    @Test
    void scopeWhenSubsetRequestedThenTokenNarrowedToIt() {
      Response cc = form("/api/v1/token", Auth.basic(robot.defaultKey(), ""), "grant_type=client_credentials&scope=admin");
      assertThat(assertTokens(cc, false).path("scope").asText()).isEqualTo("admin");
      assertThat(me(accessToken(cc)).json().path("roles").toString()).isEqualTo("[\"admin\"]");
      Response ex = json("/auth/api-key", Auth.NONE, Map.of("apiKey", robot.defaultKey(), "scope", "owner"));
      assertThat(assertTokens(ex, true).path("scope").asText()).isEqualTo("owner");
      assertThat(me(accessToken(ex)).json().path("roles").toString()).isEqualTo("[\"owner\"]");
      Response pw = form("/api/v1/token", Auth.NONE, "grant_type=password&scope=owner+admin&username=" + enc(robot.email())
          + "&password=" + enc(robot.password()));
      assertThat(assertTokens(pw, true).path("scope").asText()).isEqualTo("admin owner");
    }

    @Test
    void tokenEndpointWhenUnknownParameterThenIgnored() {
      assertTokens(form("/api/v1/token", Auth.basic(robot.defaultKey(), ""), "grant_type=client_credentials&foo=bar&audience=x"), false);
    }
  }

  // ----- 400 and 401 of the token endpoint (RFC 6749 §5.2) -----

  @Nested
  class BadRequest {
    @Test
    void tokenWhenGrantTypeMissingThenInvalidRequest() {
      assertOAuthError(form("/api/v1/token", Auth.NONE, ""), 400, "invalid_request");
      assertOAuthError(form("/api/v1/token", Auth.NONE, "scope=admin"), 400, "invalid_request");
      assertOAuthError(form("/api/v1/token", Auth.NONE, "grant_type="), 400, "invalid_request");
      assertOAuthError(json("/api/v1/token", Auth.NONE, Map.of()), 400, "invalid_request");
    }

    @Test
    void tokenWhenGrantTypeUnknownOrWrongCaseThenUnsupportedGrantType() {
      for (String grant : List.of("unknown", "PASSWORD", "Client_Credentials", "authorization_code", "implicit",
          "urn:ietf:params:oauth:grant-type:jwt-bearer", "refresh_token ", "\u0000")) {
        assertOAuthError(form("/api/v1/token", Auth.NONE, "grant_type=" + enc(grant)), 400, "unsupported_grant_type");
      }
    }

    @Test
    void tokenWhenParameterRepeatedThenInvalidRequest() {
      assertOAuthError(form("/api/v1/token", Auth.NONE, "grant_type=password&grant_type=client_credentials"), 400, "invalid_request");
      assertOAuthError(seen(http.send("POST", "/api/v1/token", Auth.NONE,
          "{\"grant_type\":\"password\",\"grant_type\":\"client_credentials\"}", "application/json")), 400, "invalid_request");
      assertOAuthError(form("/api/v1/token", Auth.NONE, "grant_type=password&username=" + enc(robot.email())
          + "&username=" + enc(robot.email()) + "&password=" + enc(robot.password())), 400, "invalid_request");
      // The same request once each: accepted, so the refusal above is about the repetition.
      assertTokens(passwordGrant(robot.email(), robot.password()), true);
    }

    @Test
    void tokenWhenClientAuthenticatesInBasicAndBodyThenInvalidRequest() {
      String key = robot.defaultKey();
      assertOAuthError(form("/api/v1/token", Auth.basic(key, ""), "grant_type=client_credentials&client_secret=" + enc(key)),
          400, "invalid_request");
      assertOAuthError(form("/api/v1/token", client(robot.email(), robot.password()),
          "grant_type=client_credentials&client_id=" + enc(robot.email())), 400, "invalid_request");
    }

    @Test
    void tokenWhenBadClientCredentialsInBodyThen400InvalidClientWithoutChallenge() {
      String typo = typo(robot.defaultKey());
      List<Response> answers = List.of(
          form("/api/v1/token", Auth.NONE, "grant_type=client_credentials&client_secret=" + enc(typo)),
          form("/api/v1/token", Auth.NONE, "grant_type=client_credentials&client_id=" + enc(robot.email()) + "&client_secret=wrong"),
          form("/api/v1/token", Auth.NONE, "grant_type=client_credentials&client_id=nobody%40example.com&client_secret=wrong"),
          form("/api/v1/token", Auth.NONE, "grant_type=client_credentials&client_id=" + robot.email()),
          form("/api/v1/token", Auth.NONE, "grant_type=client_credentials&client_id=" + person.defaultKeyId()
              + "&client_secret=" + enc(robot.defaultKey())));
      for (Response r : answers) {
        assertOAuthError(r, 400, "invalid_client");
        assertThat(r.headerValues("www-authenticate")).as("%s", r).isEmpty();
      }
    }

    @Test
    void tokenWhenPersonUsesClientCredentialsOrPasswordGrantThenUnauthorizedClient() {
      assertOAuthError(form("/api/v1/token", client(person.email(), person.password()), "grant_type=client_credentials"),
          400, "unauthorized_client");
      assertOAuthError(form("/api/v1/token", Auth.NONE, "grant_type=client_credentials&client_id=" + enc(person.email())
          + "&client_secret=" + enc(person.password())), 400, "unauthorized_client");
      assertOAuthError(passwordGrant(person.email(), person.password()), 400, "unauthorized_client");
      // The person's password is right: Basic on a protected endpoint takes it.
      assertThat(seen(http.get("/api/v1/me", person.basic())).status()).isEqualTo(200);
    }

    @Test
    void passwordGrantWhenWrongPasswordOrUnknownUserThenSameInvalidGrant() {
      Response wrong = passwordGrant(robot.email(), robot.password() + "x");
      Response unknown = passwordGrant("nobody-" + UUID.randomUUID() + "@example.com", robot.password());
      Response keyAsPassword = passwordGrant(robot.email(), robot.defaultKey());
      assertOAuthError(wrong, 400, "invalid_grant");
      assertOAuthError(unknown, 400, "invalid_grant");
      assertOAuthError(keyAsPassword, 400, "invalid_grant");
      assertThat(sansRequestId(unknown)).isEqualTo(sansRequestId(wrong)).isEqualTo(sansRequestId(keyAsPassword));
      assertThat(unknown.headers().keySet()).isEqualTo(wrong.headers().keySet());
    }

    @Test
    void tokenWhenRequiredParameterMissingOrEmptyThenInvalidRequest() {
      assertOAuthError(form("/api/v1/token", Auth.NONE, "grant_type=password&username=" + enc(robot.email())), 400, "invalid_request");
      assertOAuthError(form("/api/v1/token", Auth.NONE, "grant_type=password&username=&password=x"), 400, "invalid_request");
      assertOAuthError(form("/api/v1/token", Auth.NONE, "grant_type=refresh_token"), 400, "invalid_request");
      assertOAuthError(json("/auth/api-key", Auth.NONE, Map.of()), 400, "invalid_request");
      assertOAuthError(json("/auth/refresh", Auth.NONE, Map.of("refresh_token", "x")), 400, "invalid_request");
    }

    @Test
    void tokenWhenScopeWiderThanCredentialThenInvalidScope() {
      assertOAuthError(form("/api/v1/token", Auth.basic(robot.defaultKey(), ""), "grant_type=client_credentials&scope=admin+superuser"),
          400, "invalid_scope");
      assertOAuthError(json("/auth/api-key", Auth.NONE, Map.of("apiKey", robot.defaultKey(), "scope", "root")), 400, "invalid_scope");
      NewUser plain = Fixtures.programmatic(http, owner);
      assertOAuthError(form("/api/v1/token", Auth.NONE, "grant_type=password&scope=admin&username=" + enc(plain.email())
          + "&password=" + enc(plain.password())), 400, "invalid_scope");
    }

    @Test
    void tokenEndpointsWhenBodyNeitherFormNorJsonThen415InvalidRequest() {
      // BAD-31: every OAuth endpoint, RFC 6749 error shape with HTTP's 415.
      String body = "grant_type=client_credentials&client_secret=" + enc(robot.defaultKey());
      for (String path : List.of("/api/v1/token", "/auth/api-key", "/auth/refresh", "/oauth/introspect", "/oauth/revoke")) {
        Auth auth = path.startsWith("/oauth/") ? owner : Auth.NONE;
        for (String type : List.of("text/plain", "application/xml", "multipart/form-data; boundary=x", "application/jsonx", "text/json")) {
          JsonNode j = assertOAuthError(seen(http.send("POST", path, auth, body, type)), 415, "invalid_request");
          assertThat(j.path("error_description").asText()).as("%s %s", path, type)
              .isEqualTo("Send the parameters as application/x-www-form-urlencoded or application/json (UTF-8)");
        }
        // A body without any Content-Type.
        assertOAuthError(seen(http.send("POST", path, auth, body, null)), 415, "invalid_request");
      }
      // The same body as a form is accepted.
      assertTokens(form("/api/v1/token", Auth.NONE, body), false);
    }

    @Test
    void tokenEndpointsWhenCharsetOtherThanUtf8Then415AndNothingIssued() {
      // BAD-32: no partial decoding, no authentication from a body read in the wrong charset.
      String formBody = "grant_type=client_credentials&client_secret=" + enc(robot.defaultKey());
      String jsonBody = "{\"grant_type\":\"client_credentials\",\"client_secret\":\"" + robot.defaultKey() + "\"}";
      for (String charset : List.of("iso-8859-1", "utf-16", "us-ascii", "windows-1252")) {
        JsonNode f = assertOAuthError(seen(http.send("POST", "/api/v1/token", Auth.NONE, formBody, FORM + "; charset=" + charset)),
            415, "invalid_request");
        assertThat(f.path("error_description").asText()).isEqualTo("Form bodies must be UTF-8 (no other charset)");
        JsonNode j = assertOAuthError(seen(http.send("POST", "/api/v1/token", Auth.NONE, jsonBody, "application/json; charset=" + charset)),
            415, "invalid_request");
        assertThat(j.path("error_description").asText()).isEqualTo("JSON bodies must be UTF-8 (no other charset)");
        assertOAuthError(seen(http.send("POST", "/auth/api-key", Auth.NONE, "{\"apiKey\":\"" + robot.defaultKey() + "\"}",
            "application/json; charset=" + charset)), 415, "invalid_request");
      }
      // UTF-16 bytes really sent as such are refused the same way.
      byte[] utf16 = jsonBody.getBytes(StandardCharsets.UTF_16);
      byte[] head = ("POST /api/v1/token HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
          + "Content-Type: application/json; charset=utf-16\r\nContent-Length: " + utf16.length + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII);
      byte[] request = java.util.Arrays.copyOf(head, head.length + utf16.length);
      System.arraycopy(utf16, 0, request, head.length, utf16.length);
      Response raw = seen(http.raw(request));
      assertOAuthError(raw, 415, "invalid_request");
      // Explicit UTF-8 is fine, in either spelling.
      assertTokens(seen(http.send("POST", "/api/v1/token", Auth.NONE, formBody, FORM + "; charset=UTF-8")), false);
      assertTokens(seen(http.send("POST", "/api/v1/token", Auth.NONE, jsonBody, "application/json; charset=utf-8")), false);
    }

    @Test
    void tokenWhenNoBodyAndNoContentTypeThen400NotUnsupportedMediaType() {
      JsonNode j = assertOAuthError(seen(http.send("POST", "/api/v1/token", Auth.NONE, null, null)), 400, "invalid_request");
      assertThat(j.path("error_description").asText()).isEqualTo("grant_type is required");
    }

    @Test
    void tokenWhenBadPercentEncodingThenInvalidRequest() {
      for (String body : List.of("grant_type=client_credentials&client_secret=%ZZ", "grant_type=%", "grant_type=password%2",
          "grant_%zz=x")) {
        assertOAuthError(form("/api/v1/token", Auth.NONE, body), 400, "invalid_request");
      }
    }

    @Test
    void tokenWhenJsonValuesNotStringsOrBodyNotAnObjectThenInvalidRequest() {
      for (String body : List.of("{\"grant_type\":[\"password\"]}", "{\"grant_type\":1}", "{\"grant_type\":null}",
          "{\"grant_type\":\"client_credentials\",\"client_secret\":{\"a\":1}}", "[]", "\"x\"", "{", "")) {
        assertOAuthError(seen(http.send("POST", "/api/v1/token", Auth.NONE, body, "application/json")), 400, "invalid_request");
      }
    }

    @Test
    void refreshWhenGarbageOrNeverIssuedOrSpentThenSameInvalidGrant() {
      Response garbage = refresh("not-a-token");
      Response neverIssued = refresh("kwr_" + "A".repeat(43));
      String rt = refreshToken(exchange(robot.defaultKey()));
      assertTokens(refresh(rt), true);
      Response spent = refresh(rt);
      for (Response r : List.of(garbage, neverIssued, spent)) {
        assertOAuthError(r, 400, "invalid_grant");
      }
      // BCP-03: a reused token's refusal is no oracle: byte-identical to a never-issued one's.
      assertThat(sansRequestId(spent)).isEqualTo(sansRequestId(neverIssued)).isEqualTo(sansRequestId(garbage));
    }
  }

  @Nested
  class Unauthorized {
    @Test
    void tokenWhenBadClientCredentialsInBasicThen401InvalidClientWithBasicChallenge() {
      String typo = typo(robot.defaultKey());
      List<Response> answers = List.of(
          form("/api/v1/token", Auth.basic(typo, ""), "grant_type=client_credentials"),
          form("/api/v1/token", client(robot.defaultKeyId(), typo), "grant_type=client_credentials"),
          form("/api/v1/token", client(person.defaultKeyId(), robot.defaultKey()), "grant_type=client_credentials"),
          form("/api/v1/token", client(robot.email(), robot.password() + "x"), "grant_type=client_credentials"),
          form("/api/v1/token", client("nobody@example.com", "whatever"), "grant_type=client_credentials"),
          form("/api/v1/token", client(robot.email(), ""), "grant_type=client_credentials"),
          form("/api/v1/token", Auth.raw("Basic not-base64!"), "grant_type=client_credentials"),
          form("/api/v1/token", Auth.raw("Bearer " + robot.defaultKey()), "grant_type=client_credentials"));
      for (Response r : answers) {
        assertOAuthError(r, 401, "invalid_client");
        assertThat(r.headerValues("www-authenticate")).as("%s", r).containsExactly("Basic realm=\"keyward\", charset=\"UTF-8\"");
      }
      // The same client authenticated rightly: accepted.
      assertTokens(form("/api/v1/token", client(robot.email(), robot.password()), "grant_type=client_credentials"), false);
    }
  }

  @Nested
  class MethodNotAllowed {
    @Test
    void tokenEndpointsWhenGetThen405AllowPost() {
      for (String path : List.of("/api/v1/token", "/auth/api-key", "/auth/refresh", "/oauth/introspect", "/oauth/revoke")) {
        Response r = seen(http.get(path, Auth.NONE));
        assertThat(r.status()).as("GET %s: %s", path, r).isEqualTo(405);
        assertThat(r.header("allow")).as(path).isEqualTo("POST");
        assertThat(r.header("content-type")).isEqualTo(JSON_TYPE);
      }
      Response r = seen(http.send("POST", "/.well-known/jwks.json", Auth.NONE, "{}", "application/json"));
      assertThat(r.status()).isEqualTo(405);
      assertThat(r.header("allow")).isEqualTo("GET");
    }
  }

  // ----- refresh tokens (RFC 9700 §4.14) -----

  @Nested
  class RefreshRotation {
    @Test
    void refreshWhenUsedThenRotatedAndTheOldOneRefused() {
      Response first = exchange(robot.defaultKey());
      String rt1 = refreshToken(first);
      Response second = refresh(rt1);
      JsonNode j = assertTokens(second, true);
      String rt2 = j.path("refresh_token").asText();
      assertThat(rt2).isNotEqualTo(rt1);
      assertThat(j.path("access_token").asText()).isNotEqualTo(accessToken(first));
      assertThat(j.path("scope").asText()).isEqualTo("admin owner");
      assertThat(me(j.path("access_token").asText()).status()).isEqualTo(200);
      assertOAuthError(refresh(rt1), 400, "invalid_grant");
      // Through the token endpoint too, as a form.
      Response third = form("/api/v1/token", Auth.NONE, "grant_type=refresh_token&refresh_token=" + rt2);
      String rt3 = assertTokens(third, true).path("refresh_token").asText();
      assertOAuthError(form("/api/v1/token", Auth.NONE, "grant_type=refresh_token&refresh_token=" + rt2), 400, "invalid_grant");
      assertTokens(refresh(rt3), true);
    }

    @Test
    void refreshWhenSpentTokenReusedAfterRaceWindowThenWholeFamilyRevokedWithinOneSecond() throws Exception {
      Response login = exchange(robot.defaultKey());
      String at1 = accessToken(login);
      String rt1 = refreshToken(login);
      Response rotated = refresh(rt1);
      String at2 = accessToken(rotated);
      String rt2 = refreshToken(rotated);
      Response other = exchange(robot.defaultKey()); // another family of the same key and user
      assertThat(me(at1).status()).isEqualTo(200);
      assertThat(me(at2).status()).isEqualTo(200);

      Thread.sleep(2_300); // past the 2 s window in which a spent token is taken for a concurrent retry
      long reuseAt = System.nanoTime();
      assertOAuthError(refresh(rt1), 400, "invalid_grant");

      assertOAuthError(refresh(rt2), 400, "invalid_grant");
      refusedWithin(1_000, at2);
      refusedWithin(1_000, at1);
      assertThat((System.nanoTime() - reuseAt) / 1_000_000).as("ms until the family was refused").isLessThan(1_500);
      // Only that family: the other login of the same key goes on.
      assertThat(me(accessToken(other)).status()).isEqualTo(200);
      assertTokens(refresh(refreshToken(other)), true);
    }

    @Test
    void refreshWhen20ConcurrentWithOneTokenThenExactlyOneWinsAndItsTokensWork() throws Exception {
      String rt = refreshToken(exchange(robot.defaultKey()));
      Map<Integer, List<Response>> byStatus = Fixtures.parallel(20, () -> refresh(rt));
      assertThat(byStatus.keySet()).as("statuses").containsExactlyInAnyOrder(200, 400);
      assertThat(byStatus.get(200)).hasSize(1);
      assertThat(byStatus.get(400)).hasSize(19).allSatisfy(r -> assertOAuthError(r, 400, "invalid_grant"));
      Response winner = byStatus.get(200).get(0);
      assertTokens(winner, true);
      assertThat(me(accessToken(winner)).status()).isEqualTo(200);
      // The losers were concurrent retries, not theft: the winner's new refresh token still works.
      assertTokens(refresh(refreshToken(winner)), true);
    }

    @Test
    void refreshWhenNarrowerScopeThenNarrowedAndWiderThenInvalidScope() {
      String rt = refreshToken(exchange(robot.defaultKey()));
      assertOAuthError(json("/auth/refresh", Auth.NONE, Map.of("refreshToken", rt, "scope", "admin owner root")), 400, "invalid_scope");
      // The refused request did not spend the token.
      Response narrowed = json("/auth/refresh", Auth.NONE, Map.of("refreshToken", rt, "scope", "admin"));
      assertThat(assertTokens(narrowed, true).path("scope").asText()).isEqualTo("admin");
      assertThat(me(accessToken(narrowed)).json().path("roles").toString()).isEqualTo("[\"admin\"]");
    }

    @Test
    void refreshWhenNarrowedOnceThenRotatedTokenKeepsTheOriginalScope() {
      // RFC 6749 §6: the new refresh token's scope is identical to that of the one presented.
      String rt = refreshToken(exchange(robot.defaultKey()));
      Response narrowed = json("/auth/refresh", Auth.NONE, Map.of("refreshToken", rt, "scope", "admin"));
      assertThat(assertTokens(narrowed, true).path("scope").asText()).isEqualTo("admin");
      Response again = refresh(refreshToken(narrowed));
      assertThat(assertTokens(again, true).path("scope").asText()).isEqualTo("admin owner");
    }
  }

  // ----- access tokens under attack on a protected endpoint (RFC 8725) -----

  @Nested
  class ForgedBearer {
    SigningKeys keys() {
      return server.server().services().signingKeys();
    }

    /** A fresh, valid token of the robot and its claims. */
    SignedJWT validToken() throws Exception {
      return SignedJWT.parse(accessToken(exchange(robot.defaultKey())));
    }

    /** Signs {@code claims} with this server's own signing key (reached in-process: no attacker has it). */
    String signedByServer(JWSHeader header, JWTClaimsSet claims) throws Exception {
      SignedJWT jwt = new SignedJWT(header, claims);
      jwt.sign(keys().active().signer());
      return jwt.serialize();
    }

    JWSHeader.Builder serverHeader() {
      return new JWSHeader.Builder(JWSAlgorithm.EdDSA).type(new JOSEObjectType("at+jwt")).keyID(keys().activeKid());
    }

    JWTClaimsSet.Builder fresh(JWTClaimsSet base) {
      Instant now = Instant.now();
      return new JWTClaimsSet.Builder(base).jwtID("at_forged" + UUID.randomUUID().toString().replace("-", ""))
          .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600)))
          .claim("kw_iat", now.toEpochMilli());
    }

    @Test
    void meWhenTokenSignedByServerKeyWithUnchangedClaimsThen200() throws Exception {
      // The control for the forgeries below: this construction alone is accepted.
      String token = signedByServer(serverHeader().build(), fresh(validToken().getJWTClaimsSet()).build());
      Response r = me(token);
      assertThat(r.status()).as("%s", r).isEqualTo(200);
      assertThat(r.json().path("userId").asText()).isEqualTo(robot.id());
    }

    @Test
    void meWhenAlgNoneThen401() throws Exception {
      SignedJWT real = validToken();
      String payload = real.getParsedParts()[1].toString();
      for (String alg : List.of("none", "None", "NONE", "nOnE")) {
        String header = Base64URL.encode("{\"alg\":\"" + alg + "\",\"typ\":\"at+jwt\",\"kid\":\"" + keys().activeKid() + "\"}").toString();
        assertRefused(me(header + "." + payload + "."));
        assertRefused(me(header + "." + payload + "." + real.getSignature()));
      }
    }

    @Test
    void meWhenHs256MacedWithThePublicKeyThen401() throws Exception {
      JWKSet jwks = JWKSet.parse(seen(http.get("/.well-known/jwks.json", Auth.NONE)).body());
      OctetKeyPair pub = jwks.getKeyByKeyId(keys().activeKid()).toOctetKeyPair();
      JWTClaimsSet claims = fresh(validToken().getJWTClaimsSet()).build();
      // The key's raw bytes, its JWK text, and its base64url "x" text: what a confused verifier might use.
      List<byte[]> secrets = List.of(pub.getDecodedX(), pub.toJSONString().getBytes(StandardCharsets.UTF_8),
          pub.getX().toString().getBytes(StandardCharsets.US_ASCII));
      for (byte[] key : secrets) {
        for (JWSAlgorithm alg : List.of(JWSAlgorithm.HS256, JWSAlgorithm.HS512)) {
          if (alg == JWSAlgorithm.HS512 && key.length < 64) {
            continue;
          }
          SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).type(new JOSEObjectType("at+jwt")).keyID(keys().activeKid()).build(), claims);
          jwt.sign(new MACSigner(key));
          assertRefused(me(jwt.serialize()));
        }
      }
    }

    @Test
    void meWhenKidUnknownOrHostileThen401() throws Exception {
      JWTClaimsSet claims = fresh(validToken().getJWTClaimsSet()).build();
      for (String kid : List.of("sk_unknown", "../../x", "' OR 1=1 --", "k".repeat(1_000), "\u0000", "")) {
        assertRefused(me(signedByServer(serverHeader().keyID(kid).build(), claims)));
      }
      assertRefused(me(signedByServer(new JWSHeader.Builder(JWSAlgorithm.EdDSA).type(new JOSEObjectType("at+jwt")).build(), claims)));
    }

    @Test
    void meWhenOneCharacterFlippedThen401() throws Exception {
      String token = accessToken(exchange(robot.defaultKey()));
      assertThat(me(token).status()).isEqualTo(200);
      int firstDot = token.indexOf('.');
      int secondDot = token.indexOf('.', firstDot + 1);
      int[] positions = {firstDot / 2, (firstDot + secondDot) / 2, firstDot + 5, secondDot - 5, (secondDot + token.length()) / 2};
      for (int i : positions) {
        char c = token.charAt(i);
        String tampered = token.substring(0, i) + (c == 'A' ? 'B' : 'A') + token.substring(i + 1);
        assertRefused(me(tampered));
      }
    }

    @Test
    void meWhenClaimsWrongThoughSignedByServerKeyThen401() throws Exception {
      JWTClaimsSet base = validToken().getJWTClaimsSet();
      Instant now = Instant.now();
      List<UnaryOperator<JWTClaimsSet.Builder>> forgeries = List.of(
          b -> b.issuer("https://other.example"),
          b -> b.audience("https://other.example"),
          b -> b.audience(List.of()),
          b -> b.expirationTime(Date.from(now.minusSeconds(61))).issueTime(Date.from(now.minusSeconds(3_700))),
          b -> b.expirationTime(null),
          b -> b.notBeforeTime(Date.from(now.plusSeconds(600))),
          b -> b.issueTime(Date.from(now.plusSeconds(600))),
          b -> b.claim("exp", "tomorrow"),
          b -> b.claim("exp", 1e308),
          b -> b.subject(null),
          b -> b.claim("tid", null),
          b -> b.claim("env", "staging"));
      for (UnaryOperator<JWTClaimsSet.Builder> forge : forgeries) {
        String token = signedByServer(serverHeader().build(), forge.apply(fresh(base)).build());
        assertRefused(me(token));
      }
      // typ other than at+jwt (RFC 9068 §2.1), or an unknown critical header.
      JWTClaimsSet good = fresh(base).build();
      assertRefused(me(signedByServer(serverHeader().type(JOSEObjectType.JWT).build(), good)));
      assertRefused(me(signedByServer(new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID(keys().activeKid()).build(), good)));
      assertRefused(me(signedByServer(serverHeader().criticalParams(Set.of("kw_ext")).customParam("kw_ext", 1).build(), good)));
    }

    @Test
    void meWhenTokenOfAnotherServerThen401() {
      try (TestServer other = TestServer.start(c -> c.withTokens(c.tokens().withIssuer("https://other.example")))) {
        TestHttp.Response boot = other.http().post("/api/v1/keys", other.owner(), Map.of("name", "elsewhere", "environment", "production"));
        assertThat(boot.status()).as("%s", boot).isEqualTo(201);
        String foreign = other.http().post("/auth/api-key", Auth.NONE, Map.of("apiKey", boot.text("key"))).json().path("access_token").asText();
        assertThat(other.http().get("/api/v1/me", Auth.bearer(foreign)).status()).as("good where issued").isEqualTo(200);
        assertRefused(me(foreign));
      }
    }

    @Test
    void meWhenBearerOf10kBThen400BeforeAnyCheckAndIntrospectionInactive() throws Exception {
      // A 10 kB Authorization header is refused by its length (RFC 6750 §3.1 invalid_request), before parsing.
      String jwtShaped = "eyJhbGciOiJFZERTQSJ9." + "A".repeat(10_000) + ".AAAA";
      String big = signedByServer(serverHeader().build(), fresh(validToken().getJWTClaimsSet()).claim("pad", "p".repeat(10_000)).build());
      assertThat(big.length()).isGreaterThan(10_000);
      for (String token : List.of(jwtShaped, big)) {
        Response r = me(token);
        assertThat(r.status()).as("%s", r).isEqualTo(400);
        assertThat(r.json().path("error").asText()).isEqualTo("invalid_request");
        // In a body, where no header limit applies, tokens longer than any issued are not looked at either.
        assertThat(form("/oauth/introspect", owner, "token=" + token).body()).isEqualTo("{\"active\":false}");
      }
      // The control: the same signed construction, of normal size, is active.
      String normal = signedByServer(serverHeader().build(), fresh(validToken().getJWTClaimsSet()).claim("pad", "p".repeat(100)).build());
      assertThat(form("/oauth/introspect", owner, "token=" + normal).json().path("active").asBoolean()).isTrue();
    }

    @Test
    void meWhenRefreshTokenUsedAsBearerThen401() {
      String rt = refreshToken(exchange(robot.defaultKey()));
      assertThat(me(rt).status()).isEqualTo(401);
    }
  }

  // ----- revocation (RFC 7009; revoked credentials end their tokens at once) -----

  @Nested
  class Revocation {
    @Test
    void revokeKeyWhenItHasAccessTokensThenThey401AtOnceAndItsRefreshTokensDie() {
      NewUser user = Fixtures.programmatic(http, owner, "admin");
      NewKey key = Fixtures.key(http, owner, Map.of("name", "to-revoke-" + UUID.randomUUID(), "userId", user.id()));
      String cc = accessToken(form("/api/v1/token", Auth.basic(key.key(), ""), "grant_type=client_credentials"));
      Response login = exchange(key.key());
      String other = accessToken(exchange(user.defaultKey()));
      assertThat(me(cc).status()).isEqualTo(200);
      assertThat(me(accessToken(login)).status()).isEqualTo(200);

      assertThat(seen(http.post("/api/v1/keys/" + key.id() + "/revoke", owner, null)).status()).isEqualTo(200);
      assertRefused(me(cc));
      assertRefused(me(accessToken(login)));
      assertOAuthError(refresh(refreshToken(login)), 400, "invalid_grant");
      assertThat(me(other).status()).as("a token of the user's other key").isEqualTo(200);
    }

    @Test
    void resetPasswordWhenUserHasTokensThenThey401AtOnce() {
      NewUser user = Fixtures.programmatic(http, owner);
      Response login = passwordGrant(user.email(), user.password());
      String cc = accessToken(form("/api/v1/token", client(user.email(), user.password()), "grant_type=client_credentials"));
      assertThat(me(accessToken(login)).status()).isEqualTo(200);

      Response reset = seen(http.post("/api/v1/users/" + user.id() + "/reset-password", owner, null));
      assertThat(reset.status()).isEqualTo(200);
      assertRefused(me(accessToken(login)));
      assertRefused(me(cc));
      assertOAuthError(refresh(refreshToken(login)), 400, "invalid_grant");
      // The new password gets new tokens that work.
      assertThat(me(accessToken(assertTokensOk(passwordGrant(user.email(), reset.text("password"))))).status()).isEqualTo(200);
    }

    @Test
    void deleteUserWhenUserHasTokensThenThey401AtOnce() {
      NewUser user = Fixtures.programmatic(http, owner);
      Response login = exchange(user.defaultKey());
      String byPassword = accessToken(passwordGrant(user.email(), user.password()));
      assertThat(me(byPassword).status()).isEqualTo(200);
      assertThat(seen(http.delete("/api/v1/users/" + user.id(), owner)).status()).isEqualTo(204);
      assertRefused(me(accessToken(login)));
      assertRefused(me(byPassword));
      assertOAuthError(refresh(refreshToken(login)), 400, "invalid_grant");
    }

    @Test
    void oauthRevokeWhenAccessTokenThen200AndThatTokenOnly401() {
      String at = accessToken(exchange(robot.defaultKey()));
      String sibling = accessToken(exchange(robot.defaultKey()));
      Response r = form("/oauth/revoke", owner, "token=" + at);
      assertThat(r.status()).as("%s", r).isEqualTo(200);
      assertThat(r.header("cache-control")).isEqualTo("no-store");
      assertRefused(me(at));
      assertThat(me(sibling).status()).isEqualTo(200);
    }

    @Test
    void oauthRevokeWhenRefreshTokenThenItAndItsFamilyDead() throws Exception {
      Response login = exchange(robot.defaultKey());
      Response rotated = refresh(refreshToken(login));
      String rt = refreshToken(rotated);
      Response r = json("/oauth/revoke", Auth.bearer(robot.defaultKey()), Map.of("token", rt, "token_type_hint", "access_token"));
      assertThat(r.status()).as("%s", r).isEqualTo(200);
      assertOAuthError(refresh(rt), 400, "invalid_grant");
      refusedWithin(1_000, accessToken(rotated));
      refusedWithin(1_000, accessToken(login));
    }

    @Test
    void oauthRevokeWhenUnknownGarbageOrAlreadyRevokedTokenThen200() {
      String at = accessToken(exchange(robot.defaultKey()));
      assertThat(form("/oauth/revoke", owner, "token=" + at).status()).isEqualTo(200);
      for (String token : List.of(at, "garbage", "kwr_" + "B".repeat(43), "a.b.c", "x".repeat(5_000))) {
        Response r = form("/oauth/revoke", owner, "token=" + enc(token));
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.body()).isEmpty();
      }
    }

    @Test
    void oauthRevokeWhenNoTokenParameterThenInvalidRequest() {
      assertOAuthError(form("/oauth/revoke", owner, ""), 400, "invalid_request");
      assertOAuthError(json("/oauth/revoke", owner, Map.of("token", 1)), 400, "invalid_request");
    }

    @Test
    void oauthRevokeWhenNoOrBadCallerCredentialsThen401InvalidClientAndNothingRevoked() {
      String at = accessToken(exchange(robot.defaultKey()));
      for (Auth auth : List.of(Auth.NONE, Auth.basic(TestServer.ADMIN_EMAIL, "wrong"), Auth.bearer(typo(robot.defaultKey())))) {
        Response r = form("/oauth/revoke", auth, "token=" + at);
        assertOAuthError(r, 401, "invalid_client");
        assertThat(r.headerValues("www-authenticate")).isNotEmpty();
      }
      assertThat(me(at).status()).isEqualTo(200);
    }

    @Test
    void oauthRevokeWhenCallerIsAnotherNonAdminUserThenTokenNotRevoked() {
      // OA-23: a member of the tenant without admin rights cannot end another user's tokens.
      String at = accessToken(exchange(robot.defaultKey()));
      Response login = exchange(robot.defaultKey());
      for (String token : List.of(at, refreshToken(login))) {
        Response r = form("/oauth/revoke", person.key(), "token=" + token);
        assertThat(r.status()).as("answered like an unknown token (no oracle): %s", r).isEqualTo(200);
      }
      assertThat(me(at).status()).isEqualTo(200);
      assertThat(me(accessToken(login)).status()).isEqualTo(200);
      assertTokens(refresh(refreshToken(login)), true);
      // Their own token they can revoke.
      String own = accessToken(exchange(person.defaultKey()));
      assertThat(form("/oauth/revoke", person.key(), "token=" + own).status()).isEqualTo(200);
      assertRefused(me(own));
    }
  }

  // ----- introspection (RFC 7662) -----

  @Nested
  class Introspection {
    @Test
    void introspectWhenActiveTokenThenActiveWithItsClaims() throws Exception {
      String at = accessToken(exchange(robot.defaultKey()));
      Response r = form("/oauth/introspect", owner, "token=" + at);
      assertThat(r.status()).as("%s", r).isEqualTo(200);
      assertThat(r.header("content-type")).isEqualTo(JSON_TYPE);
      assertThat(r.header("cache-control")).isEqualTo("no-store");
      JsonNode j = r.json();
      assertThat(fields(j)).isEqualTo(set("active", "sub", "username", "client_id", "scope", "token_type", "exp", "iat", "iss",
          "jti", "tenant", "tenant_id", "key_id", "environment"));
      JWTClaimsSet jwt = SignedJWT.parse(at).getJWTClaimsSet();
      JsonNode key = seen(http.get("/api/v1/keys/" + robot.defaultKeyId(), owner)).json();
      assertThat(j.path("active").asBoolean()).isTrue();
      assertThat(j.path("sub").asText()).isEqualTo(robot.id());
      assertThat(j.path("username").asText()).isEqualTo(robot.email());
      assertThat(j.path("client_id").asText()).isEqualTo(robot.defaultKeyId());
      assertThat(j.path("key_id").asText()).isEqualTo(robot.defaultKeyId());
      assertThat(j.path("environment").asText()).isEqualTo(key.path("environment").asText());
      assertThat(j.path("scope").asText()).isEqualTo("admin owner");
      assertThat(j.path("token_type").asText()).isEqualTo("Bearer");
      assertThat(j.path("tenant").asText()).isEqualTo("default");
      assertThat(j.path("tenant_id").asText()).isEqualTo(me(at).json().path("tenant").path("id").asText());
      assertThat(j.path("exp").asLong()).isEqualTo(jwt.getExpirationTime().toInstant().getEpochSecond());
      assertThat(j.path("iat").asLong()).isEqualTo(jwt.getIssueTime().toInstant().getEpochSecond());
      assertThat(j.path("exp").asLong() - j.path("iat").asLong()).isEqualTo(3600);
      assertThat(j.path("jti").asText()).isEqualTo(jwt.getJWTID());
      assertThat(j.path("iss").asText()).isEqualTo(jwt.getIssuer());
      // An admin key and a JSON body do as well.
      NewKey admin = Fixtures.adminKey(http, owner);
      assertThat(json("/oauth/introspect", admin.bearer(), Map.of("token", at)).json().path("active").asBoolean()).isTrue();
    }

    @Test
    void introspectWhenTokenOfPasswordGrantThenNoKeyIdNorEnvironment() {
      String at = accessToken(passwordGrant(robot.email(), robot.password()));
      JsonNode j = form("/oauth/introspect", owner, "token=" + at).json();
      assertThat(j.path("active").asBoolean()).isTrue();
      assertThat(j.path("client_id").asText()).isEqualTo(robot.id());
      assertThat(j.has("key_id")).isFalse();
      assertThat(j.has("environment")).isFalse();
    }

    @Test
    void introspectWhenGarbageRevokedOrOtherTenantsTokenThenExactlyActiveFalse() {
      String revoked = accessToken(exchange(robot.defaultKey()));
      assertThat(form("/oauth/revoke", owner, "token=" + revoked).status()).isEqualTo(200);
      String slug = "intro-" + UUID.randomUUID().toString().substring(0, 8);
      Response tenant = json("/api/v1/tenants", owner, Map.of("slug", slug, "name", "Other", "ownerEmail", Fixtures.email("intro")));
      assertThat(tenant.status()).as("%s", tenant).isEqualTo(201);
      String foreign = accessToken(exchange(tenant.text("ownerDefaultKey")));
      assertThat(me(foreign).json().path("tenant").path("slug").asText()).isEqualTo(slug);
      String refresh = refreshToken(exchange(robot.defaultKey()));
      for (String token : List.of("garbage", revoked, foreign, refresh, "a.b.c", typo(accessToken(exchange(robot.defaultKey()))))) {
        Response r = form("/oauth/introspect", owner, "token=" + enc(token));
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.body()).as("introspection of %s", token).isEqualTo("{\"active\":false}");
      }
      // The other tenant's owner sees its own token active: the refusal above is about the tenant.
      Auth ownerB = Auth.basic(tenant.json().path("owner").path("email").asText(), tenant.text("ownerPassword"));
      assertThat(form("/oauth/introspect", ownerB, "token=" + foreign).json().path("active").asBoolean()).isTrue();
    }

    @Test
    void introspectWhenNoOrBadCallerCredentialsThen401InvalidClient() {
      String at = accessToken(exchange(robot.defaultKey()));
      for (Auth auth : List.of(Auth.NONE, Auth.basic(TestServer.ADMIN_EMAIL, "wrong"), Auth.bearer(typo(robot.defaultKey())), Auth.bearer("a.b.c"))) {
        Response r = form("/oauth/introspect", auth, "token=" + at);
        assertOAuthError(r, 401, "invalid_client");
        assertThat(r.body()).doesNotContain("active");
      }
    }

    @Test
    void introspectWhenCallerNotAnAdminThen403() {
      String at = accessToken(exchange(robot.defaultKey()));
      NewUser plain = Fixtures.programmatic(http, owner);
      for (Auth auth : List.of(person.basic(), person.key(), plain.key(), Auth.bearer(accessToken(exchange(plain.defaultKey()))))) {
        Response r = form("/oauth/introspect", auth, "token=" + at);
        assertThat(r.status()).as("%s", r).isEqualTo(403);
        assertThat(r.json().path("error").asText()).isEqualTo("forbidden");
        assertThat(r.body()).doesNotContain("active").doesNotContain(robot.id());
      }
    }

    @Test
    void introspectWhenNoTokenParameterThenInvalidRequest() {
      assertOAuthError(form("/oauth/introspect", owner, ""), 400, "invalid_request");
      assertOAuthError(seen(http.send("POST", "/oauth/introspect", owner, "token=x", "text/plain")), 415, "invalid_request");
    }
  }

  // ----- discovery (RFC 8414) and the JWK Set (RFC 7517) -----

  @Nested
  class Discovery {
    @Test
    void metadataWhenFetchedThenIssuerOfTokensAndEveryEndpoint() throws Exception {
      Response r = seen(http.get("/.well-known/oauth-authorization-server", Auth.NONE));
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("content-type")).isEqualTo(JSON_TYPE);
      JsonNode m = r.json();
      String iss = SignedJWT.parse(accessToken(exchange(robot.defaultKey()))).getJWTClaimsSet().getIssuer();
      assertThat(m.path("issuer").asText()).isEqualTo(iss).startsWith("http");
      assertThat(SignedJWT.parse(accessToken(exchange(robot.defaultKey()))).getJWTClaimsSet().getAudience()).containsExactly(iss);
      assertThat(m.path("token_endpoint").asText()).isEqualTo(http.base() + "/api/v1/token");
      assertThat(m.path("jwks_uri").asText()).isEqualTo(http.base() + "/.well-known/jwks.json");
      assertThat(m.path("introspection_endpoint").asText()).isEqualTo(http.base() + "/oauth/introspect");
      assertThat(m.path("revocation_endpoint").asText()).isEqualTo(http.base() + "/oauth/revoke");
      assertThat(m.path("grant_types_supported").toString()).isEqualTo("[\"client_credentials\",\"password\",\"refresh_token\"]");
      assertThat(m.path("response_types_supported").toString()).isEqualTo("[]");
      assertThat(m.path("token_endpoint_auth_methods_supported").toString()).contains("client_secret_basic", "client_secret_post");
      // The advertised endpoints are the live ones.
      assertThat(seen(http.get(m.path("jwks_uri").asText().substring(http.base().length()), Auth.NONE)).status()).isEqualTo(200);
    }

    @Test
    void jwksWhenFetchedThenOnlyPublicEdDsaKeysWithUniqueKids() throws Exception {
      Response r = seen(http.get("/.well-known/jwks.json", Auth.NONE));
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("content-type")).isEqualTo(JSON_TYPE);
      JsonNode keys = r.json().path("keys");
      assertThat(keys.size()).isGreaterThanOrEqualTo(1);
      Set<String> kids = new HashSet<>();
      for (JsonNode k : keys) {
        assertThat(fields(k)).doesNotContain("d", "p", "q", "dp", "dq", "qi", "k", "oth");
        assertThat(kids.add(k.path("kid").asText())).as("unique kid %s", k.path("kid")).isTrue();
        assertThat(k.path("kid").asText()).isNotBlank();
        assertThat(k.path("alg").asText()).isEqualTo("EdDSA");
        assertThat(k.path("use").asText()).isEqualTo("sig");
        assertThat(k.path("kty").asText()).isEqualTo("OKP");
        assertThat(k.path("crv").asText()).isEqualTo("Ed25519");
      }
      for (JWK k : JWKSet.parse(r.body()).getKeys()) {
        assertThat(k.isPrivate()).isFalse();
      }
      assertThat(kids).contains(server.server().services().signingKeys().activeKid());
    }

    @Test
    void jwksWhenUsedByAClientThenItVerifiesIssuedTokensAndNotTamperedOnes() throws Exception {
      JWKSet jwks = JWKSet.parse(seen(http.get("/.well-known/jwks.json", Auth.NONE)).body());
      for (Response answer : List.of(exchange(robot.defaultKey()),
          form("/api/v1/token", Auth.basic(robot.defaultKey(), ""), "grant_type=client_credentials"))) {
        SignedJWT jwt = SignedJWT.parse(accessToken(answer));
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.EdDSA);
        assertThat(jwt.getHeader().getType().getType()).isEqualTo("at+jwt");
        JWK key = jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(key).as("kid %s in the JWKS", jwt.getHeader().getKeyID()).isNotNull();
        Ed25519Verifier verifier = new Ed25519Verifier(key.toOctetKeyPair());
        assertThat(jwt.verify(verifier)).isTrue();
        JWTClaimsSet c = jwt.getJWTClaimsSet();
        assertThat(c.getSubject()).isEqualTo(robot.id());
        assertThat(c.getJWTID()).isNotBlank();
        assertThat(c.getStringClaim("scope")).isEqualTo("admin owner");
        String[] parts = accessToken(answer).split("\\.");
        String otherPayload = Base64URL.encode(c.toString().replace(robot.id(), person.id())).toString();
        SignedJWT tampered = SignedJWT.parse(parts[0] + "." + otherPayload + "." + parts[2]);
        assertThat(tampered.verify(verifier)).isFalse();
      }
    }
  }

  // ----- helpers -----

  static String typo(String secret) {
    int i = secret.length() / 2;
    char c = secret.charAt(i);
    return secret.substring(0, i) + (c == 'a' ? 'b' : 'a') + secret.substring(i + 1);
  }

  static Response assertTokensOk(Response r) {
    assertTokens(r, true);
    return r;
  }
}
