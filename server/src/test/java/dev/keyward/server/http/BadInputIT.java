package dev.keyward.server.http;

import static dev.keyward.server.http.GuardedHttp.assertError;
import static dev.keyward.server.http.GuardedHttp.assertFieldError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyward.server.testing.TestHttp;
import dev.keyward.server.testing.TestHttp.Auth;
import dev.keyward.server.testing.TestHttp.Response;
import dev.keyward.server.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Bad JSON bodies, content types, ids, routes and domain values on {@code POST /api/v1/users},
 * {@code POST /api/v1/keys} and {@code PATCH /api/v1/users/{id}}: each gets its 4xx with a JSON
 * error body, and no request of the class is ever answered with a 5xx.
 */
class BadInputIT {
  private static final String USERS = "/api/v1/users";
  private static final String KEYS = "/api/v1/keys";

  static TestServer server;
  static GuardedHttp http;
  static Auth owner;
  /** A user without roles, the target of the PATCH requests and of key roles above its own. */
  static String plainUserId;

  /** One endpoint that takes a JSON body, with a body it accepts. */
  record Target(String method, String path, Map<String, Object> valid) {
    String validBody() {
      return TestHttp.write(valid);
    }

    /** The valid body with {@code field} set to the raw JSON text {@code rawValue}. */
    String with(String field, String rawValue) {
      Map<String, Object> rest = new LinkedHashMap<>(valid);
      rest.remove(field);
      String head = TestHttp.write(rest);
      return head.substring(0, head.length() - 1) + (rest.isEmpty() ? "" : ",") + "\"" + field + "\":" + rawValue + "}";
    }

    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  static List<Target> targets() {
    return List.of(
        new Target("POST", USERS, Map.of("email", "valid-" + System.nanoTime() + "@example.com", "name", "Valid", "programmatic", true)),
        new Target("POST", KEYS, Map.of("name", "valid-" + System.nanoTime(), "environment", "sandbox")),
        new Target("PATCH", USERS + "/" + plainUserId, Map.of("name", "Renamed")));
  }

  @BeforeAll
  static void start() {
    server = TestServer.start();
    http = new GuardedHttp(server.http());
    owner = server.owner();
    Response r = http.post(USERS, owner, Map.of("email", "plain@example.com", "name", "Plain", "programmatic", true, "roles", List.of()));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    plainUserId = r.text("id");
  }

  @AfterAll
  static void stop() {
    try {
      http.assertNoServerErrors();
    } finally {
      server.close();
    }
  }

  static Response send(Target t, String body) {
    return http.send(t.method(), t.path(), owner, body, "application/json");
  }

  static Response sendBytes(Target t, String contentType, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String head = t.method() + " " + t.path() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        + "Authorization: " + owner.header() + "\r\n"
        + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
        + "Content-Length: " + body.length + "\r\n\r\n";
    out.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(body);
    return http.raw(out.toByteArray());
  }

  /** Creates a user; the JSON answer. */
  static JsonNode createUser(String email, List<String> roles) {
    Response r = http.post(USERS, owner, Map.of("email", email, "name", "N", "programmatic", true, "roles", roles));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json();
  }

  @Nested
  class Ok {
    /** The bodies the other tests break are themselves accepted: the refusals are about the breakage. */
    @Test
    void sendWhenValidBodyThenAccepted() {
      for (Target t : targets()) {
        Response r = send(t, t.validBody());
        assertThat(r.status()).as(t + " -> " + r).isIn(200, 201);
        Response bytes = sendBytes(t, "application/json; charset=utf-8", t.validBody().replace("valid-", "bytes-").getBytes(StandardCharsets.UTF_8));
        assertThat(bytes.status()).as(t + " raw -> " + bytes).isIn(200, 201);
      }
      Response caseInsensitive = http.send("POST", KEYS, owner, "{\"name\":\"ct-case\"}", "Application/JSON; Charset=UTF-8");
      assertThat(caseInsensitive.status()).as(caseInsensitive.toString()).isEqualTo(201);
    }
  }

  @Nested
  class BadRequest {
    @Test
    void sendWhenMalformedJsonThenInvalidJson() {
      for (Target t : targets()) {
        for (String body : List.of("{\"name\":", "{name:\"x\"}", "{'name':'x'}", "{\"name\":\"x\",}", "{\"name\" \"x\"}", "nul")) {
          JsonNode err = assertError(send(t, body), 400, "invalid_json");
          assertThat(err.path("message").asText()).as(t + " " + body).startsWith("The body is not valid JSON");
        }
      }
    }

