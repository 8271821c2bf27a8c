package dev.keyward.server.api;

import static dev.keyward.server.api.Fixtures.JSON_TYPE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.id.Issuer;
import dev.keyward.server.api.Fixtures.NewUser;
import dev.keyward.server.testing.TestHttp;
import dev.keyward.server.testing.TestHttp.Auth;
import dev.keyward.server.testing.TestHttp.Response;
import dev.keyward.server.testing.TestServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The issuer (RFC 8414 §3; SECURITY-TESTS OA-28): configured, it is the same everywhere; not
 * configured, it is each request's base URL, in the metadata, in the tokens issued and in the
 * check of tokens presented, so a token issued through one host name is refused through another;
 * and a Host header that is not a strict {@code host[:port]} is a 400 that issues nothing.
 */
class IssuerIT {
  static TestServer server;
  /** The same server through two host names: 127.0.0.1 and localhost. */
  static TestHttp byIp;
  static TestHttp byName;
  static NewUser robot;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    byIp = server.http();
    byName = new TestHttp("http://localhost:" + server.port());
    robot = Fixtures.programmatic(byIp, server.owner(), "admin");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static JWTClaimsSet claims(String jwt) throws Exception {
    return SignedJWT.parse(jwt).getJWTClaimsSet();
  }

  static String exchange(TestHttp http, String apiKey) {
    Response r = http.post("/auth/api-key", Auth.NONE, Map.of("apiKey", apiKey));
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return r.text("access_token");
  }

  static Response introspect(TestHttp http, String token) {
    return http.send("POST", "/oauth/introspect", server.owner(), "token=" + token, "application/x-www-form-urlencoded");
  }

  @Nested
  class Derived {
    @Test
    void metadataWhenFetchedThroughTwoHostNamesThenIssuerIsEachBaseUrlAndEndpointsHangOffIt() {
      assertThat(byIp.base()).isNotEqualTo(byName.base());
      for (TestHttp http : List.of(byIp, byName)) {
        Response r = http.get("/.well-known/oauth-authorization-server", Auth.NONE);
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.text("issuer")).isEqualTo(http.base());
        assertThat(r.text("token_endpoint")).isEqualTo(http.base() + "/api/v1/token");
        assertThat(r.text("jwks_uri")).isEqualTo(http.base() + "/.well-known/jwks.json");
      }
      // Any strict host name works, lower-cased (RFC 3986 §6.2.2.1); the scheme is the connection's.
      Response named = byIp.withHost("Auth.Example.TEST:8443", "GET", "/.well-known/oauth-authorization-server", Auth.NONE, null, null);
      assertThat(named.status()).as("%s", named).isEqualTo(200);
      assertThat(named.text("issuer")).isEqualTo("http://auth.example.test:8443");
      assertThat(named.text("revocation_endpoint")).isEqualTo("http://auth.example.test:8443/oauth/revoke");
      Response v6 = byIp.withHost("[::1]:8080", "GET", "/.well-known/oauth-authorization-server", Auth.NONE, null, null);
      assertThat(v6.text("issuer")).isEqualTo("http://[::1]:8080");
    }

    @Test
    void discoveryWhenClientKnowsOnlyTheIssuerThenMetadataNamesExactlyIt() throws Exception {
      // A real client: the SDK builds the well-known URL from the issuer and checks the answer names it.
      for (TestHttp http : List.of(byIp, byName)) {
        AuthorizationServerMetadata m = AuthorizationServerMetadata.resolve(new Issuer(http.base()), 5_000, 10_000);
        assertThat(m.getIssuer().getValue()).isEqualTo(http.base());
        assertThat(m.getTokenEndpointURI()).isEqualTo(URI.create(http.base() + "/api/v1/token"));
      }
    }

