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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/v1/tenants}, choosing a tenant (header, host name), and tenant isolation on every
 * endpoint (ASVS-09): another tenant's ids answer exactly like unknown ones and stay unchanged.
 */
class TenantsIT {
  static TestServer server;
  static TestHttp http;
  static Auth root;
  static String rootId;

  /** Tenant B, made by the deployment owner with a new owner account. */
  static String slugB;
  static String tenantB;
  static Auth ownerB;
  static String ownerBId;
  static String ownerBDefaultKey;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    http = server.http();
    root = server.owner();
    rootId = Fixtures.me(http, root);
    slugB = slug("bee");
    TestHttp.Response b = http.post("/api/v1/tenants", root, Map.of("slug", slugB, "name", "Tenant B", "ownerEmail", Fixtures.email("owner-b")));
    assertThat(b.status()).as(b.body()).isEqualTo(201);
    tenantB = b.text("id");
    ownerB = Auth.basic(b.json().path("owner").path("email").asText(), b.text("ownerPassword"));
    ownerBId = b.json().path("owner").path("id").asText();
    ownerBDefaultKey = b.text("ownerDefaultKey");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String slug(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static TestHttp.Response createTenant(Auth auth, String slug, String ownerEmail) {
    return http.post("/api/v1/tenants", auth, Map.of("slug", slug, "name", "Tenant " + slug, "ownerEmail", ownerEmail));
  }

  @Nested
  class Created {
    @Test
    void createWhenNewOwnerEmailThen201WithPasswordAndDefaultKeyThatWorkInTheNewTenant() {
      String slug = slug("acme");
      String email = Fixtures.email("acme-boss");
      TestHttp.Response r = createTenant(root, slug, email);
      assertThat(r.status()).as(r.body()).isEqualTo(201);
      assertThat(r.header("content-type")).isEqualTo(JSON_TYPE);
      assertThat(r.header("cache-control")).isEqualTo("no-store");
      assertThat(fields(r.json())).isEqualTo(set("id", "slug", "name", "createdAt", "owner", "ownerPassword", "ownerDefaultKey"));
      assertThat(r.text("id")).matches("tnt_[0-9A-Za-z]{22}");
      assertThat(r.text("slug")).isEqualTo(slug);
      assertThat(r.text("name")).isEqualTo("Tenant " + slug);
      JsonNode owner = r.json().path("owner");
      assertThat(fields(owner)).isEqualTo(set("id", "email", "name", "programmatic", "roles", "createdAt", "locked", "lockedUntil"));
      assertThat(owner.path("email").asText()).isEqualTo(email);
      assertThat(owner.path("roles").toString()).isEqualTo("[\"owner\"]");
      for (Auth a : new Auth[] {Auth.basic(email, r.text("ownerPassword")), Auth.bearer(r.text("ownerDefaultKey"))}) {
        TestHttp.Response me = http.get("/api/v1/me", a);
        assertThat(me.status()).as(me.body()).isEqualTo(200);
        assertThat(me.text("userId")).isEqualTo(owner.path("id").asText());
        assertThat(me.json().path("tenant").path("slug").asText()).isEqualTo(slug);
        assertThat(me.json().path("tenant").path("id").asText()).isEqualTo(r.text("id"));
        assertThat(me.json().path("roles").toString()).isEqualTo("[\"owner\"]");
      }
      TestHttp.Response keys = http.get("/api/v1/keys", Auth.basic(email, r.text("ownerPassword")));
      assertThat(keys.json().path("keys").findValuesAsText("name")).containsExactly("default-key");
    }

    @Test
    void createWhenExistingAccountEmailThenOwnerMembershipWithoutSecrets() {
      NewUser m = Fixtures.person(http, root);
      String slug = slug("multi");
      TestHttp.Response r = createTenant(root, slug, m.email().toUpperCase(java.util.Locale.ROOT));
      assertThat(r.status()).as(r.body()).isEqualTo(201);
      assertThat(fields(r.json())).isEqualTo(set("id", "slug", "name", "createdAt", "owner"));
      assertThat(r.json().path("owner").path("id").asText()).isEqualTo(m.id());
      assertThat(r.json().path("owner").path("roles").toString()).isEqualTo("[\"owner\"]");
      TestHttp.Response inNew = http.get("/api/v1/me", m.basic(), "X-Keyward-Tenant", slug);
      assertThat(inNew.status()).as(inNew.body()).isEqualTo(200);
      assertThat(inNew.json().path("roles").toString()).isEqualTo("[\"owner\"]");
    }

    @Test
    void createWhenDeploymentOwnerUsesAdminKeyThen201() {
      NewKey adminKey = Fixtures.adminKey(http, root);
      TestHttp.Response r = createTenant(adminKey.bearer(), slug("by-key"), Fixtures.email("by-key"));
      assertThat(r.status()).as(r.body()).isEqualTo(201);
    }
  }

  @Nested
  class Ok {
    @Test
    void listWhenDeploymentOwnerThenEveryTenant() {
      TestHttp.Response r = http.get("/api/v1/tenants", root);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("content-type")).isEqualTo(JSON_TYPE);
      assertThat(texts(r.json().path("tenants"), "slug")).contains("default", slugB);
      for (JsonNode t : Fixtures.items(r.json().path("tenants"))) {
        assertThat(fields(t)).isEqualTo(set("id", "slug", "name", "createdAt"));
      }
      assertThat(r.body()).doesNotContain("ownerPassword").doesNotContain("kw_");
    }
  }

