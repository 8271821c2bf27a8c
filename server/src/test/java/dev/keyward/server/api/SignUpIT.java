package dev.keyward.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyward.core.principal.SignUpService;
import dev.keyward.server.testing.TestHttp;
import dev.keyward.server.testing.TestHttp.Auth;
import dev.keyward.server.testing.TestServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code POST /api/v1/signup}: open registration per tenant, the default key shown once, every refusal. */
class SignUpIT {
  private static final String PASSWORD = "sign-up password 1";

  static TestHttp.Response signUp(TestHttp http, Map<String, ?> body) {
    return http.post("/api/v1/signup", Auth.NONE, body);
  }

  static Map<String, Object> person(String email) {
    Map<String, Object> body = new HashMap<>();
    body.put("email", email);
    body.put("name", "Sam Signup");
    body.put("password", PASSWORD);
    return body;
  }

  static void open(TestServer server, String slug, boolean open) {
    TestHttp.Response r = server.http().patch("/api/v1/tenants/" + slug + "/settings", server.owner(), Map.of("openRegistration", open));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
  }

  private static void assertError(TestHttp.Response r, int status, String error, String messagePart) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.error()).as(r.body()).isEqualTo(error);
    assertThat(r.text("message")).as(r.body()).contains(messagePart);
    assertThat(r.text("request_id")).isNotEmpty();
    assertThat(r.body()).doesNotContain(PASSWORD);
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class OpenTenant {
    private TestServer server;
    private TestHttp http;

    @BeforeAll
    void start() {
      server = TestServer.start();
      http = server.http();
      open(server, "default", true);
    }

    @AfterAll
    void stop() {
      server.close();
    }

    @Test
    void signUpWhenOpenThenPersonWithoutRolesAndSandboxDefaultKeyShownOnce() {
      TestHttp.Response r = signUp(http, person("Sam@Example.com"));
      assertThat(r.status()).as(r.body()).isEqualTo(201);
      assertThat(r.header("Cache-Control")).isEqualTo("no-store");
      JsonNode body = r.json();
      assertThat(body.path("email").asText()).as("canonical form").isEqualTo("sam@example.com");
      assertThat(body.path("programmatic").asBoolean()).isFalse();
      assertThat(body.path("roles").size()).isZero();
      assertThat(body.has("password")).as("the person chose it: never echoed").isFalse();
      String key = body.path("defaultKey").asText();
      assertThat(key).startsWith("kw_test_");
      assertThat(r.body()).doesNotContain(PASSWORD);

      TestHttp.Response me = http.get("/api/v1/me", Auth.bearer(key));
      assertThat(me.status()).as(me.body()).isEqualTo(200);
      assertThat(me.text("email")).isEqualTo("sam@example.com");
      TestHttp.Response keys = http.get("/api/v1/keys", Auth.basic("sam@example.com", PASSWORD));
      assertThat(keys.status()).as("signs in with the chosen password: " + keys.body()).isEqualTo(200);
      assertThat(keys.json().path("keys").get(0).path("name").asText()).isEqualTo("default-key");
      assertThat(keys.json().path("keys").get(0).path("environment").asText()).isEqualTo("sandbox");
      assertThat(keys.body()).doesNotContain(key);

      TestHttp.Response audit = http.get("/api/v1/audit?event=user.created&subject=" + body.path("id").asText(), server.owner());
      assertThat(audit.json().path("events").size()).as(audit.body()).isEqualTo(1);
      assertThat(audit.json().path("events").get(0).path("detail").asText()).isEqualTo("sign-up");
      assertThat(audit.json().path("events").get(0).path("actorId").asText()).isEqualTo(body.path("id").asText());
    }

    @Test
    void signUpWhenEmailHasAccountThenConflictWhateverItsCase() {
      assertThat(signUp(http, person("dup@example.com")).status()).isEqualTo(201);
      assertError(signUp(http, person("dup@example.com")), 409, "conflict", "already exists");
      assertError(signUp(http, person("DUP@Example.COM")), 409, "conflict", "already exists");
      assertError(signUp(http, person(TestServer.ADMIN_EMAIL)), 409, "conflict", "already exists");
      assertThat(http.get("/api/v1/keys", Auth.basic("dup@example.com", "another password 9")).status())
          .as("the account keeps its own password").isEqualTo(401);
    }

    @Test
    void signUpWhenFieldMissingThenBadRequestNamingIt() {
      for (String field : List.of("email", "name", "password")) {
        Map<String, Object> body = person("missing-" + field + "@example.com");
        body.remove(field);
        TestHttp.Response r = signUp(http, body);
        assertError(r, 400, "invalid_request", field);
        assertThat(r.text("field")).isEqualTo(field);
      }
    }

    @Test
    void signUpWhenValueBadThenBadRequestNamingTheField() {
      Map<String, Object> shortPassword = person("short@example.com");
      shortPassword.put("password", "seven77");
      TestHttp.Response r = signUp(http, shortPassword);
      assertError(r, 400, "invalid_request", "8 to 256");
      assertThat(r.text("field")).isEqualTo("password");
      assertThat(r.body()).doesNotContain("seven77");

      Map<String, Object> longPassword = person("long@example.com");
      longPassword.put("password", "p".repeat(257));
      assertThat(signUp(http, longPassword).text("field")).isEqualTo("password");

      for (String email : List.of("not-an-email", "", "a@", "two@@example.com")) {
        TestHttp.Response bad = signUp(http, person(email));
        assertThat(bad.status()).as(email + ": " + bad.body()).isEqualTo(400);
        assertThat(bad.text("field")).as(email).isEqualTo("email");
      }
      Map<String, Object> blankName = person("blank@example.com");
      blankName.put("name", "  ");
      TestHttp.Response name = signUp(http, blankName);
      assertThat(name.status()).isEqualTo(400);
      assertThat(name.text("field")).isEqualTo("name");

      Map<String, Object> wrongType = person("type@example.com");
      wrongType.put("password", 12345678);
      assertThat(signUp(http, wrongType).status()).isEqualTo(400);
    }

    @Test
    void signUpWhenBodyMalformedOrAsksForMoreThenRefused() {
      Map<String, Object> roles = person("roles@example.com");
      roles.put("roles", List.of("admin"));
      TestHttp.Response massAssignment = signUp(http, roles);
      assertError(massAssignment, 400, "unknown_field", "roles");
      Map<String, Object> programmatic = person("prog@example.com");
      programmatic.put("programmatic", true);
      assertThat(signUp(http, programmatic).error()).isEqualTo("unknown_field");

      assertThat(http.send("POST", "/api/v1/signup", Auth.NONE, "{\"email\":", "application/json").error()).isEqualTo("invalid_json");
      assertThat(http.send("POST", "/api/v1/signup", Auth.NONE, "", "application/json").status()).isEqualTo(400);
      TestHttp.Response text = http.send("POST", "/api/v1/signup", Auth.NONE, "email=a@b.c", "text/plain");
      assertThat(text.status()).isEqualTo(415);
      assertThat(text.error()).isEqualTo("unsupported_media_type");
      TestHttp.Response get = http.get("/api/v1/signup", Auth.NONE);
      assertThat(get.status()).isEqualTo(405);
      assertThat(get.header("Allow")).isEqualTo("POST");
      assertThat(http.get("/api/v1/users", Auth.basic("roles@example.com", PASSWORD)).status()).as("nothing was created").isEqualTo(401);
    }

    @Test
    void signUpWhenOtherTenantClosedOrUnknownThenSameRefusal() {
      assertThat(http.post("/api/v1/tenants", server.owner(), Map.of("slug", "acme", "name", "Acme", "ownerEmail", "o@acme.example"))
          .status()).isEqualTo(201);
      Map<String, Object> acme = person("acme-person@example.com");
      acme.put("tenant", "acme");
      TestHttp.Response closed = signUp(http, acme);
      assertError(closed, 403, "forbidden", "does not take sign-ups");
      acme.put("tenant", "no-such-tenant");
      TestHttp.Response unknown = signUp(http, acme);
      assertError(unknown, 403, "forbidden", "does not take sign-ups");
      assertThat(unknown.text("message")).isEqualTo(closed.text("message"));

      open(server, "acme", true);
      acme.put("tenant", "acme");
      TestHttp.Response joined = signUp(http, acme);
      assertThat(joined.status()).as(joined.body()).isEqualTo(201);
      TestHttp.Response me = http.get("/api/v1/me", Auth.bearer(joined.text("defaultKey")));
      assertThat(me.json().path("tenant").path("slug").asText()).as(me.body()).isEqualTo("acme");
      TestHttp.Response byHeader = http.post("/api/v1/signup", Auth.NONE, person("header-person@example.com"), "X-Keyward-Tenant", "acme");
      assertThat(byHeader.status()).isEqualTo(201);
      assertThat(http.get("/api/v1/me", Auth.bearer(byHeader.text("defaultKey"))).json().path("tenant").path("slug").asText()).isEqualTo("acme");
    }
  }

  @Test
  void signUpWhenRegistrationOffThenForbiddenAndNothingCreated() {
    try (TestServer server = TestServer.start()) {
      TestHttp http = server.http();
      assertThat(http.get("/api/v1/tenants/default/settings", server.owner()).json().path("openRegistration").asBoolean())
          .as("off by default").isFalse();
      assertError(signUp(http, person("early@example.com")), 403, "forbidden", "does not take sign-ups");
      open(server, "default", true);
      open(server, "default", false);
      assertError(signUp(http, person("late@example.com")), 403, "forbidden", "does not take sign-ups");
      assertThat(http.get("/api/v1/users", server.owner()).json().path("users").size()).as("only the owner").isEqualTo(1);
    }
  }

  @Test
  void signUpWhenTooManyFromOneAddressThenRateLimitedWithRetryAfter() {
    try (TestServer server = TestServer.start()) {
      TestHttp http = server.http();
      open(server, "default", true);
      Map<String, Object> bad = person("bad-input@example.com");
      bad.put("password", "short");
      for (int i = 0; i < 15; i++) {
        assertThat(signUp(http, bad).status()).as("input errors cost nothing").isEqualTo(400);
      }
      int limit = SignUpService.DEFAULT_LIMIT.limit();
      for (int i = 0; i < limit; i++) {
        // Conflicts count too: they tell that an email is registered.
        TestHttp.Response r = signUp(http, person(i % 2 == 0 ? "p" + i + "@example.com" : TestServer.ADMIN_EMAIL));
        assertThat(r.status()).as(i + ": " + r.body()).isEqualTo(i % 2 == 0 ? 201 : 409);
      }
      TestHttp.Response refused = signUp(http, person("one-more@example.com"));
      assertError(refused, 429, "rate_limited", "Too many sign-ups");
      assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 3600L);
      assertThat(http.get("/api/v1/users", server.owner()).json().path("users").size()).isEqualTo(1 + limit / 2);
    }
  }
}
