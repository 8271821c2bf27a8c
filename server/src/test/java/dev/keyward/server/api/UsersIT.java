package dev.keyward.server.api;

import static dev.keyward.server.api.Fixtures.JSON_TYPE;
import static dev.keyward.server.api.Fixtures.assertError;
import static dev.keyward.server.api.Fixtures.fields;
import static dev.keyward.server.api.Fixtures.set;
import static dev.keyward.server.api.Fixtures.texts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyward.server.api.Fixtures.NewKey;
import dev.keyward.server.api.Fixtures.NewUser;
import dev.keyward.server.testing.TestHttp;
import dev.keyward.server.testing.TestHttp.Auth;
import dev.keyward.server.testing.TestServer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@code /api/v1/users}: people and programmatic users, admin-only (API-04), owners and last owners. */
class UsersIT {
  static TestServer server;
  static TestHttp http;
  static Auth owner;
  static String ownerId;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    http = server.http();
    owner = server.owner();
    ownerId = Fixtures.me(http, owner);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** A fresh tenant with its own (only) owner, signed in with a password. */
  static Auth freshTenantOwner(String slug) {
    TestHttp.Response t = http.post("/api/v1/tenants", owner, Map.of("slug", slug, "name", slug, "ownerEmail", Fixtures.email(slug)));
    assertThat(t.status()).as(t.body()).isEqualTo(201);
    return Auth.basic(t.json().path("owner").path("email").asText(), t.text("ownerPassword"));
  }

  @Nested
  class Created {
    @Test
    void createWhenProgrammaticThen201WithGeneratedPasswordAndDefaultKey() {
      String email = Fixtures.email("robot");
      Instant before = Instant.now().minusSeconds(1);
      TestHttp.Response r = http.post("/api/v1/users", owner, Map.of("email", email, "name", "Billing robot", "programmatic", true));
      assertThat(r.status()).as(r.body()).isEqualTo(201);
      assertThat(r.header("content-type")).isEqualTo(JSON_TYPE);
      assertThat(r.header("cache-control")).isEqualTo("no-store");
      JsonNode j = r.json();
      assertThat(fields(j)).isEqualTo(set("id", "email", "name", "programmatic", "roles", "createdAt", "password", "defaultKey", "defaultKeyId"));
      assertThat(j.path("id").asText()).matches("usr_[0-9A-Za-z]{22}");
      assertThat(j.path("email").asText()).isEqualTo(email);
      assertThat(j.path("name").asText()).isEqualTo("Billing robot");
      assertThat(j.path("programmatic").asBoolean()).isTrue();
      assertThat(j.path("roles").isArray() && j.path("roles").isEmpty()).isTrue();
      assertThat(Instant.parse(j.path("createdAt").asText())).isBetween(before, Instant.now().plusSeconds(1));
      assertThat(j.path("password").asText()).hasSizeGreaterThanOrEqualTo(20);
      assertThat(j.path("defaultKey").asText()).matches("kw_(test|live)_[0-9A-Za-z]{49}");
      assertThat(j.path("defaultKeyId").asText()).matches("key_[0-9A-Za-z]{22}");
    }

    @Test
    void createWhenPersonWithPasswordThen201WithoutPasswordField() {
      String email = Fixtures.email("alice");
      TestHttp.Response r = http.post("/api/v1/users", owner,
          Map.of("email", email, "name", "Alice", "programmatic", false, "password", "alice's long secret", "roles", List.of("admin")));
      assertThat(r.status()).as(r.body()).isEqualTo(201);
      assertThat(fields(r.json())).isEqualTo(set("id", "email", "name", "programmatic", "roles", "createdAt", "defaultKey", "defaultKeyId"));
      assertThat(r.json().path("programmatic").asBoolean()).isFalse();
      assertThat(r.json().path("roles").toString()).isEqualTo("[\"admin\"]");
      assertThat(Fixtures.me(http, Auth.basic(email, "alice's long secret"))).isEqualTo(r.text("id"));
    }

    @Test
    void createWhenPersonWithoutPasswordThenGeneratedOneReturnedAndWorks() {
      TestHttp.Response r = http.post("/api/v1/users", owner, Map.of("email", Fixtures.email("bob"), "name", "Bob"));
      assertThat(r.status()).as(r.body()).isEqualTo(201);
      assertThat(r.json().has("password")).isTrue();
      assertThat(Fixtures.me(http, Auth.basic(r.text("email"), r.text("password")))).isEqualTo(r.text("id"));
    }