    @Test
    void sendWhenTrailingGarbageThenInvalidJson() {
      for (Target t : targets()) {
        for (String garbage : List.of(" x", "}", "{}", " \"more\"", ",")) {
          assertError(send(t, t.validBody() + garbage), 400, "invalid_json");
        }
      }
    }

    @Test
    void sendWhenEmptyBodyThenInvalidJson() {
      for (Target t : targets()) {
        JsonNode err = assertError(http.send(t.method(), t.path(), owner, null, "application/json"), 400, "invalid_json");
        assertThat(err.path("message").asText()).contains("required");
        assertError(send(t, "   \n "), 400, "invalid_json");
      }
    }

    @Test
    void sendWhenNotAnObjectThenInvalidJson() {
      for (Target t : targets()) {
        for (String body : List.of("[" + t.validBody() + "]", "[]", "\"name\"", "42", "true", "null")) {
          JsonNode err = assertError(send(t, body), 400, "invalid_json");
          assertThat(err.path("message").asText()).as(t + " " + body).containsAnyOf("object", "required");
        }
      }
    }

    @Test
    void createUserWhenWrongTypesThenNamesTheField() {
      Map<String, String> bodies = new LinkedHashMap<>();
      bodies.put("roles", "{\"email\":\"t1@example.com\",\"name\":\"T\",\"roles\":\"admin\"}");
      bodies.put("programmatic", "{\"email\":\"t2@example.com\",\"name\":\"T\",\"programmatic\":\"yes\"}");
      bodies.put("name", "{\"email\":\"t3@example.com\",\"name\":123}");
      bodies.put("email", "{\"email\":[\"t4@example.com\"],\"name\":\"T\"}");
      bodies.put("password", "{\"email\":\"t5@example.com\",\"name\":\"T\",\"password\":12345678}");
      bodies.put("roles ", "{\"email\":\"t6@example.com\",\"name\":\"T\",\"roles\":[null]}");
      bodies.put("roles  ", "{\"email\":\"t7@example.com\",\"name\":\"T\",\"roles\":[1]}");
      bodies.put("programmatic ", "{\"email\":\"t8@example.com\",\"name\":\"T\",\"programmatic\":1}");
      bodies.forEach((field, body) ->
          assertFieldError(http.send("POST", USERS, owner, body, "application/json"), 400, "invalid_request", field.strip()));
    }

    @Test
    void createUserWhenRequiredFieldMissingOrNullThenNamesTheField() {
      assertFieldError(send(targets().get(0), "{\"name\":\"T\"}"), 400, "invalid_request", "email");
      assertFieldError(send(targets().get(0), "{\"email\":null,\"name\":\"T\"}"), 400, "invalid_request", "email");
      assertFieldError(send(targets().get(0), "{\"email\":\"req@example.com\"}"), 400, "invalid_request", "name");
      assertFieldError(send(targets().get(1), "{\"environment\":\"sandbox\"}"), 400, "invalid_request", "name");
    }

    @Test
    void createKeyWhenWrongTypesThenNamesTheField() {
      Map<String, String> bodies = new LinkedHashMap<>();
      bodies.put("roles", "{\"name\":\"k\",\"roles\":\"admin\"}");
      bodies.put("name", "{\"name\":123}");
      bodies.put("expiresAt", "{\"name\":\"k\",\"expiresAt\":\"tomorrow\"}");
      bodies.put("expiresAt ", "{\"name\":\"k\",\"expiresAt\":1893456000}");
      bodies.put("roles ", "{\"name\":\"k\",\"roles\":[null]}");
      bodies.put("admin", "{\"name\":\"k\",\"admin\":\"yes\"}");
      bodies.put("environment", "{\"name\":\"k\",\"environment\":\"staging\"}");
      bodies.put("environment ", "{\"name\":\"k\",\"environment\":1}");
      bodies.put("userId", "{\"name\":\"k\",\"userId\":42}");
      bodies.forEach((field, body) ->
          assertFieldError(http.send("POST", KEYS, owner, body, "application/json"), 400, "invalid_request", field.strip()));
    }

