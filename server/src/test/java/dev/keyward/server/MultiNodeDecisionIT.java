package dev.keyward.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyward.server.MultiNodeIT.Seen;
import dev.keyward.server.MultiNodeIT.Trial;
import dev.keyward.server.testing.TestHttp;
import dev.keyward.server.testing.TestHttp.Auth;
import dev.keyward.server.testing.TestServer;
import dev.keyward.store.TestDatabases;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one store, deciding through {@code POST /api/v1/verify} on node B while node A
 * changes what the decision depends on: the route table ({@code PUT /api/v1/routes}), a role's
 * permissions ({@code PATCH /api/v1/roles/{name}}) and a user's roles (ASVS-11). B must decide
 * the new way within one second of A's answer, measured and asserted as {@link MultiNodeIT} does
 * (ten trials side by side, A changing at every phase of B's caches, both nodes on the product's
 * default timings).
 */
class MultiNodeDecisionIT {
  /** One route per route-table trial, all needing {@code trial:use}; and one needing {@code trial:perm}. */
  static Map<String, Object> routes(Set<Integer> removed) {
    List<Map<String, Object>> routes = new ArrayList<>();
    routes.add(Map.of("method", "GET", "path", "/v1/perm", "permission", "trial:perm"));
    for (int i = 0; i < MultiNodeIT.TRIALS; i++) {
      if (!removed.contains(i)) {
        routes.add(Map.of("method", "GET", "path", "/v1/trial/" + i, "permission", "trial:use"));
      }
    }
    return Map.of("routes", routes, "roles", List.of(Map.of("name", "trial-user", "permissions", List.of("trial:use"))));
  }

  /** Two nodes, the trial routes replaced on A, and a credential allowed to verify. */
  record Nodes(TestServer a, TestServer b, Auth verifier) {
    static Nodes start(TestServer a, TestServer b) {
      TestHttp.Response put = a.http().send("PUT", "/api/v1/routes", a.owner(), TestHttp.write(routes(Set.of())), "application/json");
      assertThat(put.status()).as(put.body()).isEqualTo(200);
      TestHttp.Response role = a.http().post("/api/v1/roles", a.owner(), Map.of("name", "verifier", "permissions", List.of("keyward:verify")));
      assertThat(role.status()).as(role.body()).isEqualTo(201);
      Auth verifier = Auth.bearer(MultiNodeIT.createUser(a, "verifier", List.of("verifier")).path("defaultKey").asText());
      Nodes nodes = new Nodes(a, b, verifier);
      String key = MultiNodeIT.createUser(a, "route-user", List.of("trial-user")).path("defaultKey").asText();
      nodes.awaitValid(key, "/v1/trial/0");
      return nodes;
    }