    @Test
    void tokenWhenIssuedThroughAHostNameThenIssAndAudAreItsBaseUrl() throws Exception {
      for (TestHttp http : List.of(byIp, byName)) {
        JWTClaimsSet exchanged = claims(exchange(http, robot.defaultKey()));
        assertThat(exchanged.getIssuer()).isEqualTo(http.base());
        assertThat(exchanged.getAudience()).containsExactly(http.base());
        Response cc = http.send("POST", "/api/v1/token", Auth.basic(robot.defaultKey(), ""), "grant_type=client_credentials",
            "application/x-www-form-urlencoded");
        assertThat(cc.status()).as("%s", cc).isEqualTo(200);
        assertThat(claims(cc.text("access_token")).getIssuer()).isEqualTo(http.base());
        Response pw = http.send("POST", "/api/v1/token", Auth.NONE, "grant_type=password&username="
            + java.net.URLEncoder.encode(robot.email(), StandardCharsets.UTF_8) + "&password="
            + java.net.URLEncoder.encode(robot.password(), StandardCharsets.UTF_8), "application/x-www-form-urlencoded");
        assertThat(pw.status()).as("%s", pw).isEqualTo(200);
        assertThat(claims(pw.text("access_token")).getIssuer()).isEqualTo(http.base());
        // Refresh tokens are opaque and not tied to a host name: the new access token takes the
        // issuer of the request that refreshed.
        Response refreshed = byName.post("/auth/refresh", Auth.NONE, Map.of("refreshToken", pw.text("refresh_token")));
        assertThat(refreshed.status()).as("%s", refreshed).isEqualTo(200);
        assertThat(claims(refreshed.text("access_token")).getIssuer()).isEqualTo(byName.base());
      }
    }

    @Test
    void accessTokenWhenPresentedThroughAnotherHostNameThenRefusedThereAndInactive() throws Exception {
      String viaName = exchange(byName, robot.defaultKey());
      assertThat(byName.get("/api/v1/me", Auth.bearer(viaName)).status()).isEqualTo(200);
      Response elsewhere = byIp.get("/api/v1/me", Auth.bearer(viaName));
      assertThat(elsewhere.status()).as("%s", elsewhere).isEqualTo(401);
      assertThat(elsewhere.error()).isEqualTo("invalid_credentials");
      assertThat(String.join(", ", elsewhere.headerValues("www-authenticate"))).contains("error=\"invalid_token\"");
      // Checked again after the success above was cached: still refused through the other name.
      assertThat(byIp.get("/api/v1/me", Auth.bearer(viaName)).status()).isEqualTo(401);

      assertThat(introspect(byIp, viaName).body()).isEqualTo("{\"active\":false}");
      JsonNode active = introspect(byName, viaName).json();
      assertThat(active.path("active").asBoolean()).isTrue();
      assertThat(active.path("iss").asText()).isEqualTo(byName.base());

      // The other way round too.
      String viaIp = exchange(byIp, robot.defaultKey());
      assertThat(byName.get("/api/v1/me", Auth.bearer(viaIp)).status()).isEqualTo(401);
      assertThat(byIp.get("/api/v1/me", Auth.bearer(viaIp)).status()).isEqualTo(200);

      // Revocation through the other name does not know the token: 200 (RFC 7009), and it stays good.
      Response revoke = byIp.send("POST", "/oauth/revoke", server.owner(), "token=" + viaName, "application/x-www-form-urlencoded");
      assertThat(revoke.status()).isEqualTo(200);
      assertThat(byName.get("/api/v1/me", Auth.bearer(viaName)).status()).isEqualTo(200);
    }

    @Test
    void userTokenWhenPresentedThroughAnotherHostNameThenRefused() {
      NewUser alice = Fixtures.person(byIp, server.owner(), "admin");
      Response signedIn = byName.post("/api/v1/auth", robot.key(), Map.of("login", alice.email(), "password", alice.password()));
      assertThat(signedIn.status()).as("%s", signedIn).isEqualTo(200);
      Auth both = Auth.raw("Bearer " + robot.defaultKey() + ", User " + signedIn.text("user_token"));
      assertThat(byName.get("/api/v1/me", both).status()).isEqualTo(200);
      Response elsewhere = byIp.get("/api/v1/me", both);
      assertThat(elsewhere.status()).as("%s", elsewhere).isEqualTo(401);
      assertThat(elsewhere.text("message")).contains("user token");
    }