    @Test
    void updateUserWhenWrongTypesThenNamesTheField() {
      String path = USERS + "/" + plainUserId;
      assertFieldError(http.send("PATCH", path, owner, "{\"roles\":\"admin\"}", "application/json"), 400, "invalid_request", "roles");
      assertFieldError(http.send("PATCH", path, owner, "{\"name\":123}", "application/json"), 400, "invalid_request", "name");
      assertFieldError(http.send("PATCH", path, owner, "{\"roles\":[null]}", "application/json"), 400, "invalid_request", "roles");
      assertFieldError(http.send("PATCH", path, owner, "{\"name\":false}", "application/json"), 400, "invalid_request", "name");
      assertError(http.send("PATCH", path, owner, "{}", "application/json"), 400, "invalid_request");
    }

    @Test
    void sendWhenUnknownOrMassAssignmentFieldThenUnknownField() {
      for (Target t : targets()) {
        for (String field : List.of("tenantId", "hash", "revoked", "isAdmin", "id", "createdAt", "Name")) {
          JsonNode err = assertFieldError(send(t, t.with(field, "true")), 400, "unknown_field", field);
          assertThat(err.path("message").asText()).contains(field);
        }
      }
    }

    @Test
    void sendWhenDuplicateKeysThenInvalidJson() {
      assertError(send(targets().get(0), "{\"email\":\"d1@example.com\",\"email\":\"d2@example.com\",\"name\":\"D\"}"), 400, "invalid_json");
      assertError(send(targets().get(1), "{\"name\":\"a\",\"name\":\"b\"}"), 400, "invalid_json");
      JsonNode err = assertError(send(targets().get(2), "{\"name\":\"a\",\"name\":\"a\"}"), 400, "invalid_json");
      assertThat(err.path("message").asText()).contains("duplicate");
      assertThat(http.get(USERS + "/" + plainUserId, owner).text("name")).as("nothing changed").isNotEqualTo("a");
    }

