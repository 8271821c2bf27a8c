package dev.keyward.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.server.testing.TestHttp;
import dev.keyward.server.testing.TestHttp.Auth;
import dev.keyward.server.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code GET/PUT /api/v1/routes}: the route table replaced through the API, its roles seeded, errors with line and column. */
class RoutesIT {
  static final String DOCUMENT = """
      {"roles": [{"name": "reader", "permissions": ["reports:read"], "description": "Reads reports"}],
       "routes": [
         {"method": "GET", "path": "/reports/{id}", "permission": "reports:read", "resource": "report://{id}"},
         {"method": "GET", "path": "/ping", "public": true}]}
      """;

  static TestHttp.Response put(TestHttp http, Auth auth, String json) {
    return http.send("PUT", "/api/v1/routes", auth, json, "application/json");
  }

  @Test
  void replaceWhenOwnerPutsDocumentThenDecisionsUseItAndRolesAreSeededInEveryTenant() {
    try (TestServer server = TestServer.start()) {
      TestHttp http = server.http();
      assertThat(http.get("/api/v1/routes", server.owner()).json().path("routes").size()).isZero();
      assertThat(http.post("/api/v1/tenants", server.owner(), Map.of("slug", "acme", "name", "Acme", "ownerEmail", "o@acme.example"))
          .status()).isEqualTo(201);
      TestHttp.Response replaced = put(http, server.owner(), DOCUMENT);
      assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
      assertThat(replaced.json().path("routes").size()).isEqualTo(2);
      assertThat(http.get("/api/v1/routes", server.owner()).json()).isEqualTo(replaced.json());
      assertThat(http.get("/api/v1/roles/reader", server.owner()).json().path("permissions").toString()).isEqualTo("[\"reports:read\"]");
      assertThat(http.get("/api/v1/roles/reader", server.owner(), "X-Keyward-Tenant", "default").status()).isEqualTo(200);

      String key = Fixtures.key(http, server.owner(), Map.of("name", "reports", "resources", List.of("report://*"))).key();
      TestHttp.Response d = http.post("/api/v1/verify", server.owner(), Map.of("credential", key, "method", "GET", "path", "/reports/r1"));
      assertThat(d.json().path("code").asText()).as(d.body()).isEqualTo("VALID");
      assertThat(d.json().path("resource").asText()).isEqualTo("report://r1");
      assertThat(http.get("/api/v1/audit?event=routes.updated", server.owner()).json().path("events").size()).isEqualTo(1);
    }
  }

  @Test
  void replaceWhenInvalidOrNotDeploymentOwnerThenRefusedAndTableUnchanged() {
    try (TestServer server = TestServer.start()) {
      TestHttp http = server.http();
      assertThat(put(http, server.owner(), DOCUMENT).status()).isEqualTo(200);
      TestHttp.Response typo = put(http, server.owner(), """
          {"routes": [
            {"method": "GET", "path": "/x", "permision": "a:b"}]}
          """);
      assertThat(typo.status()).isEqualTo(400);
      assertThat(typo.json().path("message").asText()).startsWith("body:2:").contains("unknown field 'permision'");
      TestHttp.Response wildcard = put(http, server.owner(), "{\"routes\":[{\"method\":\"GET\",\"path\":\"/x\",\"permission\":\"a:*\"}]}");
      assertThat(wildcard.status()).isEqualTo(400);
      assertThat(put(http, server.owner(), "{\"routes\":[{\"method\":\"GET\",\"path\":\"/x/../y\",\"permission\":\"a:b\"}]}").status())
          .isEqualTo(400);
      assertThat(put(http, server.owner(), "not json").status()).isEqualTo(400);
      assertThat(http.send("PUT", "/api/v1/routes", server.owner(), DOCUMENT, "text/plain").status()).isEqualTo(415);

      TestHttp.Response admin = http.post("/api/v1/users", server.owner(),
          Map.of("email", "adm@example.com", "name", "Adm", "password", "adm password 123", "roles", List.of("admin")));
      assertThat(admin.status()).isEqualTo(201);
      Auth adminAuth = Auth.basic("adm@example.com", "adm password 123");
      assertThat(http.get("/api/v1/routes", adminAuth).status()).as("admins read").isEqualTo(200);
      assertThat(put(http, adminAuth, DOCUMENT).status()).as("only owners of default replace").isEqualTo(403);
      assertThat(http.get("/api/v1/routes", Fixtures.programmatic(http, server.owner()).key()).status()).isEqualTo(403);
      assertThat(http.get("/api/v1/routes", server.owner()).json().path("routes").size()).as("unchanged").isEqualTo(2);
    }
  }
}