    @Test
    void createWhenDoneThenPasswordAndDefaultKeyWorkAndKeyIsNamedDefaultKey() {
      NewUser u = Fixtures.programmatic(http, owner);
      TestHttp.Response byPassword = http.get("/api/v1/me", u.basic());
      assertThat(byPassword.status()).as(byPassword.body()).isEqualTo(200);
      assertThat(byPassword.text("userId")).isEqualTo(u.id());
      assertThat(byPassword.json().path("credential").path("type").asText()).isEqualTo("password");
      for (Auth keyAuth : new Auth[] {u.key(), Auth.basic(u.defaultKey(), "")}) {
        TestHttp.Response byKey = http.get("/api/v1/me", keyAuth);
        assertThat(byKey.status()).as(byKey.body()).isEqualTo(200);
        assertThat(byKey.text("userId")).isEqualTo(u.id());
        assertThat(byKey.json().path("credential").path("keyId").asText()).isEqualTo(u.defaultKeyId());
      }
      TestHttp.Response keys = http.get("/api/v1/keys?userId=" + u.id(), owner);
      assertThat(keys.status()).as(keys.body()).isEqualTo(200);
      assertThat(keys.json().path("keys")).hasSize(1);
      JsonNode k = keys.json().path("keys").get(0);
      assertThat(k.path("id").asText()).isEqualTo(u.defaultKeyId());
      assertThat(k.path("name").asText()).isEqualTo("default-key");
      assertThat(k.path("userId").asText()).isEqualTo(u.id());
      assertThat(u.defaultKey()).startsWith(k.path("start").asText());
      assertThat(keys.body()).doesNotContain(u.defaultKey()).doesNotContain(u.password());
    }

    @Test
    void createWhenAdminKeyThen201AndOrdinaryKeyOfOwnerThen403NamingAdminKey() {
      NewKey ordinary = Fixtures.key(http, owner, Map.of("name", "plain-" + System.nanoTime(), "environment", "production"));
      TestHttp.Response refused = http.get("/api/v1/users", ordinary.bearer());
      assertError(refused, 403, "forbidden");
      assertThat(refused.text("message")).contains("admin key");
      NewKey admin = Fixtures.adminKey(http, owner);
      assertThat(admin.json().path("admin").asBoolean()).isTrue();
      assertThat(http.get("/api/v1/users", admin.bearer()).status()).isEqualTo(200);
      assertThat(http.get("/api/v1/users", Auth.basic(admin.key(), "")).status()).isEqualTo(200);
      TestHttp.Response created = http.post("/api/v1/users", admin.bearer(), Map.of("email", Fixtures.email("by-key"), "name", "By key", "programmatic", true));
      assertThat(created.status()).as(created.body()).isEqualTo(201);
    }

    @Test
    void createWhenOwnerGrantsOwnerThen201() {
      TestHttp.Response r = http.post("/api/v1/users", owner, Map.of("email", Fixtures.email("co-owner"), "name", "Co-owner",
          "programmatic", true, "roles", List.of("owner")));
      assertThat(r.status()).as(r.body()).isEqualTo(201);
      assertThat(r.json().path("roles").toString()).isEqualTo("[\"owner\"]");
    }
  }

  @Nested
  class Ok {
    @Test
    void listWhenUsersExistThenEveryUserWithoutSecrets() {
      NewUser a = Fixtures.programmatic(http, owner);
      NewUser b = Fixtures.person(http, owner, "admin");
      TestHttp.Response r = http.get("/api/v1/users", owner);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("content-type")).isEqualTo(JSON_TYPE);
      List<JsonNode> users = Fixtures.items(r.json().path("users"));
      assertThat(texts(r.json().path("users"), "id")).contains(ownerId, a.id(), b.id());
      for (JsonNode u : users) {
        assertThat(fields(u)).isEqualTo(set("id", "email", "name", "programmatic", "roles", "createdAt", "locked", "lockedUntil"));
      }
      assertThat(r.body()).doesNotContain(a.password()).doesNotContain(a.defaultKey()).doesNotContain(b.password())
          .doesNotContain(b.defaultKey()).doesNotContain("kw_test_").doesNotContain("kw_live_").doesNotContain("$argon2");
    }

    @Test
    void getWhenKnownThenUserAsCreated() {
      NewUser a = Fixtures.person(http, owner, "admin");
      TestHttp.Response r = http.get("/api/v1/users/" + a.id(), owner);
      assertThat(r.status()).isEqualTo(200);
      assertThat(fields(r.json())).isEqualTo(set("id", "email", "name", "programmatic", "roles", "createdAt", "locked", "lockedUntil"));
      for (String f : List.of("id", "email", "name", "programmatic", "roles", "createdAt")) {
        assertThat(r.json().path(f)).as(f).isEqualTo(a.json().path(f));
      }
    }

