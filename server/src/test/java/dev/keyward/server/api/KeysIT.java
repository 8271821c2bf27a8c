package dev.keyward.server.api;

import static dev.keyward.server.api.Fixtures.JSON_TYPE;
import static dev.keyward.server.api.Fixtures.assertError;
import static dev.keyward.server.api.Fixtures.fields;
import static dev.keyward.server.api.Fixtures.set;
import static dev.keyward.server.api.Fixtures.texts;
import static dev.keyward.server.api.Fixtures.withoutRequestId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyward.server.api.Fixtures.NewKey;
import dev.keyward.server.api.Fixtures.NewUser;
import dev.keyward.server.testing.TestHttp;
import dev.keyward.server.testing.TestHttp.Auth;
import dev.keyward.server.testing.TestServer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@code /api/v1/keys}: show-once secrets, lists without secrets, revocation, BOLA (API-01), role limits. */
class KeysIT {
  static final Set<String> LIST_FIELDS =
      set("id", "name", "start", "userId", "roles", "environment", "admin", "createdAt", "expiresAt", "lastUsedAt", "revokedAt",
          "access", "quotaRemaining", "previousSecretExpiresAt");
  static final Set<String> CREATED_FIELDS =
      set("id", "name", "key", "start", "userId", "roles", "environment", "admin", "createdAt", "expiresAt", "access",
          "previousSecretExpiresAt", "warnings");

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

  static String name() {
    return "k-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static String meRolesJson(Auth auth) {
    TestHttp.Response r = http.get("/api/v1/me", auth);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().path("roles").toString();
  }

  @Nested
  class Created {
    @Test
    void createWhenProductionThen201WithLiveKeyShownOnceAndExactShape() {
      String name = name();
      Instant before = Instant.now().minusSeconds(1);
      TestHttp.Response r = http.post("/api/v1/keys", owner, Map.of("name", name, "environment", "production"));
      assertThat(r.status()).as(r.body()).isEqualTo(201);
      assertThat(r.header("content-type")).isEqualTo(JSON_TYPE);
      assertThat(r.header("cache-control")).isEqualTo("no-store");
      JsonNode j = r.json();
      assertThat(fields(j)).isEqualTo(CREATED_FIELDS);
      assertThat(j.path("id").asText()).matches("key_[0-9A-Za-z]{22}");
      assertThat(j.path("name").asText()).isEqualTo(name);
      assertThat(j.path("key").asText()).matches("kw_live_[0-9A-Za-z]{49}");
      assertThat(j.path("start").asText()).isEqualTo(j.path("key").asText().substring(0, 12));
      assertThat(j.path("userId").asText()).isEqualTo(ownerId);
      assertThat(j.path("roles").isNull()).as("no own roles: the owner's").isTrue();
      assertThat(j.path("environment").asText()).isEqualTo("production");
      assertThat(j.path("admin").asBoolean()).isFalse();
      assertThat(Instant.parse(j.path("createdAt").asText())).isBetween(before, Instant.now().plusSeconds(1));
      assertThat(j.path("expiresAt").isNull()).isTrue();
      assertThat(j.path("warnings").isArray() && j.path("warnings").isEmpty()).isTrue();
      TestHttp.Response me = http.get("/api/v1/me", Auth.bearer(j.path("key").asText()));
      assertThat(me.json().path("credential").path("environment").asText()).isEqualTo("production");
    }

    @Test
    void createWhenSandboxOrNoEnvironmentThenTestKey() {
      NewKey sandbox = Fixtures.key(http, owner, Map.of("name", name(), "environment", "sandbox"));
      assertThat(sandbox.key()).matches("kw_test_[0-9A-Za-z]{49}");
      assertThat(sandbox.json().path("environment").asText()).isEqualTo("sandbox");
      NewKey implicit = Fixtures.key(http, owner, Map.of("name", name()));
      assertThat(implicit.key()).startsWith("kw_test_");
      assertThat(implicit.json().path("environment").asText()).isEqualTo("sandbox");
      TestHttp.Response me = http.get("/api/v1/me", Auth.basic(sandbox.key(), ""));
      assertThat(me.json().path("credential").path("environment").asText()).isEqualTo("sandbox");
    }

    @Test
    void createWhenFutureExpiryThenKeptAndShown() {
      Instant at = Instant.now().plus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
      NewKey k = Fixtures.key(http, owner, Map.of("name", name(), "expiresAt", at.toString()));
      assertThat(Instant.parse(k.json().path("expiresAt").asText())).isEqualTo(at);
      assertThat(Instant.parse(http.get("/api/v1/keys/" + k.id(), owner).text("expiresAt"))).isEqualTo(at);
      assertThat(http.get("/api/v1/me", k.bearer()).status()).isEqualTo(200);
    }

