package dev.keyward.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.server.testing.TestHttp;
import dev.keyward.server.testing.TestServer;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin pages over plain HTTP: users, roles and matrix, all keys, audit; refused to non-admins. */
class BackofficeAdminIT {
  static TestServer server;
  static TestHttp http;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    http = server.http();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static FormClient owner() {
    FormClient b = new FormClient(http.base());
    assertThat(b.signIn(TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD).status()).isEqualTo(303);
    return b;
  }

  static String shown(FormClient.Page p, String id) {
    Matcher m = Pattern.compile("id=\"" + id + "\" class=\"secret\" readonly value=\"([^\"]+)\"").matcher(p.body());
    assertThat(m.find()).as(p.body()).isTrue();
    return m.group(1);
  }

  @Test
  void newApiUserWhenCreatedThenPasswordAndKeyShownOnceAndWork() {
    FormClient b = owner();
    String csrf = b.get("/ui/admin/users").csrf();
    FormClient.Page created = b.post("/ui/admin/users", "csrf", csrf, "email", "page-bot@example.com", "name", "Page bot");
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.header("cache-control")).isEqualTo("no-store");
    String password = shown(created, "password");
    String key = shown(created, "default-key");
    assertThat(created.body()).contains("You will not see this again");
    assertThat(http.get("/api/v1/me", TestHttp.Auth.basic("page-bot@example.com", password)).status()).isEqualTo(200);
    assertThat(http.get("/api/v1/me", TestHttp.Auth.bearer(key)).status()).isEqualTo(200);
    FormClient.Page list = b.get("/ui/admin/users");
    assertThat(list.body()).contains("page-bot@example.com", "API user").doesNotContain(password).doesNotContain(key);
  }

  @Test
  void newApiUserWhenEmailBadOrTakenThenErrorNextToFieldOrOnTop() {
    FormClient b = owner();
    String csrf = b.get("/ui/admin/users").csrf();
    FormClient.Page bad = b.post("/ui/admin/users", "csrf", csrf, "email", "not-an-email", "name", "X");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body()).contains("id=\"email-error\"");
    FormClient.Page taken = b.post("/ui/admin/users", "csrf", csrf, "email", TestServer.ADMIN_EMAIL, "name", "X");
    assertThat(taken.status()).isEqualTo(409);
    assertThat(taken.body()).contains("A user with this email already exists");
  }

  @Test
  void editWhenRolesChangedThenApiShowsThemAndUnknownRoleRefused() {
    http.post("/api/v1/roles", server.owner(), Map.of("name", "reader", "permissions", java.util.List.of("reports:read")));
    TestHttp.Response bot = http.post("/api/v1/users", server.owner(), Map.of("email", "edit-me@example.com", "name", "Edit", "programmatic", true));
    String id = bot.text("id");
    FormClient b = owner();
    FormClient.Page edit = b.get("/ui/admin/users/" + id);
    assertThat(edit.body()).contains("value=\"reader\"");
    FormClient.Page saved = b.post("/ui/admin/users/" + id, "csrf", edit.csrf(), "name", "Edited", "roles", "reader");
    assertThat(saved.status()).isEqualTo(303);
    TestHttp.Response after = http.get("/api/v1/users/" + id, server.owner());
    assertThat(after.json().path("roles").toString()).isEqualTo("[\"reader\"]");
    assertThat(after.text("name")).isEqualTo("Edited");
    FormClient.Page unknown = b.post("/ui/admin/users/" + id, "csrf", edit.csrf(), "name", "Edited", "roles", "no-such-role");
    assertThat(unknown.status()).isEqualTo(422);
    assertThat(unknown.body()).contains("id=\"roles-error\"");
  }

  @Test
  void resetUnlockRemoveWhenConfirmedThenDone() {
    TestHttp.Response bot = http.post("/api/v1/users", server.owner(), Map.of("email", "lock-me@example.com", "name", "Lock", "programmatic", true));
    String id = bot.text("id");
    for (int i = 0; i < 10; i++) {
      http.get("/api/v1/me", TestHttp.Auth.basic("lock-me@example.com", "wrong" + i));
    }
    FormClient b = owner();
    assertThat(b.get("/ui/admin/users").body()).contains("Locked");
    FormClient.Page edit = b.get("/ui/admin/users/" + id);
    assertThat(edit.body()).contains("/unlock");
    assertThat(b.post("/ui/admin/users/" + id + "/unlock", "csrf", edit.csrf()).status()).isEqualTo(303);
    assertThat(http.get("/api/v1/users/" + id, server.owner()).json().path("locked").asBoolean()).isFalse();
    FormClient.Page reset = b.post("/ui/admin/users/" + id + "/reset-password", "csrf", edit.csrf());
    String password = shown(reset, "new-password");
    assertThat(http.get("/api/v1/me", TestHttp.Auth.basic("lock-me@example.com", password)).status()).isEqualTo(200);
    FormClient.Page confirm = b.get("/ui/admin/users/" + id + "/remove");
    assertThat(confirm.body()).contains("Remove Lock (lock-me@example.com)?", "This cannot be undone");
    assertThat(b.post("/ui/admin/users/" + id + "/remove", "csrf", edit.csrf()).status()).isEqualTo(303);
    assertThat(http.get("/api/v1/users/" + id, server.owner()).status()).isEqualTo(404);
  }

  @Test
  void rolesAuditAllKeysWhenAdminThenShownAndBadDateNextToField() {
    FormClient b = owner();
    FormClient.Page roles = b.get("/ui/admin/roles");
    assertThat(roles.status()).isEqualTo(200);
    assertThat(roles.body()).contains("Role × route × method", "owner");
    FormClient.Page created = b.post("/ui/admin/roles", "csrf", roles.csrf(), "mode", "create", "name", "bad name!", "permissions", "x:read");
    assertThat(created.status()).isEqualTo(400);
    assertThat(b.get("/ui/admin/keys?environment=sandbox&state=active").body()).contains("default-key", TestServer.ADMIN_EMAIL);
    FormClient.Page audit = b.get("/ui/admin/audit?event=auth.signed_in&actor=" + TestServer.ADMIN_EMAIL);
    assertThat(audit.status()).isEqualTo(200);
    assertThat(audit.body()).contains("auth.signed_in");
    FormClient.Page badDate = b.get("/ui/admin/audit?since=yesterday");
    assertThat(badDate.status()).isEqualTo(400);
    assertThat(badDate.body()).contains("id=\"since-error\">Give a date as YYYY-MM-DD");
  }

  @Test
  void adminPagesWhenSignedInAsPlainMemberThen403() {
    http.post("/api/v1/users", server.owner(), Map.of("email", "member@example.com", "name", "Member", "password", "member password 1"));
    FormClient b = new FormClient(http.base());
    assertThat(b.signIn("member@example.com", "member password 1").status()).isEqualTo(303);
    for (String page : java.util.List.of("/ui/admin/users", "/ui/admin/roles", "/ui/admin/keys", "/ui/admin/audit")) {
      FormClient.Page p = b.get(page);
      assertThat(p.status()).as(page).isEqualTo(403);
      assertThat(p.body()).contains("Only owners and admins");
    }
    assertThat(b.get("/ui/keys").status()).isEqualTo(200);
  }
}