    @Test
    void hostWhenNotStrictHostAndPortThen400AndNothingIssuedOrAccepted() {
      String token = exchange(byIp, robot.defaultKey());
      List<String> bad = List.of("auth.example.test.", "auth..example.test", "-auth.example.test", "auth.example.test:0",
          "auth.example.test:65536", "auth.example.test:080", "auth.example.test:", "auth.example.test:http", "1.2.3",
          "01.2.3.4", "256.1.1.1", "a!b.example.test", "a$b.example.test", "ex%41mple.test", "[::1", "[::1]x", "[zz::1]",
          "[1:2:3:4:5:6:7:8:9]", "[fe80::1%25eth0]", "user@auth.example.test", "auth.example.test/path", "auth.example.test:80:80");
      for (String host : bad) {
        Response exchanged = byIp.withHost(host, "POST", "/auth/api-key", Auth.NONE, "{\"apiKey\":\"" + robot.defaultKey() + "\"}",
            "application/json");
        assertThat(exchanged.status()).as("Host %s: %s", host, exchanged).isEqualTo(400);
        assertThat(exchanged.header("content-type")).as("Host %s", host).isEqualTo(JSON_TYPE);
        assertThat(exchanged.error()).as("Host %s", host).isEqualTo("invalid_request");
        assertThat(exchanged.body()).as("Host %s", host).doesNotContain("access_token").doesNotContain(host);

        Response metadata = byIp.withHost(host, "GET", "/.well-known/oauth-authorization-server", Auth.NONE, null, null);
        assertThat(metadata.status()).as("Host %s: %s", host, metadata).isEqualTo(400);
        assertThat(metadata.body()).as("Host %s", host).doesNotContain("issuer");

        Response me = byIp.withHost(host, "GET", "/api/v1/me", Auth.bearer(token), null, null);
        assertThat(me.status()).as("Host %s: %s", host, me).isEqualTo(400);
        assertThat(me.body()).doesNotContain("userId");
      }
      // Where Keyward itself refuses (not the HTTP layer before it), the answer says why: in the
      // RFC 6749 shape on the OAuth endpoints, in the API's own elsewhere.
      Response oauth = byIp.withHost("a!b.example.test", "POST", "/api/v1/token", Auth.NONE, "grant_type=client_credentials",
          "application/x-www-form-urlencoded");
      assertThat(oauth.status()).isEqualTo(400);
      assertThat(oauth.text("error_description")).contains("Host header");
      Response api = byIp.withHost("a!b.example.test", "GET", "/api/v1/me", Auth.bearer(token), null, null);
      assertThat(api.text("field")).isEqualTo("Host");
      // No Host header at all, and two of them.
      assertThat(byIp.withHost(null, "GET", "/.well-known/oauth-authorization-server", Auth.NONE, null, null).status()).isEqualTo(400);
      Response two = byIp.raw(("GET /.well-known/oauth-authorization-server HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: localhost\r\n"
          + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      assertThat(two.status()).as("%s", two).isEqualTo(400);
      // The control: the same token through a good Host.
      assertThat(byIp.withHost("127.0.0.1:" + server.port(), "GET", "/api/v1/me", Auth.bearer(token), null, null).status())
          .isEqualTo(200);
    }
  }

  @Nested
  class Configured {
    static final String ISSUER = "https://auth.example.test";

    @Test
    void issuerWhenConfiguredThenItWinsInMetadataAndTokensWhateverTheHost() throws Exception {
      try (TestServer configured = TestServer.start(c -> c.withTokens(c.tokens().withIssuer(ISSUER)))) {
        TestHttp ip = configured.http();
        TestHttp name = new TestHttp("http://localhost:" + configured.port());
        for (Response m : List.of(ip.get("/.well-known/oauth-authorization-server", Auth.NONE),
            name.get("/.well-known/oauth-authorization-server", Auth.NONE),
            ip.withHost("other.example.test", "GET", "/.well-known/oauth-authorization-server", Auth.NONE, null, null))) {
          assertThat(m.status()).as("%s", m).isEqualTo(200);
          assertThat(m.text("issuer")).isEqualTo(ISSUER);
          // The endpoints hang off the configured public URL, not the Host a proxy forwards.
          assertThat(m.text("token_endpoint")).isEqualTo(ISSUER + "/api/v1/token");
        }
        String key = Fixtures.programmatic(ip, configured.owner(), "admin").defaultKey();
        String viaName = exchange(name, key);
        assertThat(claims(viaName).getIssuer()).isEqualTo(ISSUER);
        assertThat(claims(viaName).getAudience()).containsExactly(ISSUER);
        // One issuer: the token is good through any host name.
        assertThat(ip.get("/api/v1/me", Auth.bearer(viaName)).status()).isEqualTo(200);
        assertThat(ip.withHost("other.example.test", "GET", "/api/v1/me", Auth.bearer(viaName), null, null).status()).isEqualTo(200);
        // The Host header plays no part in the issuer, so an odd one is not refused for it.
        Response odd = ip.withHost("a!b.example.test", "POST", "/auth/api-key", Auth.NONE, "{\"apiKey\":\"" + key + "\"}",
            "application/json");
        assertThat(odd.status()).as("%s", odd).isEqualTo(200);
        assertThat(claims(odd.text("access_token")).getIssuer()).isEqualTo(ISSUER);
      }
    }
  }
}