  @Nested
  class BadRequest {
    @Test
    void createWhenSlugMalformedThen400NamingSlug() {
      for (String bad : new String[] {"Bad_Slug", "-abc", "abc-", "", "UPPER", "a".repeat(64), "dots.here", "spa ce"}) {
        TestHttp.Response r = createTenant(root, bad, Fixtures.email("x"));
        assertError(r, 400, "invalid_request");
        assertThat(r.json().path("field").asText()).as(bad).isEqualTo("slug");
      }
      assertThat(texts(http.get("/api/v1/tenants", root).json().path("tenants"), "slug")).doesNotContain("Bad_Slug", "UPPER");
    }

    @Test
    void createWhenFieldsMissingOrOwnerEmailInvalidThen400() {
      assertThat(assertError(http.post("/api/v1/tenants", root, Map.of("name", "x", "ownerEmail", Fixtures.email("x"))), 400, "invalid_request")
          .path("field").asText()).isEqualTo("slug");
      assertThat(assertError(createTenant(root, slug("e"), "no-at-sign"), 400, "invalid_request").path("field").asText()).isEqualTo("ownerEmail");
      assertError(http.post("/api/v1/tenants", root, Map.of("slug", slug("u"), "name", "x", "ownerEmail", Fixtures.email("x"), "plan", "gold")), 400, "unknown_field");
    }

    @Test
    void meWhenAccountInTwoTenantsWithoutTenantHeaderThen400TenantRequired() {
      NewUser m = Fixtures.person(http, root);
      String slug = slug("two");
      assertThat(createTenant(root, slug, m.email()).status()).isEqualTo(201);
      TestHttp.Response r = http.get("/api/v1/me", m.basic());
      assertError(r, 400, "tenant_required");
      assertThat(r.text("message")).contains("X-Keyward-Tenant");
      TestHttp.Response inDefault = http.get("/api/v1/me", m.basic(), "X-Keyward-Tenant", "default");
      assertThat(inDefault.status()).isEqualTo(200);
      assertThat(inDefault.json().path("tenant").path("slug").asText()).isEqualTo("default");
      assertThat(inDefault.json().path("roles").toString()).isEqualTo("[]");
      TestHttp.Response inNew = http.get("/api/v1/me", m.basic(), "X-Keyward-Tenant", slug);
      assertThat(inNew.json().path("tenant").path("slug").asText()).isEqualTo(slug);
      assertThat(inNew.json().path("roles").toString()).isEqualTo("[\"owner\"]");
      TestHttp.Response users = http.get("/api/v1/users", m.basic(), "X-Keyward-Tenant", slug);
      assertThat(users.status()).as("acts in that tenant as its owner").isEqualTo(200);
      assertThat(texts(users.json().path("users"), "id")).containsExactly(m.id());
      assertThat(http.get("/api/v1/me", m.key()).json().path("tenant").path("slug").asText())
          .as("a key belongs to one tenant and needs no header").isEqualTo("default");
      assertError(rawGet(http, "/api/v1/me", "api." + slug + ".example.com", "Authorization: " + m.basic().header()), 400, "tenant_required");
    }
  }