    @Test
    void sendWhenTenThousandNestedArraysThenInvalidJson() {
      String deep = "[".repeat(10_000) + "]".repeat(10_000);
      for (Target t : targets()) {
        assertError(send(t, "{\"name\":" + deep + "}"), 400, "invalid_json");
        assertError(send(t, "[".repeat(10_000)), 400, "invalid_json");
        assertError(send(t, "{\"roles\":" + "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_001)), 400, "invalid_json");
      }
    }

    @Test
    void sendWhenHugeNumbersThenBadRequest() {
      String digits = "9".repeat(2_000);
      for (Target t : targets()) {
        for (String number : List.of("1e999999", "-1e999999", digits, "0." + digits, "NaN", "Infinity", "-Infinity")) {
          for (String field : List.of("name", "roles")) {
            Response r = send(t, t.with(field, number));
            assertThat(r.status()).as(t + " " + field + "=" + number.substring(0, Math.min(10, number.length())) + " -> " + r).isEqualTo(400);
            assertError(r, 400, r.error());
            assertThat(r.error()).isIn("invalid_json", "invalid_request");
          }
        }
      }
    }

    @Test
    void sendWhenUnpairedSurrogateThenNamesTheField() {
      for (Target t : targets()) {
        for (String escaped : List.of("\"a\\ud800b\"", "\"a\\udc00\"", "\"\\ud800\"", "\"\\udc00\\ud800\"")) {
          assertFieldError(send(t, t.with("name", escaped)), 400, "invalid_request", "name");
        }
      }
      // A paired surrogate (an emoji) is fine.
      Response ok = send(targets().get(1), "{\"name\":\"key \\ud83d\\ude00\"}");
      assertThat(ok.status()).as(ok.toString()).isEqualTo(201);
      assertThat(ok.text("name")).isEqualTo("key \uD83D\uDE00");
    }

    @Test
    void sendWhenInvalidUtf8BytesThenInvalidJson() {
      // Bad continuation, a byte never valid, a truncated sequence, an encoded surrogate (CESU),
      // and an overlong '/' (C0 AF), which Jackson alone would read as '/'.
      byte[][] bad = {{(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}};
      for (Target t : targets()) {
        for (byte[] b : bad) {
          ByteArrayOutputStream body = new ByteArrayOutputStream();
          body.writeBytes("{\"name\":\"x".getBytes(StandardCharsets.US_ASCII));
          body.writeBytes(b);
          body.writeBytes("y\"}".getBytes(StandardCharsets.US_ASCII));
          Response r = sendBytes(t, "application/json", body.toByteArray());
          JsonNode err = assertError(r, 400, "invalid_json");
          assertThat(err.path("message").asText()).as(t.toString()).contains("UTF-8");
        }
      }
    }

    @Test
    void createUserWhenInvalidEmailThenNamesTheField() {
      for (String email : List.of("", "plain", "@example.com", "a@", "a@@example.com", "a b@example.com", "a@example..com",
          "a@.example.com", "<a@example.com>", "a@example.com\n", "a\u200b@example.com", "x".repeat(250) + "@example.com")) {
        Response r = http.post(USERS, owner, Map.of("email", email, "name", "E", "programmatic", true));
        JsonNode err = assertFieldError(r, 400, "invalid_request", "email");
        assertThat(err.path("message").asText()).contains("email address");
      }
    }

    @Test
    void sendWhenNameHasLineBreaksOrIsBlankThenNamesTheField() {
      for (Target t : targets()) {
        for (String name : List.of("a\r\nINFO forged log line", "tab\tname", "   ", "", "n".repeat(201))) {
          Response r = send(t, t.with("name", TestHttp.write(List.of(name)).replaceAll("^\\[|\\]$", "")));
          assertFieldError(r, 400, "invalid_request", "name");
        }
      }
    }

    @Test
    void createWhenRoleNameSyntaxInvalidThenNamesTheField() {
      assertFieldError(http.post(USERS, owner, Map.of("email", "syntax@example.com", "name", "S", "roles", List.of("no spaces"))), 400, "invalid_request", "roles");
      assertFieldError(http.post(KEYS, owner, Map.of("name", "syntax", "roles", List.of(""))), 400, "invalid_request", "roles");
    }

    @Test
    void createPersonWhenPasswordTooShortThenNamesTheField() {
      assertFieldError(http.post(USERS, owner, Map.of("email", "short@example.com", "name", "S", "password", "short")), 400, "invalid_request", "password");
      assertFieldError(http.post(USERS, owner, Map.of("email", "prog@example.com", "name", "S", "programmatic", true, "password", "long-enough-1")),
          400, "invalid_request", "password");
    }
  }

  @Nested
  class PayloadTooLarge {
    @Test
    void sendWhenBodyOverSixtyFourKibibytesThenPayloadTooLarge() {
      for (Target t : targets()) {
        String body = "{\"name\":\"" + "x".repeat(Bodies.MAX_BODY) + "\"}";
        JsonNode err = assertError(send(t, body), 413, "payload_too_large");
        assertThat(err.path("message").asText()).contains("larger than");
      }
      // Exactly at the limit is read (and then refused for what it says, not for its size).
      String atLimit = "{\"name\":\"" + "x".repeat(Bodies.MAX_BODY - 11) + "\"}";
      assertThat(atLimit.length()).isEqualTo(Bodies.MAX_BODY);
      assertFieldError(send(targets().get(1), atLimit), 400, "invalid_request", "name");
    }

    @Test
    void sendWhenDeclaredLengthOverTheServerLimitThenPayloadTooLargeJson() {
      // Only the head is sent: the refusal must come from the declared length, before any body
      // (sending the megabyte too races the server closing the connection after answering).
      String head = "POST " + KEYS + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
          + "Authorization: " + owner.header() + "\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + (Bodies.MAX_BODY * 16 + 1024) + "\r\n\r\n";
      assertError(http.raw(head.getBytes(StandardCharsets.US_ASCII)), 413, "payload_too_large");
    }

    @Test
    void sendWhenChunkedWithoutLengthThenReadUpToTheLimit() {
      Response small = http.raw(chunked(KEYS, "{\"name\":\"chunked-" + System.nanoTime() + "\"}"));
      assertThat(small.status()).as(small.body()).isEqualTo(201);
      String atLimit = "{\"name\":\"" + "x".repeat(Bodies.MAX_BODY - 11) + "\"}";
      assertFieldError(http.raw(chunked(KEYS, atLimit)), 400, "invalid_request", "name");
      JsonNode err = assertError(http.raw(chunked(KEYS, atLimit + " ")), 413, "payload_too_large");
      assertThat(err.path("message").asText()).contains("larger than");
    }

    /** A request whose body is sent in 1000-byte chunks, without a Content-Length. */
    private byte[] chunked(String path, String body) {
      StringBuilder sb = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
          + "Authorization: " + owner.header() + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
      for (int i = 0; i < body.length(); i += 1000) {
        String piece = body.substring(i, Math.min(body.length(), i + 1000));
        sb.append(Integer.toHexString(piece.length())).append("\r\n").append(piece).append("\r\n");
      }
      return sb.append("0\r\n\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }
  }

  @Nested
  class UnsupportedMediaType {
    @Test
    void sendWhenNotJsonContentTypeThenUnsupportedMediaType() {
      for (Target t : targets()) {
        for (String type : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
            "application/json; charset=utf-16", "application/json; charset=ISO-8859-1", "application/jsonx", "text/json")) {
          JsonNode err = assertError(http.send(t.method(), t.path(), owner, t.validBody(), type), 415, "unsupported_media_type");
          assertThat(err.path("message").asText()).as(t + " " + type).contains("application/json");
        }
        assertError(http.send(t.method(), t.path(), owner, t.validBody(), null), 415, "unsupported_media_type");
        assertError(sendBytes(t, null, t.validBody().getBytes(StandardCharsets.UTF_8)), 415, "unsupported_media_type");
        assertError(sendBytes(t, "application/json; charset=utf-16", t.validBody().getBytes(StandardCharsets.UTF_16)), 415, "unsupported_media_type");
      }
    }
  }

  @Nested
  class NotFound {
    @Test
    void getWhenUnknownIdsThenNotFound() {
      for (String path : List.of(USERS + "/usr_doesnotexist0000000000", USERS + "/garbage", USERS + "/usr_", USERS + "/" + "u".repeat(1000),
          KEYS + "/garbage", KEYS + "/key_doesnotexist0000000000", KEYS + "/" + plainUserId, USERS + "/%2e%2e", USERS + "/..%2F..%2Fetc%2Fpasswd",
          USERS + "/%00", USERS + "/usr_doesnotexist000000000%00", KEYS + "/..;", KEYS + "/%252e%252e")) {
        Response r = http.get(path, owner);
        assertError(r, 404, "not_found");
      }
    }

    @Test
    void changeWhenUnknownIdsThenNotFound() {
      String unknown = "usr_doesnotexist0000000000";
      assertError(http.patch(USERS + "/" + unknown, owner, Map.of("name", "x")), 404, "not_found");
      assertError(http.delete(USERS + "/" + unknown, owner), 404, "not_found");
      assertError(http.post(USERS + "/" + unknown + "/reset-password", owner, null), 404, "not_found");
      assertError(http.post(USERS + "/..%2F/reset-password", owner, null), 404, "not_found");
      assertError(http.post(KEYS + "/garbage/revoke", owner, null), 404, "not_found");
      assertError(http.post(KEYS + "/key_doesnotexist0000000000/revoke", owner, null), 404, "not_found");
      assertError(http.post(KEYS, owner, Map.of("name", "k", "userId", unknown)), 404, "not_found");
      assertError(http.get(KEYS + "?userId=" + unknown, owner), 404, "not_found");
      // The known id is found: the 404s above are about the ids.
      assertThat(http.get(USERS + "/" + plainUserId, owner).status()).isEqualTo(200);
    }

    @Test
    void requestWhenUnknownRouteThenNotFoundJson() {
      for (String path : List.of("/api/v1/nope", "/api/v2/users", "/nope", "/api/v1/users/x/y/z", "/api/v1/keys/x/unrevoke")) {
        JsonNode err = assertError(http.get(path, owner), 404, "not_found");
        assertThat(err.has("field")).isFalse();
      }
      assertError(http.post("/api/v1/nope", owner, Map.of()), 404, "not_found");
      assertError(http.get("/api/v1/nope", Auth.NONE), 404, "not_found");
    }
  }

  @Nested
  class MethodNotAllowed {
    @Test
    void requestWhenWrongMethodOnKnownRouteThenMethodNotAllowedWithAllow() {
      Map<String, String> cases = new LinkedHashMap<>();
      cases.put("PUT " + USERS, "GET, POST");
      cases.put("DELETE " + USERS, "GET, POST");
      cases.put("PUT " + USERS + "/" + plainUserId, "DELETE, GET, PATCH");
      cases.put("POST " + USERS + "/" + plainUserId, "DELETE, GET, PATCH");
      cases.put("GET " + USERS + "/" + plainUserId + "/reset-password", "POST");
      cases.put("PATCH " + KEYS, "GET, POST");
      cases.put("GET " + KEYS + "/key_doesnotexist0000000000/revoke", "POST");
      cases.put("DELETE /api/v1/me", "GET");
      cases.forEach((request, allow) -> {
        String[] parts = request.split(" ");
        Response r = http.send(parts[0], parts[1], owner, "{}", "application/json");
        JsonNode err = assertError(r, 405, "method_not_allowed");
        assertThat(r.header("allow")).as(request).isEqualTo(allow);
        assertThat(err.path("message").asText()).contains(parts[0]);
      });
    }
  }

  @Nested
  class Conflict {
    @Test
    void createUserWhenEmailTakenThenConflict() {
      createUser("taken@example.com", List.of());
      for (String email : List.of("taken@example.com", "TAKEN@example.com", "Taken@Example.COM")) {
        JsonNode err = assertError(http.post(USERS, owner, Map.of("email", email, "name", "Again", "programmatic", true)), 409, "conflict");
        assertThat(err.path("message").asText()).contains("already exists");
      }
    }

    @Test
    void revokeWhenAlreadyRevokedThenAlreadyRevoked() {
      Response created = http.post(KEYS, owner, Map.of("name", "twice"));
      assertThat(created.status()).isEqualTo(201);
      String id = created.text("id");
      Response first = http.post(KEYS + "/" + id + "/revoke", owner, null);
      assertThat(first.status()).as(first.toString()).isEqualTo(200);
      for (int i = 0; i < 2; i++) {
        JsonNode err = assertError(http.post(KEYS + "/" + id + "/revoke", owner, null), 409, "already_revoked");
        assertThat(err.path("message").asText()).contains("already revoked").contains("cannot be undone");
      }
      assertThat(http.get(KEYS + "/" + id, owner).json().path("revokedAt").asText()).isEqualTo(first.json().path("revokedAt").asText());
    }
  }

  @Nested
  class Unprocessable {
    @Test
    void createWhenRoleDoesNotExistThenUnprocessable() {
      JsonNode err = assertFieldError(http.post(USERS, owner, Map.of("email", "wizard@example.com", "name", "W", "roles", List.of("wizard"))),
          422, "unprocessable", "roles");
      assertThat(err.path("message").asText()).contains("wizard").contains("does not exist");
      assertFieldError(http.post(KEYS, owner, Map.of("name", "wizard", "roles", List.of("wizard"))), 422, "unprocessable", "roles");
      assertFieldError(http.patch(USERS + "/" + plainUserId, owner, Map.of("roles", List.of("admin", "wizard"))), 422, "unprocessable", "roles");
      assertThat(http.get(USERS + "/" + plainUserId, owner).json().path("roles")).as("unchanged").isEmpty();
    }

    @Test
    void createKeyWhenRolesExceedOwnersThenUnprocessable() {
      JsonNode err = assertFieldError(http.post(KEYS, owner, Map.of("name", "too-much", "userId", plainUserId, "roles", List.of("admin"))),
          422, "unprocessable", "roles");
      assertThat(err.path("message").asText()).contains("exceed");
      // The same key for the owner, who has the role, is fine.
      Response ok = http.post(KEYS, owner, Map.of("name", "enough", "roles", List.of("owner")));
      assertThat(ok.status()).as(ok.toString()).isEqualTo(201);
    }

    @Test
    void createKeyWhenExpiresAtInThePastThenUnprocessable() {
      for (Instant past : List.of(Instant.now().minusSeconds(1), Instant.parse("2000-01-01T00:00:00Z"))) {
        JsonNode err = assertFieldError(http.post(KEYS, owner, Map.of("name", "past", "expiresAt", past.toString())), 422, "unprocessable", "expiresAt");
        assertThat(err.path("message").asText()).contains("future");
      }
      Response ok = http.post(KEYS, owner, Map.of("name", "future", "expiresAt", Instant.now().plusSeconds(3600).toString()));
      assertThat(ok.status()).as(ok.toString()).isEqualTo(201);
    }
  }
}
