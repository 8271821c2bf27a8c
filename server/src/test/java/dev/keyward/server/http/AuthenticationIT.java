package dev.keyward.server.http;

import static dev.keyward.server.http.GuardedHttp.assertError;
import static dev.keyward.server.http.GuardedHttp.poll;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyward.core.auth.Authenticator;
import dev.keyward.core.key.ApiKeyFormat;
import dev.keyward.core.key.Environment;
import dev.keyward.server.testing.TestHttp.Auth;
import dev.keyward.server.testing.TestHttp.Response;
import dev.keyward.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The three ways to authenticate of issue 2 on {@code GET /api/v1/me}, and every bad
 * {@code Authorization} input: status, JSON body, content type, request id and, on 401, the
 * Bearer and Basic challenges. Refused credentials of every kind (unknown, wrong checksum, typo,
 * revoked, expired, deleted owner) get the same answer.
 */
class AuthenticationIT {
  private static final String ME = "/api/v1/me";
  private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  static TestServer server;
  static GuardedHttp http;
  /** A production key of the owner, created per class. */
  static String ownerKey;
  static String ownerKeyId;
  /** A key that expires two seconds after the class starts (it is checked to work first). */
  static String expiringKey;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    http = new GuardedHttp(server.http());
    expiringKey = createKey("expiring", Instant.now().plusSeconds(2)).path("key").asText();
    assertThat(me(Auth.bearer(expiringKey)).status()).as("the expiring key works before it expires").isEqualTo(200);
    JsonNode key = createKey("auth-it", null);
    ownerKey = key.path("key").asText();
    ownerKeyId = key.path("id").asText();
  }

  @AfterAll
  static void stop() {
    try {
      http.assertNoServerErrors();
    } finally {
      server.close();
    }
  }

  // ----- helpers -----

  static Response me(Auth auth) {
    return http.get(ME, auth);
  }

  static JsonNode createKey(String name, Instant expiresAt) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("environment", "production");
    if (expiresAt != null) {
      body.put("expiresAt", expiresAt.toString());
    }
    Response r = http.post("/api/v1/keys", server.owner(), body);
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json();
  }

  static JsonNode createUser(String email, boolean programmatic, String password) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("email", email);
    body.put("name", "User " + email);
    body.put("programmatic", programmatic);
    if (password != null) {
      body.put("password", password);
    }
    Response r = http.post("/api/v1/users", server.owner(), body);
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json();
  }

  static Auth basicBytes(byte[] userColonPassword) {
    return Auth.raw("Basic " + Base64.getEncoder().encodeToString(userColonPassword));
  }

  static String randomBase62(int length) {
    SecureRandom random = new SecureRandom();
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(BASE62.charAt(random.nextInt(BASE62.length())));
    }
    return sb.toString();
  }

  /** A key with a valid format and checksum that was never issued. */
  static String unknownWellFormedKey() {
    String key = ApiKeyFormat.format(Environment.PRODUCTION, randomBase62(ownerKey.length() - 14)).reveal();
    assertThat(key).hasSameSizeAs(ownerKey);
    assertThat(ApiKeyFormat.parse(key)).as("well-formed").isPresent();
    return key;
  }

  static String replaceAt(String s, int i, char c) {
    return s.substring(0, i) + c + s.substring(i + 1);
  }

  /** Another base62 character than {@code c}. */
  static char other(char c) {
    return c == 'x' ? 'y' : 'x';
  }

  /** What an answer looks like with the request id taken out, for "the same answer" checks. */
  static Map<String, Object> shape(Response r) {
    ObjectNode body = (ObjectNode) r.json().deepCopy();
    body.remove("request_id");
    Map<String, Object> shape = new LinkedHashMap<>();
    shape.put("status", r.status());
    shape.put("body", body);
    shape.put("content-type", r.headerValues("content-type"));
    shape.put("www-authenticate", r.headerValues("www-authenticate"));
    shape.put("cache-control", r.headerValues("cache-control"));
    return shape;
  }

  static void assertInvalidCredentials(Response r) {
    JsonNode body = assertError(r, 401, "invalid_credentials");
    assertThat(body.path("message").asText()).isEqualTo(Authenticator.INVALID_MESSAGE);
    assertThat(body.has("field")).isFalse();
  }

  @Nested
  class Ok {
    @Test
    void meWhenBearerKeyThenApiKeyCredential() {
      Response r = me(Auth.bearer(ownerKey));
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      assertThat(r.header("content-type")).isEqualTo(GuardedHttp.JSON_UTF8);
      assertThat(r.json().path("email").asText()).isEqualTo(TestServer.ADMIN_EMAIL);
      assertThat(r.json().path("credential").path("type").asText()).isEqualTo("api_key");
      assertThat(r.json().path("credential").path("keyId").asText()).isEqualTo(ownerKeyId);
    }

    @Test
    void meWhenBasicKeyAsUserWithEmptyPasswordThenApiKeyCredential() {
      Response r = me(Auth.basic(ownerKey, ""));
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      assertThat(r.json().path("credential").path("type").asText()).isEqualTo("api_key");
      assertThat(r.json().path("credential").path("keyId").asText()).isEqualTo(ownerKeyId);
    }

    @Test
    void meWhenBasicEmailAndGeneratedPasswordThenProgrammaticUserWithPasswordCredential() {
      JsonNode user = createUser("robot-ok@example.com", true, null);
      String password = user.path("password").asText();
      assertThat(password).as("generated password").isNotBlank();
      assertThat(user.path("defaultKey").asText()).startsWith("kw_");
      Response r = me(Auth.basic("robot-ok@example.com", password));
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      assertThat(r.json().path("userId").asText()).isEqualTo(user.path("id").asText());
      assertThat(r.json().path("email").asText()).isEqualTo("robot-ok@example.com");
      assertThat(r.json().path("credential").path("type").asText()).isEqualTo("password");
      Response byKey = me(Auth.bearer(user.path("defaultKey").asText()));
      assertThat(byKey.status()).as(byKey.toString()).isEqualTo(200);
      assertThat(byKey.json().path("userId").asText()).isEqualTo(user.path("id").asText());
      assertThat(byKey.json().path("credential").path("keyId").asText()).isEqualTo(user.path("defaultKeyId").asText());
    }

    @Test
    void meWhenSchemeInAnyCaseThenAccepted() {
      String basic = Base64.getEncoder().encodeToString((TestServer.ADMIN_EMAIL + ":" + TestServer.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
      for (String header : List.of("bearer " + ownerKey, "BEARER " + ownerKey, "bEaReR " + ownerKey, "basic " + basic, "BASIC " + basic)) {
        Response r = me(Auth.raw(header));
        assertThat(r.status()).as(header + " -> " + r).isEqualTo(200);
      }
    }

    @Test
    void meWhenSeveralSpacesAfterSchemeThenAccepted() {
      String basic = Base64.getEncoder().encodeToString((ownerKey + ":").getBytes(StandardCharsets.UTF_8));
      for (String header : List.of("Bearer  " + ownerKey, "Bearer     " + ownerKey, "Basic   " + basic)) {
        Response r = me(Auth.raw(header));
        assertThat(r.status()).as(header + " -> " + r).isEqualTo(200);
        assertThat(r.json().path("credential").path("keyId").asText()).isEqualTo(ownerKeyId);
      }
    }

    @Test
    void meWhenPasswordHasColonsThenSplitOnFirstColon() {
      String password = "a:b:c:long-enough";
      JsonNode user = createUser("colons@example.com", false, password);
      assertThat(user.has("password")).as("a person's own password is not echoed").isFalse();
      Response r = me(Auth.basic("colons@example.com", password));
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      assertThat(r.json().path("email").asText()).isEqualTo("colons@example.com");
      assertThat(r.json().path("credential").path("type").asText()).isEqualTo("password");
      // Split on the last colon, the user would be "colons@example.com:a:b:c": it authenticates
      // only because the split is on the first one. A prefix of the password is another one.
      assertInvalidCredentials(me(Auth.basic("colons@example.com", "a:b:c")));
      assertInvalidCredentials(me(Auth.basic("colons@example.com", "a")));
    }
  }

  @Nested
  class Unauthenticated {
    @Test
    void meWhenNoAuthorizationThenUnauthenticated() {
      JsonNode body = assertError(me(Auth.NONE), 401, "unauthenticated");
      assertThat(body.path("message").asText()).contains("Authorization");
    }

    @Test
    void meWhenEmptyAuthorizationThenUnauthenticated() {
      assertError(http.rawGet(ME, "Authorization:"), 401, "unauthenticated");
      assertError(http.rawGet(ME, "Authorization:    "), 401, "unauthenticated");
    }

    @Test
    void meWhenUnknownSchemeThenUnauthenticated() {
      for (String header : List.of("Digest x", "Token " + ownerKey, "ApiKey " + ownerKey, "Negotiate abc", ownerKey)) {
        JsonNode body = assertError(me(Auth.raw(header)), 401, "unauthenticated");
        assertThat(body.path("message").asText()).as(header).containsAnyOf("Bearer", "scheme");
      }
    }

    @Test
    void meWhenSchemeWithoutCredentialThenUnauthenticated() {
      for (Response r : List.of(me(Auth.raw("Bearer")), me(Auth.raw("Basic")), http.rawGet(ME, "Authorization: Bearer "),
          http.rawGet(ME, "Authorization: Basic   "))) {
        JsonNode body = assertError(r, 401, "unauthenticated");
        assertThat(body.path("message").asText()).contains("scheme and a credential");
      }
    }
  }

  @Nested
  class InvalidCredentials {
    @Test
    void meWhenBasicNotBase64ThenInvalidCredentials() {
      for (String value : List.of("admin:admin", "b3duZXI", "dXNlcg", "!!!!", "a2V5Og==x", "b3du ZXI6cHc=", "_-_-")) {
        assertInvalidCredentials(me(Auth.raw("Basic " + value)));
      }
    }

    @Test
    void meWhenBasicWithoutColonThenInvalidCredentials() {
      assertInvalidCredentials(me(Auth.raw("Basic dXNlcg==")));
      assertInvalidCredentials(me(basicBytes(ownerKey.getBytes(StandardCharsets.US_ASCII))));
      assertInvalidCredentials(me(basicBytes(TestServer.ADMIN_EMAIL.getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void meWhenBasicEmptyUserThenInvalidCredentials() {
      assertInvalidCredentials(me(Auth.basic("", TestServer.ADMIN_PASSWORD)));
      assertInvalidCredentials(me(Auth.basic("", "")));
    }

    @Test
    void meWhenBasicNulUserThenInvalidCredentials() {
      assertInvalidCredentials(me(Auth.raw("Basic ADo=")));
      assertInvalidCredentials(me(Auth.basic("\0", TestServer.ADMIN_PASSWORD)));
      assertInvalidCredentials(me(Auth.basic(TestServer.ADMIN_EMAIL + "\0", TestServer.ADMIN_PASSWORD)));
    }

    @Test
    void meWhenBasicLatin1BytesThenInvalidCredentials() {
      String password = "pässwörd-latin1";
      createUser("latin@example.com", false, password);
      assertThat(me(Auth.basic("latin@example.com", password)).status()).as("UTF-8 works").isEqualTo(200);
      assertInvalidCredentials(me(basicBytes(("latin@example.com:" + password).getBytes(StandardCharsets.ISO_8859_1))));
      assertInvalidCredentials(me(basicBytes("usér@example.com:pw-long-enough".getBytes(StandardCharsets.ISO_8859_1))));
      assertThat(String.join(", ", me(Auth.NONE).headerValues("www-authenticate"))).contains("charset=\"UTF-8\"");
    }

    @Test
    void meWhenKeyAsBasicUserWithNonEmptyPasswordThenInvalidCredentials() {
      assertInvalidCredentials(me(Auth.basic(ownerKey, "x")));
      assertInvalidCredentials(me(Auth.basic(ownerKey, ownerKey)));
    }

    @Test
    void meWhenWrongPasswordOrUnknownEmailThenSameAnswer() {
      Response wrong = me(Auth.basic(TestServer.ADMIN_EMAIL, "not the password"));
      Response unknown = me(Auth.basic("nobody@example.com", "not the password"));
      assertInvalidCredentials(wrong);
      assertInvalidCredentials(unknown);
      assertThat(shape(wrong)).isEqualTo(shape(unknown));
    }

    @Test
    void meWhenKeyMalformedOrUnknownOrDeadThenOneAnswer() {
      Response reference = me(Auth.bearer(unknownWellFormedKey()));
      assertInvalidCredentials(reference);

      int last = ownerKey.length() - 1;
      int middle = 20;
      Map<String, String> bad = new LinkedHashMap<>();
      bad.put("wrong checksum", replaceAt(ownerKey, last, other(ownerKey.charAt(last))));
      bad.put("one-char typo", replaceAt(ownerKey, middle, other(ownerKey.charAt(middle))));
      bad.put("case flip", flipFirstLetterCase(ownerKey));
      bad.put("transposition", transpose(ownerKey));
      bad.put("wrong prefix KW_LIVE_", "KW_LIVE_" + ownerKey.substring(8));
      bad.put("other prefix", "xx_live_" + ownerKey.substring(8));
      bad.put("truncated", ownerKey.substring(0, last));
      bad.put("one char more", ownerKey + "a");
      bad.put("base64 characters", replaceAt(ownerKey, middle, '+'));
      bad.put("not a key at all", "hello");
      bad.put("trailing garbage", ownerKey + "%00");
      bad.put("revoked", revokedKey());
      bad.put("deleted user's key", deletedUsersKey());
      bad.put("expired", poll("the key expires", Duration.ofSeconds(5),
          () -> expiringKey, k -> me(Auth.bearer(k)).status() == 401));
      for (Map.Entry<String, String> e : bad.entrySet()) {
        assertThat(e.getValue()).as(e.getKey()).isNotEqualTo(ownerKey);
        for (Auth auth : List.of(Auth.bearer(e.getValue()), Auth.basic(e.getValue(), ""))) {
          Response r = me(auth);
          assertInvalidCredentials(r);
          assertThat(shape(r)).as(e.getKey() + " (" + auth.header().substring(0, 6) + ")").isEqualTo(shape(reference));
          assertThat(r.text("request_id")).isNotEqualTo(reference.text("request_id"));
        }
      }
      // The key these were derived from still works: the answers above are about the changes.
      assertThat(me(Auth.bearer(ownerKey)).status()).isEqualTo(200);
    }

    private static String flipFirstLetterCase(String key) {
      for (int i = 8; i < key.length(); i++) {
        char c = key.charAt(i);
        if (Character.isLetter(c)) {
          char flipped = Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c);
          return replaceAt(key, i, flipped);
        }
      }
      throw new AssertionError("no letter in " + key.length() + " characters");
    }

    private static String transpose(String key) {
      for (int i = 8; i + 1 < key.length(); i++) {
        if (key.charAt(i) != key.charAt(i + 1)) {
          return key.substring(0, i) + key.charAt(i + 1) + key.charAt(i) + key.substring(i + 2);
        }
      }
      throw new AssertionError("no two different neighbours");
    }

    private static String revokedKey() {
      JsonNode k = createKey("to-revoke", null);
      String key = k.path("key").asText();
      assertThat(me(Auth.bearer(key)).status()).isEqualTo(200);
      assertThat(http.post("/api/v1/keys/" + k.path("id").asText() + "/revoke", server.owner(), null).status()).isEqualTo(200);
      return key;
    }

    private static String deletedUsersKey() {
      JsonNode user = createUser("deleted-" + randomBase62(6).toLowerCase(java.util.Locale.ROOT) + "@example.com", true, null);
      String key = user.path("defaultKey").asText();
      assertThat(me(Auth.bearer(key)).status()).isEqualTo(200);
      assertThat(http.delete("/api/v1/users/" + user.path("id").asText(), server.owner()).status()).isEqualTo(204);
      return key;
    }
  }

  @Nested
  class BadRequest {
    @Test
    void meWhenBearerValueHasSpacesThenInvalidRequest() {
      for (String header : List.of("Bearer " + ownerKey + " extra", "Bearer a b", "Bearer " + ownerKey + "\tx")) {
        JsonNode body = assertError(me(Auth.raw(header)), 400, "invalid_request");
        assertThat(body.path("message").asText()).contains("single token");
      }
    }

    @Test
    void meWhenBearerValueHasCommaThenInvalidRequest() {
      for (String header : List.of("Bearer a,b", "Bearer " + ownerKey + "," + ownerKey, "Bearer " + ownerKey + ",")) {
        assertError(me(Auth.raw(header)), 400, "invalid_request");
      }
    }

    @Test
    void meWhenAuthorizationIsTenKilobytesThenInvalidRequest() {
      String big = "kw_live_" + "a".repeat(10_000);
      JsonNode body = assertError(me(Auth.bearer(big)), 400, "invalid_request");
      assertThat(body.path("message").asText()).contains("too long");
      assertError(me(Auth.raw("Basic " + Base64.getEncoder().encodeToString(("a@b.c:" + "p".repeat(7_500)).getBytes(StandardCharsets.UTF_8)))),
          400, "invalid_request");
    }

    @Test
    void meWhenHeadersFarOverTheServerLimitThenJsonRefusal() {
      for (int size : new int[] {20_000, 100_000}) {
        Response r = http.rawGet(ME, "Authorization: Bearer " + "a".repeat(size));
        assertThat(r.status()).as(r.toString()).isIn(400, 431);
        assertError(r, r.status(), r.status() == 400 ? "invalid_request" : "headers_too_large");
      }
    }

    @Test
    void meWhenTwoAuthorizationHeadersThenInvalidRequest() {
      JsonNode body = assertError(http.rawGet(ME, "Authorization: Bearer " + ownerKey, "Authorization: Bearer " + ownerKey), 400, "invalid_request");
      assertThat(body.path("message").asText()).contains("one Authorization header");
      assertError(http.rawGet(ME, "Authorization: Bearer " + ownerKey,
          "Authorization: Basic " + Base64.getEncoder().encodeToString((TestServer.ADMIN_EMAIL + ":" + TestServer.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8))),
          400, "invalid_request");
    }

    @Test
    void meWhenCredentialsInUrlThenInvalidRequest() {
      for (String query : List.of("api_key=" + ownerKey, "access_token=" + ownerKey, "password=x", "API_KEY=" + ownerKey, "apikey=" + ownerKey, "token=" + ownerKey)) {
        for (Auth auth : List.of(Auth.NONE, Auth.bearer(ownerKey))) {
          JsonNode body = assertError(http.get(ME + "?" + query, auth), 400, "invalid_request");
          assertThat(body.path("message").asText()).contains("URL");
        }
      }
    }

    @Test
    void meWhenRawObsTextOrControlBytesInHeaderThenJsonRefusal() {
      // obs-text (a Latin-1 byte) reaches the parser and is no key: 401 like any bad key.
      assertInvalidCredentials(http.raw(rawAuthorization((byte) 0xE9)));
      // Control characters are refused by the HTTP parser itself, still in JSON.
      for (byte b : new byte[] {0x00, 0x01, 0x7F}) {
        JsonNode body = assertError(http.raw(rawAuthorization(b)), 400, "invalid_request");
        assertThat(body.path("message").asText()).contains("could not be parsed");
      }
    }

    private static byte[] rawAuthorization(byte odd) {
      byte[] head = ("GET " + ME + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: Bearer kw").getBytes(StandardCharsets.US_ASCII);
      byte[] tail = "x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
      byte[] req = new byte[head.length + 1 + tail.length];
      System.arraycopy(head, 0, req, 0, head.length);
      req[head.length] = odd;
      System.arraycopy(tail, 0, req, head.length + 1, tail.length);
      return req;
    }
  }

  @Nested
  class TakesEffectAtOnce {
    @Test
    void revokeWhenKeyInUseThenRefusedImmediately() {
      JsonNode k = createKey("revoke-now", null);
      String key = k.path("key").asText();
      assertThat(me(Auth.bearer(key)).status()).isEqualTo(200);
      assertThat(me(Auth.basic(key, "")).status()).as("cached in both forms").isEqualTo(200);
      Response revoked = http.post("/api/v1/keys/" + k.path("id").asText() + "/revoke", server.owner(), null);
      assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
      assertThat(revoked.json().path("revokedAt").isNull()).isFalse();
      assertInvalidCredentials(me(Auth.bearer(key)));
      assertInvalidCredentials(me(Auth.basic(key, "")));
    }

    @Test
    void resetPasswordWhenDoneThenOldRefusedAndNewWorksImmediately() {
      JsonNode user = createUser("reset-me@example.com", true, null);
      String old = user.path("password").asText();
      assertThat(me(Auth.basic("reset-me@example.com", old)).status()).isEqualTo(200);
      Response reset = http.post("/api/v1/users/" + user.path("id").asText() + "/reset-password", server.owner(), null);
      assertThat(reset.status()).as(reset.toString()).isEqualTo(200);
      String fresh = reset.text("password");
      assertThat(fresh).isNotBlank().isNotEqualTo(old);
      assertInvalidCredentials(me(Auth.basic("reset-me@example.com", old)));
      Response r = me(Auth.basic("reset-me@example.com", fresh));
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      assertThat(r.json().path("userId").asText()).isEqualTo(user.path("id").asText());
    }

    @Test
    void deleteUserWhenKeysInUseThenRefusedImmediately() {
      JsonNode user = createUser("delete-me@example.com", true, null);
      String defaultKey = user.path("defaultKey").asText();
      Response second = http.post("/api/v1/keys", server.owner(),
          Map.of("name", "second", "userId", user.path("id").asText(), "environment", "production"));
      assertThat(second.status()).as(second.toString()).isEqualTo(201);
      String secondKey = second.text("key");
      String password = user.path("password").asText();
      for (Auth auth : List.of(Auth.bearer(defaultKey), Auth.bearer(secondKey), Auth.basic(secondKey, ""), Auth.basic("delete-me@example.com", password))) {
        assertThat(me(auth).status()).isEqualTo(200);
      }
      assertThat(http.delete("/api/v1/users/" + user.path("id").asText(), server.owner()).status()).isEqualTo(204);
      for (Auth auth : List.of(Auth.bearer(defaultKey), Auth.bearer(secondKey), Auth.basic(secondKey, ""), Auth.basic("delete-me@example.com", password))) {
        assertInvalidCredentials(me(auth));
      }
    }

    @Test
    void lastUsedAtWhenKeyUsedThenListedWithinSecondsAndFirstUseAuditedOnce() {
      JsonNode k = createKey("last-used", null);
      String id = k.path("id").asText();
      String key = k.path("key").asText();
      Response before = http.get("/api/v1/keys/" + id, server.owner());
      assertThat(before.json().path("lastUsedAt").isNull()).as("not used yet: " + before).isTrue();
      assertThat(firstUseEvents(id)).isEmpty();

      Instant used = Instant.now().minusMillis(5);
      assertThat(me(Auth.bearer(key)).status()).isEqualTo(200);
      JsonNode listed = poll("lastUsedAt is set", Duration.ofSeconds(3),
          () -> http.get("/api/v1/keys/" + id, server.owner()).json(), j -> !j.path("lastUsedAt").isNull());
      Instant first = Instant.parse(listed.path("lastUsedAt").asText());
      assertThat(first).isAfter(used).isBefore(Instant.now().plusSeconds(1));
      Response list = http.get("/api/v1/keys", server.owner());
      assertThat(list.json().path("keys").findValues("id").stream().map(JsonNode::asText)).contains(id);
      // The audit event is written right after the last-used time, by the same flush: wait for it.
      assertThat(poll("first use audited", Duration.ofSeconds(3), () -> firstUseEvents(id), e -> !e.isEmpty())).hasSize(1);

      assertThat(me(Auth.basic(key, "")).status()).isEqualTo(200);
      poll("lastUsedAt moves on", Duration.ofSeconds(3),
          () -> http.get("/api/v1/keys/" + id, server.owner()).json(),
          j -> Instant.parse(j.path("lastUsedAt").asText()).isAfter(first));
      List<JsonNode> events = firstUseEvents(id);
      assertThat(events).as("first use is audited once").hasSize(1);
      assertThat(events.get(0).path("subjectType").asText()).isEqualTo("key");
    }

    private static List<JsonNode> firstUseEvents(String keyId) {
      Response r = http.get("/api/v1/audit?event=key.first_used", server.owner());
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      List<JsonNode> out = new ArrayList<>();
      for (JsonNode e : r.json().path("events")) {
        assertThat(e.path("event").asText()).isEqualTo("key.first_used");
        if (keyId.equals(e.path("subjectId").asText())) {
          out.add(e);
        }
      }
      return out;
    }
  }
}