  @Nested
  class Forbidden {
    @Test
    void tenantsWhenCallerIsNotDeploymentOwnerThen403() {
      NewUser admin = Fixtures.person(http, root, "admin");
      NewUser plain = Fixtures.person(http, root);
      NewKey rootPlainKey = Fixtures.key(http, root, Map.of("name", "plain-" + UUID.randomUUID()));
      NewUser m = Fixtures.person(http, root);
      String ownSlug = slug("own");
      assertThat(createTenant(root, ownSlug, m.email()).status()).isEqualTo(201);
      Map<String, Auth> who = new LinkedHashMap<>();
      who.put("admin of default", admin.basic());
      who.put("plain user", plain.basic());
      who.put("owner's non-admin key", rootPlainKey.bearer());
      who.put("owner of tenant B", ownerB);
      who.put("owner of tenant B by key", Auth.bearer(ownerBDefaultKey));
      for (Map.Entry<String, Auth> e : who.entrySet()) {
        TestHttp.Response create = createTenant(e.getValue(), slug("nope"), Fixtures.email("nope"));
        assertError(create, 403, "forbidden");
        assertThat(create.text("message")).as(e.getKey()).contains("default tenant");
        assertError(http.get("/api/v1/tenants", e.getValue()), 403, "forbidden");
      }
      assertError(http.get("/api/v1/tenants", m.basic(), "X-Keyward-Tenant", ownSlug), 403, "forbidden");
      assertError(createTenant(m.basic(), slug("nope"), Fixtures.email("nope")), 400, "tenant_required");
    }

    @Test
    void tenantHeaderWhenNotAMemberOrUnknownThen403AlikeAndKeysBoundToTheirTenant() {
      NewUser m = Fixtures.person(http, root);
      TestHttp.Response notMember = http.get("/api/v1/me", m.basic(), "X-Keyward-Tenant", slugB);
      assertError(notMember, 403, "forbidden");
      TestHttp.Response unknown = http.get("/api/v1/me", m.basic(), "X-Keyward-Tenant", "no-such-tenant");
      assertThat(withoutRequestId(unknown)).as("no oracle for tenant existence").isEqualTo(withoutRequestId(notMember));
      assertError(http.get("/api/v1/me", m.key(), "X-Keyward-Tenant", slugB), 403, "forbidden");
      assertError(http.get("/api/v1/users", Auth.bearer(ownerBDefaultKey), "X-Keyward-Tenant", "default"), 403, "forbidden");
      assertThat(http.get("/api/v1/me", m.key(), "X-Keyward-Tenant", "default").status()).isEqualTo(200);
    }
  }

  @Nested
  class Conflict {
    @Test
    void createWhenSlugTakenThen409() {
      String slug = slug("dup");
      assertThat(createTenant(root, slug, Fixtures.email("dup")).status()).isEqualTo(201);
      assertError(createTenant(root, slug, Fixtures.email("dup2")), 409, "conflict");
      assertError(createTenant(root, "default", Fixtures.email("dup3")), 409, "conflict");
      assertThat(texts(http.get("/api/v1/tenants", root).json().path("tenants"), "slug").stream().filter(slug::equals)).hasSize(1);
    }
  }

