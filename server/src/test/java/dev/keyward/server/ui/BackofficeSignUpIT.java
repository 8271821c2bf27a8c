package dev.keyward.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.server.testing.TestHttp;
import dev.keyward.server.testing.TestServer;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The backoffice's sign-up page over plain HTTP: shown and linked only where open, field errors, CSRF, the key shown once. */
class BackofficeSignUpIT {
  private static final Pattern SECRET = Pattern.compile("kw_test_[0-9A-Za-z]+");

  private static void open(TestServer server, boolean open) {
    assertThat(server.http().patch("/api/v1/tenants/default/settings", server.owner(), Map.of("openRegistration", open)).status())
        .isEqualTo(200);
  }

  @Test
  void signUpWhenClosedThenNoLinkAndPageRefused() {
    try (TestServer server = TestServer.start()) {
      FormClient b = new FormClient(server.http().base());
      assertThat(b.get("/ui/sign-in").body()).doesNotContain("/ui/sign-up");
      FormClient.Page page = b.get("/ui/sign-up");
      assertThat(page.status()).isEqualTo(403);
      assertThat(page.body()).contains("does not take sign-ups");
      String csrf = b.get("/ui/sign-in").csrf();
      FormClient.Page post = b.post("/ui/sign-up", "csrf", csrf, "email", "x@example.com", "name", "X", "password", "password 123");
      assertThat(post.status()).isEqualTo(403);
      assertThat(server.http().get("/api/v1/users", server.owner()).json().path("users").size()).isEqualTo(1);
    }
  }

  @Test
  void signUpWhenOpenThenSignedInWithDefaultKeyShownOnceAndListedAfter() {
    try (TestServer server = TestServer.start()) {
      open(server, true);
      FormClient b = new FormClient(server.http().base());
      assertThat(b.get("/ui/sign-in").body()).contains("href=\"/ui/sign-up\"");
      FormClient.Page form = b.get("/ui/sign-up");
      assertThat(form.status()).isEqualTo(200);
      FormClient.Page done = b.post("/ui/sign-up", "csrf", form.csrf(), "email", "new@example.com", "name", "New Person",
          "password", "new person password");
      assertThat(done.status()).as(done.body()).isEqualTo(201);
      assertThat(done.header("cache-control")).isEqualTo("no-store");
      assertThat(done.setCookies()).anyMatch(c -> c.startsWith("kw_session=kws_") && c.contains("HttpOnly"));
      Matcher m = SECRET.matcher(done.body());
      assertThat(m.find()).as("the default key is on the page").isTrue();
      String key = m.group();
      assertThat(done.body()).contains("default-key").contains("You will not see this again");
      assertThat(done.body()).doesNotContain("new person password");

      TestHttp.Response me = server.http().get("/api/v1/me", TestHttp.Auth.bearer(key));
      assertThat(me.text("email")).isEqualTo("new@example.com");
      FormClient.Page list = b.get("/ui/keys");
      assertThat(list.status()).as("signed in by the sign-up").isEqualTo(200);
      assertThat(list.body()).contains("default-key").contains("new@example.com").doesNotContain(key);
    }
  }

  @Test
  void signUpWhenBadFieldsOrTakenEmailOrNoCsrfThenErrorsNextToFields() {
    try (TestServer server = TestServer.start()) {
      open(server, true);
      FormClient b = new FormClient(server.http().base());
      String csrf = b.get("/ui/sign-up").csrf();
      FormClient.Page shortPassword = b.post("/ui/sign-up", "csrf", csrf, "email", "p@example.com", "name", "P", "password", "short");
      assertThat(shortPassword.status()).isEqualTo(400);
      assertThat(shortPassword.body()).contains("id=\"password-error\"").contains("8 to 256").contains("value=\"p@example.com\"");
      FormClient.Page badEmail = b.post("/ui/sign-up", "csrf", csrf, "email", "nope", "name", "P", "password", "long enough 1");
      assertThat(badEmail.status()).isEqualTo(400);
      assertThat(badEmail.body()).contains("id=\"email-error\"");
      FormClient.Page noName = b.post("/ui/sign-up", "csrf", csrf, "email", "p@example.com", "name", "", "password", "long enough 1");
      assertThat(noName.status()).isEqualTo(400);
      assertThat(noName.body()).contains("id=\"name-error\"");
      FormClient.Page taken = b.post("/ui/sign-up", "csrf", csrf, "email", TestServer.ADMIN_EMAIL, "name", "P", "password", "long enough 1");
      assertThat(taken.status()).isEqualTo(409);
      assertThat(taken.body()).contains("already exists").contains("id=\"signup-error\"");
      FormClient.Page noCsrf = b.post("/ui/sign-up", "email", "c@example.com", "name", "C", "password", "long enough 1");
      assertThat(noCsrf.status()).isEqualTo(403);
      FormClient.Page foreign = b.post("/ui/sign-up", List.of("Origin", "https://evil.example"), "csrf", csrf, "email", "c@example.com",
          "name", "C", "password", "long enough 1");
      assertThat(foreign.status()).isEqualTo(403);
      assertThat(server.http().get("/api/v1/users", server.owner()).json().path("users").size()).as("nothing created").isEqualTo(1);
    }
  }
}