    /**
     * Waits until B allows the key: B learns of roles created on A (and of a replaced table) only
     * when its cache of them expires, so a trial starts from B's settled answer.
     */
    void awaitValid(String credential, String path) {
      long since = System.nanoTime();
      while (!code(b, credential, path).equals("VALID")) {
        assertThat((System.nanoTime() - since) / 1_000_000).as("ms until B allows %s", path).isLessThan(3000);
        try {
          Thread.sleep(MultiNodeIT.POLL_MS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
      }
    }

    String code(TestServer node, String credential, String path) {
      TestHttp.Response r = node.http().post("/api/v1/verify", verifier,
          Map.of("credential", credential, "method", "GET", "path", path));
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      return r.json().path("code").asText();
    }

    /** B's answer: {@code before} the old way, {@code after} the new way, anything else a failure. */
    Seen seen(String credential, String path, String before, String after) {
      String code = code(b, credential, path);
      assertThat(code).as("B's decision on %s", path).isIn(before, after);
      return code.equals(after) ? Seen.NEW : Seen.OLD;
    }

    void close() {
      try {
        b.close();
      } finally {
        a.close();
      }
    }
  }

  /** A replaces the route table without trial {@code i}'s route; B stops finding it. Replacements only ever remove. */
  static void routeTableTrials(String label, Nodes n) throws Exception {
    String key = MultiNodeIT.createUser(n.a(), "route-user", List.of("trial-user")).path("defaultKey").asText();
    Set<Integer> removed = new TreeSet<>();
    MultiNodeIT.runTrials(label, i -> new Trial(
        () -> n.seen(key, "/v1/trial/" + i, "VALID", "ROUTE_NOT_FOUND"),
        () -> {
          // One replacement at a time, each holding every removal so far, so none undoes another.
          synchronized (removed) {
            removed.add(i);
            TestHttp.Response r = n.a().http().send("PUT", "/api/v1/routes", n.a().owner(), TestHttp.write(routes(removed)),
                "application/json");
            assertThat(r.status()).as(r.body()).isEqualTo(200);
          }
        }));
  }

  /** A takes {@code trial:perm} out of trial {@code i}'s own role; B refuses that role's key. */
  static void rolePermissionTrials(String label, Nodes n) throws Exception {
    MultiNodeIT.runTrials(label, i -> {
      String role = "perm-" + UUID.randomUUID().toString().substring(0, 8);
      TestHttp.Response created = n.a().http().post("/api/v1/roles", n.a().owner(), Map.of("name", role, "permissions", List.of("trial:perm")));
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      String key = MultiNodeIT.createUser(n.a(), "perm-user", List.of(role)).path("defaultKey").asText();
      n.awaitValid(key, "/v1/perm");
      return new Trial(
          () -> n.seen(key, "/v1/perm", "VALID", "FORBIDDEN"),
          () -> {
            TestHttp.Response r = n.a().http().patch("/api/v1/roles/" + role, n.a().owner(), Map.of("permissions", List.of("trial:other")));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
          });
    });
  }

  /** ASVS-11: A takes the role away from a key's owner; B refuses the key. */
  static void demotionTrials(String label, Nodes n) throws Exception {
    TestHttp.Response role = n.a().http().post("/api/v1/roles", n.a().owner(), Map.of("name", "demotable", "permissions", List.of("trial:perm")));
    assertThat(role.status()).as(role.body()).isEqualTo(201);
    MultiNodeIT.runTrials(label, i -> {
      JsonNode u = MultiNodeIT.createUser(n.a(), "demoted", List.of("demotable"));
      String key = u.path("defaultKey").asText();
      n.awaitValid(key, "/v1/perm");
      return new Trial(
          () -> n.seen(key, "/v1/perm", "VALID", "FORBIDDEN"),
          () -> {
            TestHttp.Response r = n.a().http().patch("/api/v1/users/" + u.path("id").asText(), n.a().owner(), Map.of("roles", List.of()));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
          });
    });
  }

  @Nested
  class OnPostgres {
    static @Nullable String schema;
    static @Nullable Nodes nodes;

    @BeforeAll
    static void startTwoNodes() {
      TestDatabases.requirePostgres();
      String s = TestDatabases.SCHEMA_PREFIX + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
      schema = s;
      String user = System.getenv("KEYWARD_TEST_PG_USER");
      String pgUser = user == null || user.isBlank() ? "postgres" : user;
      TestServer a = TestServer.start(c -> MultiNodeIT.node(c).withDatabase(TestDatabases.PG_URL, pgUser, null, s));
      TestServer b = TestServer.start(c -> MultiNodeIT.node(c).withDatabase(TestDatabases.PG_URL, pgUser, null, s));
      nodes = Nodes.start(a, b);
    }

    @AfterAll
    static void stop() {
      try {
        if (nodes != null) {
          nodes.close();
        }
      } finally {
        if (schema != null) {
          TestDatabases.dropSchema(schema);
        }
      }
    }

    static Nodes nodes() {
      assertThat(nodes).isNotNull();
      return nodes;
    }

    @Test
    void replaceRoutesWhenReplacedOnOneNodeThenTheOtherDecidesWithTheNewTableWithinOneSecond() throws Exception {
      routeTableTrials("route table replaced (PostgreSQL)", nodes());
    }

    @Test
    void updateRoleWhenPermissionRemovedOnOneNodeThenTheOtherRefusesWithinOneSecond() throws Exception {
      rolePermissionTrials("role permission removed (PostgreSQL)", nodes());
    }

    @Test
    void updateUserWhenOwnerDemotedOnOneNodeThenTheOtherRefusesTheKeyWithinOneSecond() throws Exception {
      demotionTrials("ASVS-11 owner demoted, verify (PostgreSQL)", nodes());
    }
  }

  @Nested
  class OnSqlite {
    @Test
    void changesWhenMadeOnOneNodeThenTheOtherDecidesTheNewWayWithinOneSecond() throws Exception {
      TestServer a = TestServer.start(MultiNodeIT::node);
      Nodes n = Nodes.start(a, TestServer.startIn(a.dataDir(), MultiNodeIT::node));
      try {
        routeTableTrials("route table replaced (SQLite)", n);
        rolePermissionTrials("role permission removed (SQLite)", n);
        demotionTrials("ASVS-11 owner demoted, verify (SQLite)", n);
      } finally {
        n.close();
      }
    }
  }
}