  /** ASVS-09: every endpoint of the API, with tenant B's credentials on tenant A's ids. */
  @Nested
  class Isolation {
    @Test
    void everyEndpointWhenTenantBUsesTenantAIdsThen404LikeUnknownIdsAndANothingChanged() {
      NewUser userA = Fixtures.programmatic(http, root);
      NewKey keyA = Fixtures.key(http, root, Map.of("name", "a-key", "userId", userA.id(), "environment", "production"));
      NewKey rootKeyA = Fixtures.key(http, root, Map.of("name", "root-a-key"));
      assertThat(http.get("/api/v1/me", userA.basic()).status()).isEqualTo(200);
      String userABefore = http.get("/api/v1/users/" + userA.id(), root).body();
      String keysOfABefore = http.get("/api/v1/keys?userId=" + userA.id(), root).body();
      String rootBefore = http.get("/api/v1/users/" + rootId, root).body();

      NewKey adminKeyB = Fixtures.adminKey(http, ownerB);
      NewUser plainB = Fixtures.person(http, ownerB);
      Map<String, Auth> callersB = new LinkedHashMap<>();
      callersB.put("owner B (password)", ownerB);
      callersB.put("owner B (admin key)", adminKeyB.bearer());
      callersB.put("owner B (default key)", Auth.bearer(ownerBDefaultKey));
      callersB.put("plain user of B (password)", plainB.basic());

      Map<String, BiFunction<Auth, String, TestHttp.Response>> userProbes = new LinkedHashMap<>();
      userProbes.put("GET user", (a, id) -> http.get("/api/v1/users/" + id, a));
      userProbes.put("PATCH user name", (a, id) -> http.patch("/api/v1/users/" + id, a, Map.of("name", "pwned")));
      userProbes.put("PATCH user roles", (a, id) -> http.patch("/api/v1/users/" + id, a, Map.of("roles", List.of())));
      userProbes.put("DELETE user", (a, id) -> http.delete("/api/v1/users/" + id, a));
      userProbes.put("reset-password", (a, id) -> http.post("/api/v1/users/" + id + "/reset-password", a, null));
      userProbes.put("GET keys?userId", (a, id) -> http.get("/api/v1/keys?userId=" + id, a));
      userProbes.put("POST key for user", (a, id) -> http.post("/api/v1/keys", a, Map.of("name", "planted", "userId", id)));
      userProbes.put("POST admin key for user", (a, id) -> http.post("/api/v1/keys", a, Map.of("name", "planted-admin", "userId", id, "admin", true)));
      userProbes.put("GET audit?subject", (a, id) -> http.get("/api/v1/audit?subject=" + id, a));
      userProbes.put("GET audit?actor", (a, id) -> http.get("/api/v1/audit?actor=" + id, a));
      Map<String, BiFunction<Auth, String, TestHttp.Response>> keyProbes = new LinkedHashMap<>();
      keyProbes.put("GET key", (a, id) -> http.get("/api/v1/keys/" + id, a));
      keyProbes.put("revoke key", (a, id) -> http.post("/api/v1/keys/" + id + "/revoke", a, null));
      keyProbes.put("GET audit?subject (key)", (a, id) -> http.get("/api/v1/audit?subject=" + id, a));

      List<String> compared = new ArrayList<>();
      Set<Integer> statuses = new HashSet<>();
      for (Map.Entry<String, Auth> caller : callersB.entrySet()) {
        for (var probe : userProbes.entrySet()) {
          for (String idA : List.of(userA.id(), rootId)) {
            if (probe.getKey().equals("GET audit?actor") && idA.equals(rootId)) {
              // B's own log names the deployment owner who made tenant B; that is B's record.
              continue;
            }
            compared.add(compare(caller.getKey() + " " + probe.getKey(), probe.getValue(), caller.getValue(), idA, Fixtures.unknownId("usr"), statuses));
          }
        }
        for (var probe : keyProbes.entrySet()) {
          for (String idA : List.of(keyA.id(), userA.defaultKeyId(), rootKeyA.id())) {
            compared.add(compare(caller.getKey() + " " + probe.getKey(), probe.getValue(), caller.getValue(), idA, Fixtures.unknownId("key"), statuses));
          }
        }
      }
      assertThat(compared).hasSize(4 * (10 * 2 - 1 + 3 * 3));
      assertThat(statuses).as("the probes reached the lookups").contains(404);

      // Lists of tenant B show nothing of tenant A.
      String usersB = http.get("/api/v1/users", ownerB).body();
      String keysB = http.get("/api/v1/keys", ownerB).body();
      String auditB = http.get("/api/v1/audit?limit=1000", ownerB).body();
      for (String idA : List.of(userA.id(), rootId, keyA.id(), userA.defaultKeyId(), rootKeyA.id())) {
        assertThat(usersB + keysB).doesNotContain(idA);
        assertThat(auditB.replace("\"actorId\":\"" + rootId + "\"", "")).as("B's audit").doesNotContain(idA);
      }
      assertThat(texts(http.get("/api/v1/users", ownerB).json().path("users"), "id")).containsExactlyInAnyOrder(ownerBId, plainB.id());

      // Tenant A is unchanged.
      assertThat(http.get("/api/v1/users/" + userA.id(), root).body()).isEqualTo(userABefore);
      assertThat(http.get("/api/v1/users/" + rootId, root).body()).isEqualTo(rootBefore);
      assertThat(http.get("/api/v1/keys?userId=" + userA.id(), root).body()).isEqualTo(keysOfABefore);
      assertThat(http.get("/api/v1/me", userA.basic()).status()).as("A's password unchanged").isEqualTo(200);
      assertThat(http.get("/api/v1/me", keyA.bearer()).status()).as("A's key not revoked").isEqualTo(200);
      assertThat(http.get("/api/v1/me", rootKeyA.bearer()).status()).isEqualTo(200);
      assertThat(http.get("/api/v1/me", userA.key()).status()).isEqualTo(200);
      assertThat(http.get("/api/v1/me", root).status()).isEqualTo(200);
      TestHttp.Response auditA = http.get("/api/v1/audit?limit=1000", root);
      assertThat(auditA.json().path("events").findValuesAsText("actorId")).doesNotContain(ownerBId, plainB.id());
      assertThat(auditA.json().path("events").findValuesAsText("subjectId")).doesNotContain(plainB.id(), adminKeyB.id());
    }