    @Test
    void createWhenIdsIssuedThenRandomNotSequential() {
      Set<Character> firstChars = new HashSet<>();
      Set<String> ids = new HashSet<>();
      for (int i = 0; i < 12; i++) {
        String id = Fixtures.key(http, owner, Map.of("name", name())).id();
        ids.add(id);
        firstChars.add(id.charAt(4));
      }
      assertThat(ids).hasSize(12);
      assertThat(firstChars).as("ids share no counter-like prefix").hasSizeGreaterThan(3);
    }

    @Test
    void createWhenNameReusedAfterRevocationThen201() {
      String name = name();
      NewKey first = Fixtures.key(http, owner, Map.of("name", name));
      assertThat(http.post("/api/v1/keys/" + first.id() + "/revoke", owner, null).status()).isEqualTo(200);
      NewKey second = Fixtures.key(http, owner, Map.of("name", name));
      assertThat(second.id()).isNotEqualTo(first.id());
      assertThat(http.get("/api/v1/me", second.bearer()).status()).isEqualTo(200);
      assertError(http.get("/api/v1/me", first.bearer()), 401, "invalid_credentials");
    }

    @Test
    void createWhenSubsetOfRolesThenMeShowsOnlyThose() {
      NewUser both = Fixtures.person(http, owner, "admin", "owner");
      assertThat(meRolesJson(both.basic())).isEqualTo("[\"admin\",\"owner\"]");
      NewKey adminOnly = Fixtures.key(http, both.basic(), Map.of("name", name(), "roles", List.of("admin")));
      assertThat(adminOnly.json().path("roles").toString()).isEqualTo("[\"admin\"]");
      assertThat(meRolesJson(adminOnly.bearer())).isEqualTo("[\"admin\"]");
      NewKey none = Fixtures.key(http, both.basic(), Map.of("name", name(), "roles", List.of()));
      assertThat(meRolesJson(none.bearer())).isEqualTo("[]");
      assertThat(meRolesJson(both.key())).as("default key: the owner's roles").isEqualTo("[\"admin\",\"owner\"]");
    }

    @Test
    void createWhenAdminAsksForAnotherUsersKeyThen201OwnedByThatUser() {
      NewUser u = Fixtures.programmatic(http, owner);
      NewKey k = Fixtures.key(http, owner, Map.of("name", name(), "userId", u.id(), "environment", "production"));
      assertThat(k.json().path("userId").asText()).isEqualTo(u.id());
      assertThat(Fixtures.me(http, k.bearer())).isEqualTo(u.id());
    }
  }

  @Nested
  class Ok {
    @Test
    void listWhenKeysExistThenExactFieldsAndNoSecretOrHash() {
      NewKey a = Fixtures.key(http, owner, Map.of("name", name(), "environment", "production"));
      NewKey b = Fixtures.key(http, owner, Map.of("name", name()));
      http.get("/api/v1/me", a.bearer());
      TestHttp.Response r = http.get("/api/v1/keys", owner);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("content-type")).isEqualTo(JSON_TYPE);
      assertThat(fields(r.json())).isEqualTo(set("keys"));
      List<JsonNode> keys = Fixtures.items(r.json().path("keys"));
      assertThat(texts(r.json().path("keys"), "id")).contains(a.id(), b.id());
      for (JsonNode k : keys) {
        assertThat(fields(k)).isEqualTo(LIST_FIELDS);
      }
      assertThat(r.body()).doesNotContain(a.key()).doesNotContain(b.key()).doesNotContain(a.key().substring(12))
          .doesNotContainIgnoringCase("digest").doesNotContainIgnoringCase("hash").doesNotContain("\"key\"");
    }

    @Test
    void getWhenOwnKeyThenSameAsCreatedWithoutSecret() {
      NewKey a = Fixtures.key(http, owner, Map.of("name", name(), "environment", "production", "roles", List.of("owner")));
      TestHttp.Response r = http.get("/api/v1/keys/" + a.id(), owner);
      assertThat(r.status()).isEqualTo(200);
      assertThat(fields(r.json())).isEqualTo(LIST_FIELDS);
      for (String f : List.of("id", "name", "start", "userId", "roles", "environment", "admin", "createdAt", "expiresAt", "access")) {
        assertThat(r.json().path(f)).as(f).isEqualTo(a.json().path(f));
      }
      assertThat(r.json().path("revokedAt").isNull()).isTrue();
      assertThat(r.body()).doesNotContain(a.key());
    }

