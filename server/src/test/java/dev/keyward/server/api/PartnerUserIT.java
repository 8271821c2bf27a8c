package dev.keyward.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.server.testing.TestHttp;
import dev.keyward.server.testing.TestHttp.Auth;
import dev.keyward.server.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** POST /api/v1/auth and the 'Bearer <partner key>, User <user token>' form. */
class PartnerUserIT {
  static TestServer server;
  static TestHttp http;
  static String partnerKey;
  static String partnerKeyId;
  static String aliceId;
  static final String ALICE_PASSWORD = "alice password 123";

  @BeforeAll
  static void start() {
    server = TestServer.start();
    http = server.http();
    // The partner application: a programmatic user with roles admin and reader... here: admin only.
    TestHttp.Response app = http.post("/api/v1/users", server.owner(),
        Map.of("email", "app@partner.example", "name", "Partner app", "programmatic", true, "roles", List.of("admin")));
    partnerKey = app.text("defaultKey");
    partnerKeyId = app.text("defaultKeyId");
    aliceId = http.post("/api/v1/users", server.owner(),
        Map.of("email", "alice@example.com", "name", "Alice", "password", ALICE_PASSWORD, "roles", List.of("admin"))).text("id");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static TestHttp.Response signIn(String login, String password) {
    return http.post("/api/v1/auth", Auth.bearer(partnerKey), Map.of("login", login, "password", password));
  }

  @Test
  void authWhenPartnerKeyAndRightPasswordThenUserTokenActsAsUserThroughPartner() {
    TestHttp.Response r = signIn("alice@example.com", ALICE_PASSWORD);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("expires_in").asLong()).isEqualTo(3600);
    String userToken = r.text("user_token");
    TestHttp.Response me = http.get("/api/v1/me", Auth.raw("Bearer " + partnerKey + ", User " + userToken));
    assertThat(me.status()).as(me.body()).isEqualTo(200);
    assertThat(me.text("userId")).isEqualTo(aliceId);
    assertThat(me.json().path("credential").path("type").asText()).isEqualTo("partner_user");
    assertThat(me.json().path("credential").path("keyId").asText()).isEqualTo(partnerKeyId);
    assertThat(me.json().path("roles").toString()).isEqualTo("[\"admin\"]");
  }

  @Test
  void authWhenWrongPasswordUnknownLoginOrNoPartnerKeyThenRefused() {
    TestHttp.Response wrong = signIn("alice@example.com", "nope nope nope");
    TestHttp.Response unknown = signIn("nobody@example.com", "nope nope nope");
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(wrong.text("message")).isEqualTo(unknown.text("message"));
    TestHttp.Response byPassword = http.post("/api/v1/auth", server.owner(), Map.of("login", "alice@example.com", "password", ALICE_PASSWORD));
    assertThat(byPassword.status()).isEqualTo(403);
    assertThat(http.post("/api/v1/auth", Auth.NONE, Map.of("login", "alice@example.com", "password", ALICE_PASSWORD)).status()).isEqualTo(401);
    assertThat(http.post("/api/v1/auth", Auth.bearer(partnerKey), Map.of("login", "alice@example.com")).status()).isEqualTo(400);
  }

  @Test
  void userTokenWhenUsedAloneOrAsAccessTokenOrWithAnotherKeyThenRefused() {
    String userToken = signIn("alice@example.com", ALICE_PASSWORD).text("user_token");
    assertThat(http.get("/api/v1/me", Auth.bearer(userToken)).status()).as("a user token is no access token").isEqualTo(401);
    String otherKey = http.post("/api/v1/keys", server.owner(), Map.of("name", "other-" + System.nanoTime())).text("key");
    TestHttp.Response other = http.get("/api/v1/me", Auth.raw("Bearer " + otherKey + ", User " + userToken));
    assertThat(other.status()).as("bound to the partner key that asked for it").isEqualTo(401);
    assertThat(other.text("message")).contains("user token");
  }

  @Test
  void partnerFormWhenMalformedThenRefusedNamingThePart() {
    String userToken = signIn("alice@example.com", ALICE_PASSWORD).text("user_token");
    TestHttp.Response badPartner = http.get("/api/v1/me", Auth.raw("Bearer kw_live_nope, User " + userToken));
    assertThat(badPartner.status()).isEqualTo(401);
    assertThat(badPartner.text("message")).contains("partner key");
    TestHttp.Response missingUser = http.get("/api/v1/me", Auth.raw("Bearer " + partnerKey + ", User "));
    assertThat(missingUser.status()).isEqualTo(401);
    assertThat(missingUser.text("message")).contains("user token");
    TestHttp.Response swapped = http.get("/api/v1/me", Auth.raw("Bearer " + userToken + ", User " + partnerKey));
    assertThat(swapped.status()).isEqualTo(401);
    TestHttp.Response trailing = http.get("/api/v1/me", Auth.raw("Bearer " + partnerKey + ","));
    assertThat(trailing.status()).isIn(400, 401);
  }

  @Test
  void userTokenWhenPasswordResetOrPartnerKeyRevokedThenRefused() {
    TestHttp.Response bob = http.post("/api/v1/users", server.owner(),
        Map.of("email", "bob-" + System.nanoTime() + "@example.com", "name", "Bob", "password", "bob password 123"));
    String bobEmail = bob.text("email");
    String userToken = signIn(bobEmail, "bob password 123").text("user_token");
    Auth form = Auth.raw("Bearer " + partnerKey + ", User " + userToken);
    assertThat(http.get("/api/v1/me", form).status()).isEqualTo(200);
    assertThat(http.post("/api/v1/users/" + bob.text("id") + "/reset-password", server.owner(), null).status()).isEqualTo(200);
    assertThat(http.get("/api/v1/me", form).status()).as("reset password ends the user's sessions").isEqualTo(401);
  }
}
