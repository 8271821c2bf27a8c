package dev.keyward.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.server.testing.TestHttp;
import dev.keyward.server.testing.TestHttp.Auth;
import dev.keyward.server.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tenant settings, and the password grant for people that they switch on (off by default). */
class TenantSettingsIT {
  static TestHttp.Response passwordGrant(TestHttp http, String email, String password) {
    return http.send("POST", "/api/v1/token", Auth.NONE,
        "grant_type=password&username=" + email.replace("@", "%40") + "&password=" + password.replace(" ", "+"),
        "application/x-www-form-urlencoded");
  }

  @Test
  void passwordGrantForPeopleWhenOffThenUnauthorizedClientAndWhenEnabledThenTokens() {
    try (TestServer server = TestServer.start()) {
      TestHttp http = server.http();
      http.post("/api/v1/users", server.owner(), Map.of("email", "pat@example.com", "name", "Pat", "password", "pat password 123"));
      TestHttp.Response off = passwordGrant(http, "pat@example.com", "pat password 123");
      assertThat(off.status()).isEqualTo(400);
      assertThat(off.error()).isEqualTo("unauthorized_client");
      assertThat(http.get("/api/v1/tenants/default/settings", server.owner()).json().path("passwordGrantForPeople").asBoolean()).isFalse();

      TestHttp.Response patched = http.patch("/api/v1/tenants/default/settings", server.owner(), Map.of("passwordGrantForPeople", true));
      assertThat(patched.status()).as(patched.body()).isEqualTo(200);
      assertThat(patched.json().path("passwordGrantForPeople").asBoolean()).isTrue();
      TestHttp.Response on = passwordGrant(http, "pat@example.com", "pat password 123");
      assertThat(on.status()).as(on.body()).isEqualTo(200);
      assertThat(on.text("refresh_token")).startsWith("kwr_");
      assertThat(http.get("/api/v1/audit?event=tenant.updated", server.owner()).json().path("events").size()).isEqualTo(1);
    }
  }

  @Test
  void settingsWhenNotOwnerOrOtherTenantOrBadBodyThenRefused() {
    try (TestServer server = TestServer.start()) {
      TestHttp http = server.http();
      TestHttp.Response admin = http.post("/api/v1/users", server.owner(),
          Map.of("email", "adm@example.com", "name", "Adm", "password", "adm password 123", "roles", List.of("admin")));
      assertThat(admin.status()).isEqualTo(201);
      Auth adminAuth = Auth.basic("adm@example.com", "adm password 123");
      assertThat(http.patch("/api/v1/tenants/default/settings", adminAuth, Map.of("passwordGrantForPeople", true)).status())
          .as("admins are not owners").isEqualTo(403);
      assertThat(http.post("/api/v1/tenants", server.owner(), Map.of("slug", "acme", "name", "Acme", "ownerEmail", "o@acme.example")).status())
          .isEqualTo(201);
      assertThat(http.get("/api/v1/tenants/acme/settings", adminAuth).status()).as("another tenant: not found").isEqualTo(404);
      assertThat(http.get("/api/v1/tenants/nope/settings", adminAuth).status()).isEqualTo(404);
      assertThat(http.get("/api/v1/tenants/acme/settings", server.owner()).status()).as("the deployment owner may").isEqualTo(200);
      assertThat(http.patch("/api/v1/tenants/default/settings", server.owner(), Map.of("passwordGrantForPeople", "yes")).status()).isEqualTo(400);
      assertThat(http.patch("/api/v1/tenants/default/settings", server.owner(), Map.of()).status()).isEqualTo(400);
      assertThat(http.patch("/api/v1/tenants/default/settings", server.owner(), Map.of("productionEnabled", 1)).status()).isEqualTo(400);
      TestHttp.Response partial = http.patch("/api/v1/tenants/default/settings", server.owner(), Map.of("keyManagementReserved", true));
      assertThat(partial.status()).isEqualTo(200);
      assertThat(partial.json().path("keyManagementReserved").asBoolean()).isTrue();
      assertThat(partial.json().path("productionEnabled").asBoolean()).as("untouched: default on").isTrue();
      assertThat(partial.json().path("passwordGrantForPeople").asBoolean()).as("untouched: default off").isFalse();
      assertThat(http.patch("/api/v1/tenants/default/settings", server.owner(), Map.of("plan", "gold")).status()).isEqualTo(400);
    }
  }
}