    @Test
    void patchWhenNameAndRolesThenChangedAndRightsFollow() {
      NewUser u = Fixtures.person(http, owner);
      assertThat(http.get("/api/v1/users", u.basic()).status()).isEqualTo(403);
      TestHttp.Response r = http.patch("/api/v1/users/" + u.id(), owner, Map.of("name", "Renamed", "roles", List.of("admin")));
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(r.text("name")).isEqualTo("Renamed");
      assertThat(r.json().path("roles").toString()).isEqualTo("[\"admin\"]");
      assertThat(http.get("/api/v1/users/" + u.id(), owner).text("name")).isEqualTo("Renamed");
      assertThat(http.get("/api/v1/users", u.basic()).status()).isEqualTo(200);

      TestHttp.Response nameOnly = http.patch("/api/v1/users/" + u.id(), owner, Map.of("name", "Again"));
      assertThat(nameOnly.status()).isEqualTo(200);
      assertThat(nameOnly.json().path("roles").toString()).as("roles untouched").isEqualTo("[\"admin\"]");
      TestHttp.Response rolesOnly = http.patch("/api/v1/users/" + u.id(), owner, Map.of("roles", List.of()));
      assertThat(rolesOnly.status()).isEqualTo(200);
      assertThat(rolesOnly.text("name")).isEqualTo("Again");
      assertThat(http.get("/api/v1/users", u.basic()).status()).as("demoted at once").isEqualTo(403);
    }

