package dev.keyward.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.server.testing.TestHttp;
import dev.keyward.server.testing.TestHttp.Auth;
import dev.keyward.server.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The token endpoint for an account in several tenants: it picks one with X-Keyward-Tenant. */
class TokenTenantIT {
  @Test
  void passwordGrantWhenAccountInTwoTenantsThenTenantHeaderChoosesAndMissingHeaderFails() {
    try (TestServer server = TestServer.start()) {
      TestHttp http = server.http();
      TestHttp.Response bot = http.post("/api/v1/users", server.owner(),
          Map.of("email", "svc@two.example", "name", "Service", "programmatic", true));
      assertThat(bot.status()).isEqualTo(201);
      String password = bot.text("password");
      assertThat(http.post("/api/v1/tenants", server.owner(), Map.of("slug", "acme", "name", "Acme", "ownerEmail", "svc@two.example")).status())
          .isEqualTo(201);
      String form = "grant_type=password&username=svc%40two.example&password=" + password;

      TestHttp.Response none = http.send("POST", "/api/v1/token", Auth.NONE, form, "application/x-www-form-urlencoded");
      assertThat(none.status()).as(none.body()).isEqualTo(400);
      assertThat(none.error()).isEqualTo("invalid_grant");

      TestHttp.Response acme = http.send("POST", "/api/v1/token", Auth.NONE, form, "application/x-www-form-urlencoded",
          "X-Keyward-Tenant", "acme");
      assertThat(acme.status()).as(acme.body()).isEqualTo(200);
      TestHttp.Response me = http.get("/api/v1/me", Auth.bearer(acme.text("access_token")));
      assertThat(me.json().path("tenant").path("slug").asText()).isEqualTo("acme");
      assertThat(me.json().path("roles").toString()).isEqualTo("[\"owner\"]");
    }
  }
}
