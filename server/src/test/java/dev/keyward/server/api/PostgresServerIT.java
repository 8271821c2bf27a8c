package dev.keyward.server.api;

import static dev.keyward.server.api.Fixtures.assertError;
import static dev.keyward.server.api.Fixtures.withoutRequestId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyward.server.api.Fixtures.NewKey;
import dev.keyward.server.api.Fixtures.NewUser;
import dev.keyward.server.testing.TestHttp;
import dev.keyward.server.testing.TestHttp.Auth;
import dev.keyward.server.testing.TestServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same server on PostgreSQL, in a fresh schema dropped afterwards: a representative flow
 * from bootstrap to audit. Without a reachable PostgreSQL the class is skipped with a visible
 * line, unless {@code CI} is set, where it fails.
 */
class PostgresServerIT {
  static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
  static final String USER = "postgres";
  static final String SCHEMA_PREFIX = "kw_test_";

  static String schema;
  static TestServer server;
  static TestHttp http;
  static Auth owner;
  static String ownerId;

  @BeforeAll
  static void start() {
    String unreachable = unreachable();
    if (unreachable != null) {
      String ci = System.getenv("CI");
      if (ci != null && !ci.isBlank()) {
        fail("PostgreSQL is required when CI is set, but " + URL + " is unreachable: " + unreachable);
      }
      System.err.println("SKIPPED PostgreSQL tests: " + URL + " is unreachable (" + unreachable + "); set CI to make this a failure");
      Assumptions.abort("PostgreSQL unreachable: " + unreachable);
    }
    schema = SCHEMA_PREFIX + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    server = TestServer.start(c -> c.withDatabase(URL, USER, null, schema));
    http = server.http();
    owner = server.owner();
    ownerId = Fixtures.me(http, owner);
  }

  @AfterAll
  static void stop() throws SQLException {
    if (server != null) {
      server.close();
    }
    if (schema != null) {
      try (Connection c = connect(); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      }
    }
  }

