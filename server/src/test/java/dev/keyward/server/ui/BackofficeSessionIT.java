package dev.keyward.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyward.core.auth.LockoutPolicy;
import dev.keyward.server.testing.TestHttp;
import dev.keyward.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The backoffice's session, CSRF and header rules over plain HTTP (SECURITY-TESTS ASVS-26, ASVS-17). */
class BackofficeSessionIT {
  static TestServer server;
  static TestHttp http;

  @BeforeAll
  static void start() {
    server = TestServer.start(c -> c.withLockout(LockoutPolicy.DEFAULTS.withQuickLogin(Duration.ZERO, LockoutPolicy.QUICK_LOGIN_WAIT)));
    http = server.http();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  FormClient browser() {
    return new FormClient(http.base());
  }

  FormClient signedInOwner() {
    FormClient b = browser();
    FormClient.Page p = b.signIn(TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD);
    assertThat(p.status()).isEqualTo(303);
    return b;
  }

  /** A person with a password of their own, created through the API. */
  static String person(String email, String password) {
    TestHttp.Response r = http.post("/api/v1/users", server.owner(), Map.of("email", email, "name", "Pat", "password", password));
    assertThat(r.status()).isEqualTo(201);
    return r.text("id");
  }

  @Nested
  class SignIn {
    @Test
    void pageWhenNotSignedInThenRedirectedToSignIn() {
      FormClient.Page p = browser().get("/ui/keys");
      assertThat(p.status()).isEqualTo(303);
      assertThat(p.header("location")).isEqualTo("/ui/sign-in");
      assertThat(browser().get("/").header("location")).isEqualTo("/ui/keys");
    }

    @Test
    void signInPageWhenFetchedThenHtmlWithSecurityHeaders() {
      FormClient.Page p = browser().get("/ui/sign-in");
      assertThat(p.status()).isEqualTo(200);
      assertThat(p.header("content-type")).isEqualTo("text/html; charset=utf-8");
      assertThat(p.header("content-security-policy")).contains("default-src 'none'", "frame-ancestors 'none'", "form-action 'self'")
          .doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
      assertThat(p.header("x-frame-options")).isEqualTo("DENY");
      assertThat(p.header("cache-control")).isEqualTo("no-store");
      assertThat(p.header("x-content-type-options")).isEqualTo("nosniff");
      assertThat(p.setCookies()).anySatisfy(c -> assertThat(c).startsWith("kw_form=").contains("HttpOnly", "SameSite=Lax"));
      assertThat(p.body()).contains("<label for=\"email\">Email</label>", "<label for=\"password\">Password</label>");
    }

    @Test
    void signInWhenRightPasswordThenSessionCookieHttpOnlyLaxNotSecureOnHttp() {
      FormClient b = browser();
      FormClient.Page p = b.signIn(TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD);
      assertThat(p.status()).isEqualTo(303);
      assertThat(p.header("location")).isEqualTo("/ui/keys");
      String cookie = p.setCookies().stream().filter(c -> c.startsWith("kw_session=kws_")).findFirst().orElseThrow();
      assertThat(cookie).contains("HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=43200").doesNotContain("Secure");
      FormClient.Page keys = b.get("/ui/keys");
      assertThat(keys.status()).isEqualTo(200);
      assertThat(keys.body()).contains("default-key", TestServer.ADMIN_EMAIL);
    }

    @Test
    void signInWhenWrongPasswordThen401PageAndNoSession() {
      FormClient b = browser();
      FormClient.Page p = b.signIn(TestServer.ADMIN_EMAIL, "not the password");
      assertThat(p.status()).isEqualTo(401);
      assertThat(p.body()).contains("The credentials are invalid, expired or revoked", "Check your email and password");
      assertThat(b.cookies).doesNotContainKey("kw_session");
    }

    @Test
    void signInWhenUnknownEmailThenSameAnswerAsWrongPassword() {
      FormClient.Page wrong = browser().signIn(TestServer.ADMIN_EMAIL, "not the password");
      FormClient.Page unknown = browser().signIn("nobody@example.com", "not the password");
      assertThat(unknown.status()).isEqualTo(wrong.status());
      assertThat(withoutToken(unknown.body()).replace("nobody@example.com", ""))
          .isEqualTo(withoutToken(wrong.body()).replace(TestServer.ADMIN_EMAIL, ""));
    }

    @Test
    void signInWhenFormHasNoCsrfTokenThen403AndNoSession() {
      FormClient b = browser();
      b.get("/ui/sign-in");
      FormClient.Page p = b.post("/ui/sign-in", "email", TestServer.ADMIN_EMAIL, "password", TestServer.ADMIN_PASSWORD);
      assertThat(p.status()).isEqualTo(403);
      assertThat(p.body()).contains("This form has expired or did not come from this site");
      assertThat(b.cookies).doesNotContainKey("kw_session");
    }

    @Test
    void signInWhenAccountLockedThen423WithWhatToDo() {
      person("locked@example.com", "a long enough password");
      for (int i = 0; i < 10; i++) {
        browser().signIn("locked@example.com", "wrong " + i);
      }
      FormClient.Page p = browser().signIn("locked@example.com", "a long enough password");
      assertThat(p.status()).isEqualTo(423);
      assertThat(p.body()).contains("The account is locked", "ask an admin of your tenant to unlock your account");
    }

    @Test
    void signInWhenProgrammaticUserThen403() {
      TestHttp.Response bot = http.post("/api/v1/users", server.owner(),
          Map.of("email", "bot-signin@example.com", "name", "Bot", "programmatic", true));
      FormClient.Page p = browser().signIn("bot-signin@example.com", bot.text("password"));
      assertThat(p.status()).isEqualTo(403);
      assertThat(p.body()).contains("Programmatic users work with their API keys");
    }
  }

  @Nested
  class Session {
    @Test
    void signOutWhenPostedThenCookieClearedAndOldSessionDead() {
      FormClient b = signedInOwner();
      String secret = b.cookies.get("kw_session");
      FormClient.Page keys = b.get("/ui/keys");
      FormClient.Page out = b.post("/ui/sign-out", "csrf", keys.csrf());
      assertThat(out.status()).isEqualTo(303);
      assertThat(out.setCookies()).anySatisfy(c -> assertThat(c).startsWith("kw_session=;").contains("Max-Age=0"));
      FormClient replay = browser();
      replay.cookies.put("kw_session", secret);
      assertThat(replay.get("/ui/keys").status()).isEqualTo(303);
    }

    @Test
    void sessionWhenPasswordResetByAdminThenEnded() {
      String id = person("reset-me@example.com", "my own password 1");
      FormClient b = browser();
      assertThat(b.signIn("reset-me@example.com", "my own password 1").status()).isEqualTo(303);
      assertThat(b.get("/ui/keys").status()).isEqualTo(200);
      assertThat(http.post("/api/v1/users/" + id + "/reset-password", server.owner(), Map.of()).status()).isEqualTo(200);
      assertThat(b.get("/ui/keys").status()).isEqualTo(303);
    }

    @Test
    void sessionWhenUserRemovedThenEnded() {
      String id = person("remove-me@example.com", "my own password 2");
      FormClient b = browser();
      b.signIn("remove-me@example.com", "my own password 2");
      assertThat(b.get("/ui/keys").status()).isEqualTo(200);
      assertThat(http.delete("/api/v1/users/" + id, server.owner()).status()).isEqualTo(204);
      assertThat(b.get("/ui/keys").status()).isEqualTo(303);
    }

    @Test
    void sessionWhenForgedOrMalformedCookieThenSignInAsked() {
      for (String forged : List.of("kws_" + "A".repeat(43), "garbage", "kws_", "x".repeat(5000))) {
        FormClient b = browser();
        b.cookies.put("kw_session", forged);
        assertThat(b.get("/ui/keys").status()).as(forged).isEqualTo(303);
      }
    }

    @Test
    void storeWhenSessionStartedThenHoldsNoSecretOfIt() throws Exception {
      FormClient b = signedInOwner();
      String secret = b.cookies.get("kw_session");
      String csrf = b.get("/ui/keys").csrf();
      try (Stream<Path> files = Files.walk(server.dataDir())) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          String bytes = new String(Files.readAllBytes(f), java.nio.charset.StandardCharsets.ISO_8859_1);
          assertThat(bytes).as(f.toString()).doesNotContain(secret).doesNotContain(secret.substring(4)).doesNotContain(csrf);
        }
      }
    }
  }

  @Nested
  class Csrf {
    @Test
    void createKeyWhenNoTokenThen403AndNothingCreated() {
      FormClient b = signedInOwner();
      FormClient.Page p = b.post("/ui/keys/new", "action", "create", "name", "csrf-less", "environment", "sandbox", "native", "on");
      assertThat(p.status()).isEqualTo(403);
      assertThat(p.body()).contains("This form has expired or did not come from this site", "Nothing was changed");
      assertThat(keyNames()).doesNotContain("csrf-less");
    }

    @Test
    void createKeyWhenTokenOfAnotherSessionThen403() {
      FormClient other = signedInOwner();
      String foreign = other.get("/ui/keys/new").csrf();
      FormClient b = signedInOwner();
      FormClient.Page p = b.post("/ui/keys/new", "csrf", foreign, "action", "create", "name", "foreign-token", "environment", "sandbox");
      assertThat(p.status()).isEqualTo(403);
      assertThat(keyNames()).doesNotContain("foreign-token");
    }

    @Test
    void createKeyWhenForeignOriginOrCrossSiteFetchThen403() {
      FormClient b = signedInOwner();
      String csrf = b.get("/ui/keys/new").csrf();
      FormClient.Page origin = b.post("/ui/keys/new", List.of("Origin", "https://evil.example"),
          "csrf", csrf, "action", "create", "name", "from-evil", "environment", "sandbox");
      assertThat(origin.status()).isEqualTo(403);
      FormClient.Page site = b.post("/ui/keys/new", List.of("Sec-Fetch-Site", "cross-site"),
          "csrf", csrf, "action", "create", "name", "from-evil", "environment", "sandbox");
      assertThat(site.status()).isEqualTo(403);
      assertThat(keyNames()).doesNotContain("from-evil");
    }

    @Test
    void revokeWhenGetThenOnlyConfirmationNothingRevoked() {
      FormClient b = signedInOwner();
      TestHttp.Response key = http.post("/api/v1/keys", server.owner(), Map.of("name", "get-never-mutates"));
      FormClient.Page p = b.get("/ui/keys/" + key.text("id") + "/revoke");
      assertThat(p.status()).isEqualTo(200);
      assertThat(p.body()).contains("This cannot be undone");
      assertThat(http.get("/api/v1/keys/" + key.text("id"), server.owner()).json().path("revokedAt").isNull()).isTrue();
    }
  }

  @Nested
  class Keys {
    @Test
    void checkWhenRedundantPatternsThenWarningShownAndNothingSaved() {
      FormClient b = signedInOwner();
      String csrf = b.get("/ui/keys/new").csrf();
      FormClient.Page p = b.post("/ui/keys/new", "csrf", csrf, "action", "check", "name", "preview-only", "environment", "sandbox",
          "native", "on", "resources", "algo://acme/*\nalgo://acme/resize/*");
      assertThat(p.status()).isEqualTo(200);
      assertThat(p.body()).contains("'algo://acme/resize/*' is already covered by 'algo://acme/*'");
      assertThat(p.body()).contains("algo://acme/*\nalgo://acme/resize/*");
      assertThat(keyNames()).doesNotContain("preview-only");
    }

    @Test
    void createWhenBadOptionThenErrorNextToItsField() {
      FormClient b = signedInOwner();
      String csrf = b.get("/ui/keys/new").csrf();
      FormClient.Page p = b.post("/ui/keys/new", "csrf", csrf, "action", "create", "name", "bad-ip", "environment", "sandbox",
          "native", "on", "ipAllowlist", "not-an-address");
      assertThat(p.status()).isEqualTo(400);
      assertThat(p.body()).contains("id=\"ipAllowlist-error\"");
      FormClient.Page quota = b.post("/ui/keys/new", "csrf", csrf, "action", "create", "name", "bad-quota", "environment", "sandbox",
          "quota", "many");
      assertThat(quota.status()).isEqualTo(400);
      assertThat(quota.body()).contains("id=\"quota-error\">Give a whole number");
      assertThat(keyNames()).doesNotContain("bad-ip", "bad-quota");
    }

    @Test
    void createWhenValidThenSecretShownOnceNoStoreAndKeyWorks() {
      FormClient b = signedInOwner();
      String csrf = b.get("/ui/keys/new").csrf();
      FormClient.Page p = b.post("/ui/keys/new", "csrf", csrf, "action", "create", "name", "from-the-page", "environment", "sandbox",
          "native", "on", "rateLimit", "100", "ratePeriod", "60", "quota", "1000");
      assertThat(p.status()).isEqualTo(201);
      assertThat(p.header("cache-control")).isEqualTo("no-store");
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("value=\"(kw_test_[A-Za-z0-9]+)\"").matcher(p.body());
      assertThat(m.find()).isTrue();
      String secret = m.group(1);
      assertThat(p.body()).contains("You will not see this again", "Authorization: Bearer " + secret,
          "Keyward.client(\"" + http.base() + "\").apiKey(\"" + secret + "\").build()");
      assertThat(http.get("/api/v1/me", TestHttp.Auth.bearer(secret)).status()).isEqualTo(200);
      assertThat(b.get("/ui/keys").body()).contains("from-the-page").doesNotContain(secret);
    }

    @Test
    void rollAndRevokeWhenConfirmedThenDone() {
      FormClient b = signedInOwner();
      TestHttp.Response key = http.post("/api/v1/keys", server.owner(), Map.of("name", "roll-then-revoke"));
      String id = key.text("id");
      FormClient.Page form = b.get("/ui/keys/" + id + "/roll");
      FormClient.Page rolled = b.post("/ui/keys/" + id + "/roll", "csrf", form.csrf(), "grace", "60");
      assertThat(rolled.status()).isEqualTo(201);
      assertThat(rolled.body()).contains("The previous secret keeps working until");
      FormClient.Page bad = b.post("/ui/keys/" + id + "/roll", "csrf", form.csrf(), "grace", "-1");
      assertThat(bad.status()).isEqualTo(400);
      assertThat(bad.body()).contains("id=\"grace-error\"");
      FormClient.Page revoked = b.post("/ui/keys/" + id + "/revoke", "csrf", form.csrf());
      assertThat(revoked.status()).isEqualTo(303);
      assertThat(http.get("/api/v1/keys/" + id, server.owner()).json().path("revokedAt").isNull()).isFalse();
      assertThat(b.post("/ui/keys/" + id + "/revoke", "csrf", form.csrf()).status()).isEqualTo(409);
    }

    @Test
    void keyPagesWhenKeyOfAnotherTenantOrUnknownThen404() {
      FormClient b = signedInOwner();
      assertThat(b.get("/ui/keys/key_doesnotexist/roll").status()).isEqualTo(404);
      assertThat(b.get("/ui/keys/nonsense/revoke").status()).isEqualTo(404);
    }
  }

  static String withoutToken(String page) {
    return page.replaceAll("name=\"csrf\" value=\"[^\"]+\"", "");
  }

  static List<String> keyNames() {
    JsonNode keys = http.get("/api/v1/keys", server.owner()).json().path("keys");
    List<String> names = new java.util.ArrayList<>();
    keys.forEach(k -> names.add(k.path("name").asText()));
    return names;
  }
}