    private String compare(String what, BiFunction<Auth, String, TestHttp.Response> probe, Auth auth, String idA, String unknown, Set<Integer> statuses) {
      TestHttp.Response unknownAnswer = probe.apply(auth, unknown);
      TestHttp.Response answer = probe.apply(auth, idA);
      assertThat(answer.status()).as("%s on %s: %s", what, idA, answer).isEqualTo(unknownAnswer.status()).isIn(200, 403, 404);
      if (answer.status() == 200) {
        assertThat(answer.json()).as("%s on %s", what, idA).isEqualTo(unknownAnswer.json());
        assertThat(answer.json().path("events").isEmpty()).as(what).isTrue();
      } else {
        assertThat(withoutRequestId(answer)).as("%s on %s", what, idA).isEqualTo(withoutRequestId(unknownAnswer));
      }
      statuses.add(answer.status());
      return what + " " + idA;
    }
  }

  /** Host names mapped to tenants by configuration: {@code api.<slug>.example.com}. */
  @Nested
  class HostMapping {
    @Test
    void hostWhenMappedToTenantThenRequestActsInThatTenant() {
      try (TestServer mapped = TestServer.start(c -> c.withTenantHostPattern("api.{tenant}.example.com"))) {
        TestHttp h = mapped.http();
        TestHttp.Response t = h.post("/api/v1/tenants", mapped.owner(), Map.of("slug", "acme", "name", "Acme", "ownerEmail", TestServer.ADMIN_EMAIL));
        assertThat(t.status()).as(t.body()).isEqualTo(201);
        String basic = mapped.owner().header();

        TestHttp.Response acme = rawGet(h, "/api/v1/me", "api.acme.example.com", "Authorization: " + basic);
        assertThat(acme.status()).as(acme.body()).isEqualTo(200);
        assertThat(acme.header("content-type")).isEqualTo(JSON_TYPE);
        assertThat(acme.json().path("tenant").path("slug").asText()).isEqualTo("acme");
        assertThat(acme.json().path("tenant").path("id").asText()).isEqualTo(t.text("id"));

        TestHttp.Response withPort = rawGet(h, "/api/v1/me", "API.Acme.example.com:" + mapped.port(), "Authorization: " + basic);
        assertThat(withPort.json().path("tenant").path("slug").asText()).isEqualTo("acme");

        TestHttp.Response dflt = rawGet(h, "/api/v1/me", "api.default.example.com", "Authorization: " + basic);
        assertThat(dflt.json().path("tenant").path("slug").asText()).isEqualTo("default");

        TestHttp.Response headerWins = rawGet(h, "/api/v1/me", "api.acme.example.com", "Authorization: " + basic, "X-Keyward-Tenant: default");
        assertThat(headerWins.json().path("tenant").path("slug").asText()).isEqualTo("default");

        assertError(rawGet(h, "/api/v1/me", "127.0.0.1", "Authorization: " + basic), 400, "tenant_required");
        assertError(rawGet(h, "/api/v1/me", "api.nosuch.example.com", "Authorization: " + basic), 403, "forbidden");
        assertError(rawGet(h, "/api/v1/me", "other.acme.example.com", "Authorization: " + basic), 400, "tenant_required");

        String defaultKey = mapped.server().bootstrap().orElseThrow().defaultKey().secret().reveal();
        assertError(rawGet(h, "/api/v1/me", "api.acme.example.com", "Authorization: Bearer " + defaultKey), 403, "forbidden");
        TestHttp.Response keyInOwnTenant = rawGet(h, "/api/v1/me", "api.default.example.com", "Authorization: Bearer " + defaultKey);
        assertThat(keyInOwnTenant.status()).as(keyInOwnTenant.body()).isEqualTo(200);

        TestHttp.Response users = rawGet(h, "/api/v1/users", "api.acme.example.com", "Authorization: " + basic);
        assertThat(users.status()).as(users.body()).isEqualTo(200);
        assertThat(users.json().path("users")).hasSize(1);
      }
    }

  }

  /** A GET with a chosen Host header, which HttpClient refuses to set. */
  static TestHttp.Response rawGet(TestHttp h, String path, String host, String... headerLines) {
    StringBuilder sb = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n");
    for (String l : headerLines) {
      sb.append(l).append("\r\n");
    }
    sb.append("\r\n");
    return h.raw(sb.toString().getBytes(StandardCharsets.UTF_8));
  }
}
