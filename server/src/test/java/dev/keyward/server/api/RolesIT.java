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

/** {@code /api/v1/roles}: custom roles with permissions, built-ins fixed, admins only for changes. */
class RolesIT {
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

  @Test
  void createWhenValidThenListedReadUpdatedAndDeletedWithAudit() {
    TestHttp.Response created = http.post("/api/v1/roles", server.owner(),
        Map.of("name", "API_Agent_Vid_ARO", "permissions", List.of("invoices:*", "customers:read", "invoices:*"),
            "description", "Reads customers, runs invoices"));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().path("permissions").toString()).isEqualTo("[\"invoices:*\",\"customers:read\"]");
    assertThat(created.json().path("builtIn").asBoolean()).isFalse();

    TestHttp.Response list = http.get("/api/v1/roles", server.owner());
    assertThat(list.json().path("roles").findValuesAsText("name")).startsWith("admin", "owner").contains("API_Agent_Vid_ARO");
    assertThat(http.get("/api/v1/roles/owner", server.owner()).json().path("permissions").toString()).isEqualTo("[\"*\"]");

    TestHttp.Response updated = http.patch("/api/v1/roles/API_Agent_Vid_ARO", server.owner(), Map.of("permissions", List.of("*:read")));
    assertThat(updated.status()).as(updated.body()).isEqualTo(200);
    assertThat(updated.json().path("permissions").toString()).isEqualTo("[\"*:read\"]");
    assertThat(updated.json().path("description").asText()).isEqualTo("Reads customers, runs invoices");

    assertThat(http.delete("/api/v1/roles/API_Agent_Vid_ARO", server.owner()).status()).isEqualTo(204);
    assertThat(http.get("/api/v1/roles/API_Agent_Vid_ARO", server.owner()).status()).isEqualTo(404);
    TestHttp.Response audit = http.get("/api/v1/audit?limit=500", server.owner());
    assertThat(audit.body()).contains("role.created", "role.updated", "role.deleted");
  }

  @Test
  void changesWhenBuiltInOrDuplicateOrHeldThenRefusedWithReason() {
    assertThat(http.patch("/api/v1/roles/admin", server.owner(), Map.of("permissions", List.of())).status()).isEqualTo(403);
    assertThat(http.delete("/api/v1/roles/owner", server.owner()).status()).isEqualTo(403);
    TestHttp.Response dupBuiltIn = http.post("/api/v1/roles", server.owner(), Map.of("name", "admin", "permissions", List.of()));
    assertThat(dupBuiltIn.status()).isEqualTo(409);
    assertThat(http.post("/api/v1/roles", server.owner(), Map.of("name", "clerk", "permissions", List.of("a:b"))).status()).isEqualTo(201);
    assertThat(http.post("/api/v1/roles", server.owner(), Map.of("name", "clerk", "permissions", List.of())).status()).isEqualTo(409);

    TestHttp.Response user = http.post("/api/v1/users", server.owner(),
        Map.of("email", "clerk@example.com", "name", "Clerk", "programmatic", true, "roles", List.of("clerk")));
    assertThat(user.status()).as(user.body()).isEqualTo(201);
    TestHttp.Response held = http.delete("/api/v1/roles/clerk", server.owner());
    assertThat(held.status()).isEqualTo(409);
    assertThat(held.json().path("message").asText()).contains("'clerk'", "1 member(s)");

    // A non-admin reads roles but may not change them.
    Auth clerk = Auth.basic("clerk@example.com", user.text("password"));
    assertThat(http.get("/api/v1/roles", clerk).status()).isEqualTo(200);
    TestHttp.Response forbidden = http.post("/api/v1/roles", clerk, Map.of("name", "boss", "permissions", List.of("*")));
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(forbidden.error()).isEqualTo("forbidden");
  }

  @Test
  void badInputWhenMalformedThen400NamingTheField() {
    record Case(Object body, String field) {}
    List<Case> cases = List.of(
        new Case(Map.of("name", "bad name", "permissions", List.of()), "name"),
        new Case(Map.of("name", "x".repeat(65), "permissions", List.of()), "name"),
        new Case(Map.of("name", "r1"), "permissions"),
        new Case(Map.of("name", "r1", "permissions", "invoices:read"), "permissions"),
        new Case(Map.of("name", "r1", "permissions", List.of("invoices")), "permissions[0]"),
        new Case(Map.of("name", "r1", "permissions", List.of("ok:read", "a:b:c")), "permissions[1]"),
        new Case(Map.of("name", "r1", "permissions", List.of("in voices:read")), "permissions[0]"),
        new Case(Map.of("name", "r1", "permissions", List.of("**:read")), "permissions[0]"),
        new Case(Map.of("name", "r1", "permissions", List.of("")), "permissions[0]"),
        new Case(Map.of("name", "r1", "permissions", java.util.Collections.nCopies(257, "a:b")), "permissions"),
        new Case(Map.of("name", "r1", "permissions", List.of(), "builtIn", true), "builtIn"),
        new Case(Map.of("name", "r1", "permissions", List.of(), "description", "x".repeat(501)), "description"));
    for (Case c : cases) {
      TestHttp.Response r = http.post("/api/v1/roles", server.owner(), c.body());
      assertThat(r.status()).as(c.toString() + " " + r.body()).isEqualTo(400);
      assertThat(r.json().path("field").asText()).as(c.toString() + " " + r.body()).isEqualTo(c.field());
    }
    assertThat(http.patch("/api/v1/roles/admin", server.owner(), Map.of("name", "x")).status()).isEqualTo(400);
    assertThat(http.get("/api/v1/roles/" + "x".repeat(300), server.owner()).status()).isEqualTo(404);
  }

  @Test
  void createOrUpdateWhenAGrantIsRequiredByNoRouteThenSavedWithAWarningNamingIt() {
    try (TestServer routed = TestServer.start(c -> c.withRoutes(java.nio.file.Path.of("..", "examples", "routes", "algorithms.yaml")))) {
      TestHttp h = routed.http();
      TestHttp.Response created = h.post("/api/v1/roles", routed.owner(),
          Map.of("name", "typos", "permissions", List.of("algo:invoke", "algo:invok", "data:*", "keyward:verify", "invoices:read")));
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      List<String> warnings = new java.util.ArrayList<>();
      created.json().path("warnings").forEach(w -> warnings.add(w.asText()));
      assertThat(warnings).hasSize(2);
      assertThat(warnings.get(0)).startsWith("'algo:invok' is required by no route");
      assertThat(warnings.get(1)).startsWith("'invoices:read' is required by no route");
      assertThat(h.get("/api/v1/roles/typos", routed.owner()).json().path("permissions").size()).as("saved all the same").isEqualTo(5);

      TestHttp.Response fixed = h.patch("/api/v1/roles/typos", routed.owner(), Map.of("permissions", List.of("algo:invoke", "data:*")));
      assertThat(fixed.status()).as(fixed.body()).isEqualTo(200);
      assertThat(fixed.json().path("warnings").size()).isZero();
    }
    // Without a route table there is nothing to compare with.
    TestHttp.Response plain = http.post("/api/v1/roles", server.owner(), Map.of("name", "anything", "permissions", List.of("made:up")));
    assertThat(plain.status()).as(plain.body()).isEqualTo(201);
    assertThat(plain.json().path("warnings").size()).isZero();
  }
}