    @Test
    void lastUsedAtWhenKeyUsedThenVisibleWithinSeconds() throws Exception {
      NewKey a = Fixtures.key(http, owner, Map.of("name", name()));
      assertThat(http.get("/api/v1/keys/" + a.id(), owner).json().path("lastUsedAt").isNull()).isTrue();
      http.get("/api/v1/me", a.bearer());
      Fixtures.eventually(3000, () -> !http.get("/api/v1/keys/" + a.id(), owner).json().path("lastUsedAt").isNull());
    }

    @Test
    void revokeWhenLiveThen200WithRevokedAtAndKeyRefusedAtOnce() {
      NewKey a = Fixtures.key(http, owner, Map.of("name", name()));
      assertThat(http.get("/api/v1/me", a.bearer()).status()).isEqualTo(200);
      TestHttp.Response r = http.post("/api/v1/keys/" + a.id() + "/revoke", owner, null);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(fields(r.json())).isEqualTo(LIST_FIELDS);
      assertThat(r.json().path("revokedAt").isNull()).isFalse();
      Instant revokedAt = Instant.parse(r.text("revokedAt"));
      assertThat(revokedAt).isBetween(Instant.now().minusSeconds(5), Instant.now().plusSeconds(1));
      assertError(http.get("/api/v1/me", a.bearer()), 401, "invalid_credentials");
      assertError(http.get("/api/v1/me", Auth.basic(a.key(), "")), 401, "invalid_credentials");
      assertThat(Instant.parse(http.get("/api/v1/keys/" + a.id(), owner).text("revokedAt"))).isEqualTo(revokedAt);
    }