    @Test
    void resetPasswordWhenCalledThenNewPasswordWorksAndOldFailsAtOnce() {
      NewUser u = Fixtures.programmatic(http, owner);
      assertThat(http.get("/api/v1/me", u.basic()).status()).isEqualTo(200);
      TestHttp.Response r = http.post("/api/v1/users/" + u.id() + "/reset-password", owner, null);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(r.header("cache-control")).isEqualTo("no-store");
      assertThat(fields(r.json())).isEqualTo(set("password"));
      String fresh = r.text("password");
      assertThat(fresh).isNotEqualTo(u.password()).hasSizeGreaterThanOrEqualTo(20);
      assertError(http.get("/api/v1/me", u.basic()), 401, "invalid_credentials");
      assertThat(Fixtures.me(http, Auth.basic(u.email(), fresh))).isEqualTo(u.id());
      assertThat(http.get("/api/v1/me", u.key()).status()).as("keys are not touched").isEqualTo(200);
    }
  }

  @Nested
  class NoContent {
    @Test
    void deleteWhenUserThen204ThenGone404AndEveryCredentialRefusedAtOnce() {
      NewUser u = Fixtures.programmatic(http, owner);
      NewKey second = Fixtures.key(http, owner, Map.of("name", "second", "userId", u.id(), "environment", "production"));
      for (Auth a : new Auth[] {u.basic(), u.key(), second.bearer()}) {
        assertThat(http.get("/api/v1/me", a).status()).isEqualTo(200);
      }
      TestHttp.Response r = http.delete("/api/v1/users/" + u.id(), owner);
      assertThat(r.status()).isEqualTo(204);
      assertThat(r.body()).isEmpty();
      assertError(http.get("/api/v1/users/" + u.id(), owner), 404, "not_found");
      for (Auth a : new Auth[] {u.basic(), u.key(), second.bearer(), Auth.basic(u.defaultKey(), "")}) {
        assertError(http.get("/api/v1/me", a), 401, "invalid_credentials");
      }
      assertThat(texts(http.get("/api/v1/users", owner).json().path("users"), "id")).doesNotContain(u.id());
      assertError(http.delete("/api/v1/users/" + u.id(), owner), 404, "not_found");
    }
  }

  @Nested
  class Forbidden {
    @Test
    void everyUsersRouteWhenNonAdminPasswordOrKeyThen403SayingWhy() {
      NewUser plain = Fixtures.person(http, owner);
      NewUser victim = Fixtures.programmatic(http, owner);
      for (Auth a : new Auth[] {plain.basic(), plain.key()}) {
        List<TestHttp.Response> answers = List.of(
            http.get("/api/v1/users", a),
            http.post("/api/v1/users", a, Map.of("email", Fixtures.email("nope"), "name", "Nope", "programmatic", true)),
            http.get("/api/v1/users/" + victim.id(), a),
            http.patch("/api/v1/users/" + victim.id(), a, Map.of("name", "Hijacked")),
            http.delete("/api/v1/users/" + victim.id(), a),
            http.post("/api/v1/users/" + victim.id() + "/reset-password", a, null));
        for (TestHttp.Response r : answers) {
          assertError(r, 403, "forbidden");
          assertThat(r.text("message")).contains("owner or admin role");
        }
      }
      TestHttp.Response still = http.get("/api/v1/users/" + victim.id(), owner);
      assertThat(still.text("name")).isEqualTo("Service");
      assertThat(http.get("/api/v1/me", victim.basic()).status()).isEqualTo(200);
    }

    @Test
    void adminKeyWhenAskedByNonAdminThen403() {
      NewUser plain = Fixtures.person(http, owner);
      TestHttp.Response r = http.post("/api/v1/keys", plain.basic(), Map.of("name", "sneaky", "admin", true));
      assertError(r, 403, "forbidden");
    }

    @Test
    void ownerRoleWhenGrantedOrRemovedByAdminThen403() {
      NewUser admin = Fixtures.person(http, owner, "admin");
      NewUser target = Fixtures.programmatic(http, owner);
      NewUser coOwner = Fixtures.programmatic(http, owner, "owner");
      TestHttp.Response create = http.post("/api/v1/users", admin.basic(),
          Map.of("email", Fixtures.email("new-owner"), "name", "x", "programmatic", true, "roles", List.of("owner")));
      assertError(create, 403, "forbidden");
      assertThat(create.text("message")).contains("Only an owner");
      TestHttp.Response grant = http.patch("/api/v1/users/" + target.id(), admin.basic(), Map.of("roles", List.of("owner")));
      assertError(grant, 403, "forbidden");
      TestHttp.Response self = http.patch("/api/v1/users/" + admin.id(), admin.basic(), Map.of("roles", List.of("admin", "owner")));
      assertError(self, 403, "forbidden");
      TestHttp.Response demote = http.patch("/api/v1/users/" + coOwner.id(), admin.basic(), Map.of("roles", List.of("admin")));
      assertError(demote, 403, "forbidden");
      assertThat(http.get("/api/v1/users/" + target.id(), owner).json().path("roles").toString()).isEqualTo("[]");
      assertThat(http.get("/api/v1/users/" + coOwner.id(), owner).json().path("roles").toString()).isEqualTo("[\"owner\"]");
      TestHttp.Response byOwner = http.patch("/api/v1/users/" + target.id(), owner, Map.of("roles", List.of("owner")));
      assertThat(byOwner.status()).as(byOwner.body()).isEqualTo(200);
      assertThat(http.post("/api/v1/users", admin.basic(),
          Map.of("email", Fixtures.email("new-admin"), "name", "x", "programmatic", true, "roles", List.of("admin"))).status())
          .as("admins may make admins").isEqualTo(201);
    }

    @Test
    void ownerCredentialsWhenAdminDeletesResetsOrMintsKeysForOwnerThen403AndOwnerUntouched() {
      NewUser admin = Fixtures.person(http, owner, "admin");
      NewUser coOwner = Fixtures.programmatic(http, owner, "owner");
      TestHttp.Response reset = http.post("/api/v1/users/" + coOwner.id() + "/reset-password", admin.basic(), null);
      assertError(reset, 403, "forbidden");
      TestHttp.Response delete = http.delete("/api/v1/users/" + coOwner.id(), admin.basic());
      assertError(delete, 403, "forbidden");
      TestHttp.Response key = http.post("/api/v1/keys", admin.basic(), Map.of("name", "takeover", "userId", coOwner.id(), "admin", true));
      assertError(key, 403, "forbidden");
      assertThat(key.text("message")).contains("Only an owner");
      assertThat(http.get("/api/v1/me", coOwner.basic()).status()).as("owner password unchanged").isEqualTo(200);
      assertThat(texts(http.get("/api/v1/keys?userId=" + coOwner.id(), owner).json().path("keys"), "name")).containsExactly("default-key");
    }
  }

  @Nested
  class Conflict {
    @Test
    void createWhenEmailTakenThen409AlsoInAnotherCase() {
      NewUser u = Fixtures.programmatic(http, owner);
      assertError(http.post("/api/v1/users", owner, Map.of("email", u.email(), "name", "Twin", "programmatic", true)), 409, "conflict");
      assertError(http.post("/api/v1/users", owner, Map.of("email", u.email().toUpperCase(java.util.Locale.ROOT), "name", "Twin")), 409, "conflict");
    }

    @Test
    void createWhen20ParallelWithSameEmailThenExactlyOne201AndOthers409() throws Exception {
      String email = Fixtures.email("race");
      Map<Integer, List<TestHttp.Response>> byStatus = Fixtures.parallel(20,
          () -> http.post("/api/v1/users", owner, Map.of("email", email, "name", "Racer", "programmatic", true)));
      assertThat(byStatus.keySet()).as("statuses %s", byStatus).containsExactlyInAnyOrder(201, 409);
      assertThat(byStatus.get(201)).hasSize(1);
      assertThat(byStatus.get(409)).hasSize(19);
      for (TestHttp.Response r : byStatus.get(409)) {
        assertError(r, 409, "conflict");
      }
      long withEmail = http.get("/api/v1/users", owner).json().path("users").findValuesAsText("email").stream().filter(email::equals).count();
      assertThat(withEmail).isEqualTo(1);
    }

    @Test
    void lastOwnerWhenRemovedOrDemotedThen409UntilAnotherOwnerExists() {
      Auth tenantOwner = freshTenantOwner("last-owner-" + Long.toString(System.nanoTime(), 36));
      String id = Fixtures.me(http, tenantOwner);
      TestHttp.Response demote = http.patch("/api/v1/users/" + id, tenantOwner, Map.of("roles", List.of("admin")));
      assertError(demote, 409, "conflict");
      assertThat(demote.text("message")).contains("at least one owner");
      TestHttp.Response remove = http.delete("/api/v1/users/" + id, tenantOwner);
      assertError(remove, 409, "conflict");
      assertThat(http.get("/api/v1/me", tenantOwner).json().path("roles").toString()).isEqualTo("[\"owner\"]");

      TestHttp.Response second = http.post("/api/v1/users", tenantOwner,
          Map.of("email", Fixtures.email("second-owner"), "name", "Second", "programmatic", true, "roles", List.of("owner")));
      assertThat(second.status()).as(second.body()).isEqualTo(201);
      TestHttp.Response nowOk = http.patch("/api/v1/users/" + id, tenantOwner, Map.of("roles", List.of("admin")));
      assertThat(nowOk.status()).as(nowOk.body()).isEqualTo(200);
      assertThat(nowOk.json().path("roles").toString()).isEqualTo("[\"admin\"]");
    }
  }

  @Nested
  class NotFoundAndBadInput {
    @Test
    void everyIdRouteWhenUnknownOrMalformedIdThen404() {
      for (String id : new String[] {Fixtures.unknownId("usr"), "nope", "key_" + "a".repeat(22), "usr_%2E%2E"}) {
        assertError(http.get("/api/v1/users/" + id, owner), 404, "not_found");
        assertError(http.patch("/api/v1/users/" + id, owner, Map.of("name", "x")), 404, "not_found");
        assertError(http.delete("/api/v1/users/" + id, owner), 404, "not_found");
        assertError(http.post("/api/v1/users/" + id + "/reset-password", owner, null), 404, "not_found");
      }
    }

    @Test
    void createWhenBadFieldsThen400Or422NamingTheField() {
      JsonNode email = assertError(http.post("/api/v1/users", owner, Map.of("email", "not-an-email", "name", "x")), 400, "invalid_request");
      assertThat(email.path("field").asText()).isEqualTo("email");
      JsonNode missing = assertError(http.post("/api/v1/users", owner, Map.of("name", "x")), 400, "invalid_request");
      assertThat(missing.path("field").asText()).isEqualTo("email");
      JsonNode role = assertError(http.post("/api/v1/users", owner, Map.of("email", Fixtures.email("r"), "name", "x", "roles", List.of("wizard"))), 422, "unprocessable");
      assertThat(role.path("field").asText()).isEqualTo("roles");
      JsonNode pw = assertError(http.post("/api/v1/users", owner,
          Map.of("email", Fixtures.email("r"), "name", "x", "programmatic", true, "password", "chosen-password")), 400, "invalid_request");
      assertThat(pw.path("field").asText()).isEqualTo("password");
      assertError(http.patch("/api/v1/users/" + ownerId, owner, Map.of()), 400, "invalid_request");
      assertError(http.patch("/api/v1/users/" + ownerId, owner, Map.of("email", "x@example.com")), 400, "unknown_field");
      assertError(http.patch("/api/v1/users/" + ownerId, owner, Map.of("roles", List.of("wizard"))), 422, "unprocessable");
    }
  }

  @Test
  void secretsWhenUsersCreatedThenNeverInListOrReadAnswers() {
    NewUser u = Fixtures.programmatic(http, owner);
    String everything = http.get("/api/v1/users", owner).body() + http.get("/api/v1/users/" + u.id(), owner).body()
        + http.get("/api/v1/keys", owner).body() + http.get("/api/v1/audit?limit=1000", owner).body();
    assertThat(everything).doesNotContain(u.password()).doesNotContain(u.defaultKey())
        .doesNotContain(u.defaultKey().substring(12));
  }
}