  private static String unreachable() {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("SELECT 1");
      return null;
    } catch (SQLException e) {
      return e.getMessage();
    }
  }

  private static Connection connect() throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", USER);
    props.setProperty("connectTimeout", "2");
    return DriverManager.getConnection(URL, props);
  }

  private static String dump(String table) throws SQLException {
    StringBuilder sb = new StringBuilder();
    try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + schema + "." + table)) {
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        for (int i = 1; i <= columns; i++) {
          sb.append(rs.getString(i)).append('|');
        }
        sb.append('\n');
      }
    }
    return sb.toString();
  }

  @Test
  void serverWhenStartedOnPostgresThenReadyAndBootstrapOwnerWorks() throws SQLException {
    TestHttp.Response ready = http.get("/health/ready", Auth.NONE);
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().path("checks").path("store").asText()).isEqualTo("UP");
    TestHttp.Response me = http.get("/api/v1/me", owner);
    assertThat(me.json().path("tenant").path("slug").asText()).isEqualTo("default");
    assertThat(me.json().path("roles").toString()).isEqualTo("[\"owner\"]");
    String defaultKey = server.server().bootstrap().orElseThrow().defaultKey().secret().reveal();
    assertThat(Fixtures.me(http, Auth.bearer(defaultKey))).isEqualTo(ownerId);
    assertThat(dump("users")).as("the server really stores in this PostgreSQL schema").contains(TestServer.ADMIN_EMAIL);
  }

  @Test
  void programmaticUserWhenCreatedThenKeyAndPasswordWorkUntilRevokedResetOrRemoved() throws SQLException {
    NewUser u = Fixtures.programmatic(http, owner);
    for (Auth a : new Auth[] {u.key(), Auth.basic(u.defaultKey(), ""), u.basic()}) {
      assertThat(Fixtures.me(http, a)).isEqualTo(u.id());
    }
    NewKey extra = Fixtures.key(http, owner, Map.of("name", "extra", "userId", u.id(), "environment", "production"));
    assertThat(extra.key()).startsWith("kw_live_");
    assertThat(Fixtures.me(http, extra.bearer())).isEqualTo(u.id());

    TestHttp.Response revoke = http.post("/api/v1/keys/" + u.defaultKeyId() + "/revoke", owner, null);
    assertThat(revoke.status()).as(revoke.body()).isEqualTo(200);
    assertThat(revoke.json().path("revokedAt").isNull()).isFalse();
    assertError(http.get("/api/v1/me", u.key()), 401, "invalid_credentials");
    assertError(http.post("/api/v1/keys/" + u.defaultKeyId() + "/revoke", owner, null), 409, "already_revoked");
    NewKey reused = Fixtures.key(http, owner, Map.of("name", "default-key", "userId", u.id()));
    assertThat(Fixtures.me(http, reused.bearer())).isEqualTo(u.id());

    TestHttp.Response reset = http.post("/api/v1/users/" + u.id() + "/reset-password", owner, null);
    assertThat(reset.status()).isEqualTo(200);
    assertError(http.get("/api/v1/me", u.basic()), 401, "invalid_credentials");
    assertThat(Fixtures.me(http, Auth.basic(u.email(), reset.text("password")))).isEqualTo(u.id());

    String stored = dump("users") + dump("api_keys");
    assertThat(stored).doesNotContain(u.password()).doesNotContain(reset.text("password"))
        .doesNotContain(u.defaultKey()).doesNotContain(extra.key()).doesNotContain(reused.key());

    assertThat(http.delete("/api/v1/users/" + u.id(), owner).status()).isEqualTo(204);
    assertError(http.get("/api/v1/me", extra.bearer()), 401, "invalid_credentials");
    assertError(http.get("/api/v1/me", Auth.basic(u.email(), reset.text("password"))), 401, "invalid_credentials");
  }

  @Test
  void tenantIsolationWhenTenantBUsesTenantAIdsThen404LikeUnknownAndANothingChanged() {
    NewUser userA = Fixtures.programmatic(http, owner);
    TestHttp.Response b = http.post("/api/v1/tenants", owner,
        Map.of("slug", "pg-b-" + UUID.randomUUID().toString().substring(0, 6), "name", "B", "ownerEmail", Fixtures.email("pg-b")));
    assertThat(b.status()).as(b.body()).isEqualTo(201);
    Auth ownerB = Auth.basic(b.json().path("owner").path("email").asText(), b.text("ownerPassword"));

    List<String[]> probes = List.of(
        new String[] {"GET", "/api/v1/users/%s", "usr"},
        new String[] {"DELETE", "/api/v1/users/%s", "usr"},
        new String[] {"POST", "/api/v1/users/%s/reset-password", "usr"},
        new String[] {"GET", "/api/v1/keys?userId=%s", "usr"},
        new String[] {"GET", "/api/v1/keys/%s", "key"},
        new String[] {"POST", "/api/v1/keys/%s/revoke", "key"});
    for (String[] p : probes) {
      String idA = p[2].equals("usr") ? userA.id() : userA.defaultKeyId();
      TestHttp.Response real = http.send(p[0], p[1].formatted(idA), ownerB, null, null);
      TestHttp.Response unknown = http.send(p[0], p[1].formatted(Fixtures.unknownId(p[2])), ownerB, null, null);
      assertError(real, 404, "not_found");
      assertThat(withoutRequestId(real)).as(p[0] + " " + p[1]).isEqualTo(withoutRequestId(unknown));
    }
    TestHttp.Response patch = http.patch("/api/v1/users/" + userA.id(), ownerB, Map.of("name", "pwned"));
    assertError(patch, 404, "not_found");
    assertError(http.post("/api/v1/keys", ownerB, Map.of("name", "planted", "userId", userA.id())), 404, "not_found");

    assertThat(http.get("/api/v1/users/" + userA.id(), owner).text("name")).isEqualTo("Service");
    assertThat(Fixtures.me(http, userA.key())).isEqualTo(userA.id());
    assertThat(Fixtures.me(http, userA.basic())).isEqualTo(userA.id());
    assertThat(http.get("/api/v1/users", ownerB).body()).doesNotContain(userA.id());
    assertThat(http.get("/api/v1/audit?limit=1000", ownerB).body()).doesNotContain(userA.id());
  }

  @Test
  void createWhen20ParallelDuplicatesOnPostgresThenExactlyOne201AndOthers409() throws Exception {
    String email = Fixtures.email("pg-race");
    Map<Integer, List<TestHttp.Response>> users = Fixtures.parallel(20,
        () -> http.post("/api/v1/users", owner, Map.of("email", email, "name", "Racer", "programmatic", true)));
    assertThat(users.keySet()).as("%s", users).containsExactlyInAnyOrder(201, 409);
    assertThat(users.get(201)).hasSize(1);
    users.get(409).forEach(r -> assertError(r, 409, "conflict"));

    String name = "race-" + UUID.randomUUID();
    Map<Integer, List<TestHttp.Response>> keys = Fixtures.parallel(20,
        () -> http.post("/api/v1/keys", owner, Map.of("name", name, "environment", "production")));
    assertThat(keys.keySet()).as("%s", keys).containsExactlyInAnyOrder(201, 409);
    assertThat(keys.get(201)).hasSize(1);
    keys.get(409).forEach(r -> assertError(r, 409, "conflict"));
  }

  @Test
  void refreshWhen20ConcurrentOnPostgresThenOneWinsAndTheFamilyIsKeptOrWhenStrictRevoked() throws Exception {
    // RT-02 on PostgreSQL, where the losers queue on the winner's row lock: the default window keeps the family...
    RefreshLeewayIT.Login login = RefreshLeewayIT.login(server);
    TestHttp.Response winner = RefreshLeewayIT.race(server, login);
    assertThat(RefreshLeewayIT.refresh(http, winner.text("refresh_token")).status()).isEqualTo(200);
    // ...and strict (race window 0), on a server of its own in another schema, revokes it.
    String strictSchema = SCHEMA_PREFIX + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    try (TestServer strict = TestServer.start(c -> c.withDatabase(URL, USER, null, strictSchema)
        .withTokens(c.tokens().withRaceWindow(java.time.Duration.ZERO)))) {
      RefreshLeewayIT.assertStrictRace(strict);
    } finally {
      try (Connection c = connect(); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + strictSchema + " CASCADE");
      }
    }
  }

  @Test
  void auditWhenCredentialEventsHappenThenListedWithActorSubjectAndIp() throws Exception {
    NewUser u = Fixtures.programmatic(http, owner);
    assertThat(http.get("/api/v1/me", u.key()).status()).isEqualTo(200);
    NewKey k = Fixtures.key(http, owner, Map.of("name", "audited", "userId", u.id()));
    assertThat(http.post("/api/v1/keys/" + k.id() + "/revoke", owner, null).status()).isEqualTo(200);
    assertThat(http.get("/api/v1/me", Auth.basic(u.email(), "not the password")).status()).isEqualTo(401);
    Fixtures.eventually(5000, () -> http.get("/api/v1/audit?event=key.first_used&subject=" + u.defaultKeyId(), owner)
        .json().path("events").size() == 1);

    Object[][] expected = {
        {"user.created", u.id(), ownerId},
        {"key.revoked", k.id(), ownerId},
        {"key.first_used", u.defaultKeyId(), u.id()},
        {"auth.failed", u.id(), null},
    };
    for (Object[] x : expected) {
      TestHttp.Response r = http.get("/api/v1/audit?event=" + x[0] + "&subject=" + x[1], owner);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.json().path("events")).as("%s of %s", x[0], x[1]).hasSize(1);
      JsonNode e = r.json().path("events").get(0);
      assertThat(e.path("ip").asText()).isEqualTo("127.0.0.1");
      assertThat(e.path("actorId").isNull() ? null : e.path("actorId").asText()).as("actor of %s", x[0]).isEqualTo(x[2]);
      assertThat(e.path("at").asText()).endsWith("Z");
    }
    assertError(http.get("/api/v1/audit?limit=0", owner), 400, "invalid_request");
    assertError(http.get("/api/v1/audit", u.basic()), 403, "forbidden");
  }
}