    @Test
    void adminWhenListingThenSeesEveryonesKeysAndFiltersByUser() {
      NewUser u = Fixtures.programmatic(http, owner);
      TestHttp.Response all = http.get("/api/v1/keys", owner);
      assertThat(texts(all.json().path("keys"), "id")).contains(u.defaultKeyId());
      assertThat(all.json().path("keys").findValuesAsText("userId")).contains(ownerId, u.id());
      TestHttp.Response only = http.get("/api/v1/keys?userId=" + u.id(), owner);
      assertThat(only.status()).isEqualTo(200);
      assertThat(only.json().path("keys").findValuesAsText("userId")).containsOnly(u.id());
      assertThat(http.get("/api/v1/keys/" + u.defaultKeyId(), owner).status()).isEqualTo(200);
    }
  }

  @Nested
  class Conflict {
    @Test
    void revokeWhenAlreadyRevokedThen409AlreadyRevokedWithClearMessage() {
      NewKey a = Fixtures.key(http, owner, Map.of("name", name()));
      assertThat(http.post("/api/v1/keys/" + a.id() + "/revoke", owner, null).status()).isEqualTo(200);
      TestHttp.Response again = http.post("/api/v1/keys/" + a.id() + "/revoke", owner, null);
      assertError(again, 409, "already_revoked");
      assertThat(again.text("message")).containsIgnoringCase("already revoked").containsIgnoringCase("cannot be undone");
      assertError(http.get("/api/v1/me", a.bearer()), 401, "invalid_credentials");
    }

    @Test
    void createWhenLiveNameTakenThen409() {
      String name = name();
      Fixtures.key(http, owner, Map.of("name", name));
      TestHttp.Response r = http.post("/api/v1/keys", owner, Map.of("name", name, "environment", "production"));
      assertError(r, 409, "conflict");
      assertThat(r.text("message")).contains("name");
      assertThat(http.get("/api/v1/keys", owner).json().path("keys").findValuesAsText("name").stream().filter(name::equals)).hasSize(1);
    }

    @Test
    void createWhen20ParallelWithSameNameThenExactlyOne201AndOthers409() throws Exception {
      String name = name();
      Map<Integer, List<TestHttp.Response>> byStatus = Fixtures.parallel(20,
          () -> http.post("/api/v1/keys", owner, Map.of("name", name, "environment", "production")));
      assertThat(byStatus.keySet()).as("statuses %s", byStatus).containsExactlyInAnyOrder(201, 409);
      assertThat(byStatus.get(201)).hasSize(1);
      assertThat(byStatus.get(409)).hasSize(19);
      byStatus.get(409).forEach(r -> assertError(r, 409, "conflict"));
      String winner = byStatus.get(201).get(0).text("key");
      assertThat(http.get("/api/v1/me", Auth.bearer(winner)).status()).isEqualTo(200);
      assertThat(http.get("/api/v1/keys", owner).json().path("keys").findValuesAsText("name").stream().filter(name::equals)).hasSize(1);
    }
  }

  @Nested
  class NotFound {
    @Test
    void otherUsersKeyWhenNonAdminReadsOrRevokesThen404LikeUnknownId() {
      NewUser alice = Fixtures.person(http, owner);
      NewUser bob = Fixtures.person(http, owner);
      NewKey bobs = Fixtures.key(http, bob.basic(), Map.of("name", name()));
      for (Auth a : new Auth[] {alice.basic(), alice.key()}) {
        TestHttp.Response unknownGet = http.get("/api/v1/keys/" + Fixtures.unknownId("key"), a);
        assertError(unknownGet, 404, "not_found");
        TestHttp.Response get = http.get("/api/v1/keys/" + bobs.id(), a);
        assertError(get, 404, "not_found");
        assertThat(withoutRequestId(get)).isEqualTo(withoutRequestId(unknownGet));
        TestHttp.Response unknownRevoke = http.post("/api/v1/keys/" + Fixtures.unknownId("key") + "/revoke", a, null);
        TestHttp.Response revoke = http.post("/api/v1/keys/" + bobs.id() + "/revoke", a, null);
        assertError(revoke, 404, "not_found");
        assertThat(withoutRequestId(revoke)).isEqualTo(withoutRequestId(unknownRevoke));
        TestHttp.Response revokeDefault = http.post("/api/v1/keys/" + bob.defaultKeyId() + "/revoke", a, null);
        assertThat(withoutRequestId(revokeDefault)).isEqualTo(withoutRequestId(unknownRevoke));

        TestHttp.Response unknownList = http.get("/api/v1/keys?userId=" + Fixtures.unknownId("usr"), a);
        TestHttp.Response list = http.get("/api/v1/keys?userId=" + bob.id(), a);
        assertError(list, 404, "not_found");
        assertThat(withoutRequestId(list)).isEqualTo(withoutRequestId(unknownList));
        TestHttp.Response unknownCreate = http.post("/api/v1/keys", a, Map.of("name", name(), "userId", Fixtures.unknownId("usr")));
        TestHttp.Response create = http.post("/api/v1/keys", a, Map.of("name", name(), "userId", bob.id()));
        assertError(create, 404, "not_found");
        assertThat(withoutRequestId(create)).isEqualTo(withoutRequestId(unknownCreate));

        TestHttp.Response own = http.get("/api/v1/keys", a);
        assertThat(own.json().path("keys").findValuesAsText("userId")).containsOnly(alice.id());
        assertThat(texts(own.json().path("keys"), "id")).doesNotContain(bobs.id(), bob.defaultKeyId());
      }
      assertThat(http.get("/api/v1/me", bobs.bearer()).status()).as("bob's key still works").isEqualTo(200);
      assertThat(http.get("/api/v1/keys/" + bobs.id(), bob.basic()).json().path("revokedAt").isNull()).isTrue();
      assertThat(http.get("/api/v1/keys?userId=" + bob.id(), owner).json().path("keys")).as("no key made for bob").hasSize(2);
    }

    @Test
    void ownKeysWhenNonAdminManagesThemThenCreateListGetRevokeWork() {
      NewUser alice = Fixtures.person(http, owner);
      NewKey mine = Fixtures.key(http, alice.basic(), Map.of("name", name(), "environment", "production"));
      assertThat(mine.json().path("userId").asText()).isEqualTo(alice.id());
      NewKey byKey = Fixtures.key(http, mine.bearer(), Map.of("name", name()));
      assertThat(byKey.json().path("userId").asText()).isEqualTo(alice.id());
      TestHttp.Response list = http.get("/api/v1/keys", alice.key());
      assertThat(texts(list.json().path("keys"), "id")).containsExactlyInAnyOrder(alice.defaultKeyId(), mine.id(), byKey.id());
      assertThat(http.get("/api/v1/keys?userId=" + alice.id(), alice.basic()).json().path("keys")).hasSize(3);
      assertThat(http.get("/api/v1/keys/" + mine.id(), alice.key()).status()).isEqualTo(200);
      assertThat(http.post("/api/v1/keys/" + byKey.id() + "/revoke", mine.bearer(), null).status()).isEqualTo(200);
      assertError(http.get("/api/v1/me", byKey.bearer()), 401, "invalid_credentials");
    }

    @Test
    void getOrRevokeWhenMalformedIdThen404() {
      for (String id : new String[] {"x", Fixtures.unknownId("usr"), "key_" + "!".repeat(22), "key_" + "a".repeat(300)}) {
        assertError(http.get("/api/v1/keys/" + id, owner), 404, "not_found");
        assertError(http.post("/api/v1/keys/" + id + "/revoke", owner, null), 404, "not_found");
      }
    }
  }

  @Nested
  class Unprocessable {
    @Test
    void createWhenRolesExceedOwnersThen422() {
      NewUser plain = Fixtures.person(http, owner);
      JsonNode own = assertError(http.post("/api/v1/keys", plain.basic(), Map.of("name", name(), "roles", List.of("admin"))), 422, "unprocessable");
      assertThat(own.path("field").asText()).isEqualTo("roles");
      assertThat(own.path("message").asText()).contains("exceed");
      JsonNode forOther = assertError(http.post("/api/v1/keys", owner, Map.of("name", name(), "userId", plain.id(), "roles", List.of("admin"))), 422, "unprocessable");
      assertThat(forOther.path("field").asText()).isEqualTo("roles");
      JsonNode unknown = assertError(http.post("/api/v1/keys", owner, Map.of("name", name(), "roles", List.of("wizard"))), 422, "unprocessable");
      assertThat(unknown.path("message").asText()).contains("wizard");
      assertThat(http.get("/api/v1/keys?userId=" + plain.id(), owner).json().path("keys")).hasSize(1);
    }

    @Test
    void createWhenExpiresAtInThePastThen422() {
      JsonNode past = assertError(http.post("/api/v1/keys", owner, Map.of("name", name(), "expiresAt", "2020-01-01T00:00:00Z")), 422, "unprocessable");
      assertThat(past.path("field").asText()).isEqualTo("expiresAt");
      assertThat(past.path("message").asText()).contains("future");
      JsonNode garbage = assertError(http.post("/api/v1/keys", owner, Map.of("name", name(), "expiresAt", "tomorrow")), 400, "invalid_request");
      assertThat(garbage.path("field").asText()).isEqualTo("expiresAt");
    }

    @Test
    void createWhenBadFieldsThen400NamingTheField() {
      assertThat(assertError(http.post("/api/v1/keys", owner, Map.of("environment", "production")), 400, "invalid_request").path("field").asText()).isEqualTo("name");
      assertThat(assertError(http.post("/api/v1/keys", owner, Map.of("name", name(), "environment", "staging")), 400, "invalid_request").path("field").asText()).isEqualTo("environment");
      assertThat(assertError(http.post("/api/v1/keys", owner, Map.of("name", " ")), 400, "invalid_request").path("field").asText()).isEqualTo("name");
      assertThat(assertError(http.post("/api/v1/keys", owner, Map.of("name", name(), "hash", "x")), 400, "unknown_field").path("field").asText()).isEqualTo("hash");
      assertError(http.post("/api/v1/keys", owner, Map.of("name", name(), "admin", "yes")), 400, "invalid_request");
    }
  }

  @Nested
  class Demotion {
    @Test
    void patchRolesWhenOwnerOfKeyDemotedThenKeyRolesShrinkWithinOneSecond() throws Exception {
      NewUser admin = Fixtures.person(http, owner, "admin");
      NewKey inherits = Fixtures.key(http, admin.basic(), Map.of("name", name()));
      NewKey explicit = Fixtures.key(http, admin.basic(), Map.of("name", name(), "roles", List.of("admin")));
      NewKey adminKey = Fixtures.adminKey(http, admin.basic());
      assertThat(meRolesJson(inherits.bearer())).isEqualTo("[\"admin\"]");
      assertThat(meRolesJson(explicit.bearer())).isEqualTo("[\"admin\"]");
      assertThat(http.get("/api/v1/users", adminKey.bearer()).status()).isEqualTo(200);

      TestHttp.Response demote = http.patch("/api/v1/users/" + admin.id(), owner, Map.of("roles", List.of()));
      assertThat(demote.status()).as(demote.body()).isEqualTo(200);
      long took = Fixtures.eventually(1000, () -> meRolesJson(inherits.bearer()).equals("[]") && meRolesJson(explicit.bearer()).equals("[]"));
      assertThat(took).isLessThanOrEqualTo(1000);
      assertError(http.get("/api/v1/users", adminKey.bearer()), 403, "forbidden");
      assertThat(http.get("/api/v1/keys/" + explicit.id(), owner).json().path("roles").toString())
          .as("the key keeps its own limit; the owner's rights cap it").isEqualTo("[\"admin\"]");
    }
  }
}
