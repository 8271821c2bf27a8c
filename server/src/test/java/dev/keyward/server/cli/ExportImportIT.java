package dev.keyward.server.cli;

import static dev.keyward.server.cli.RolesCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyward.server.cli.RolesCommandTest.Run;
import dev.keyward.server.testing.TestHttp;
import dev.keyward.server.testing.TestHttp.Auth;
import dev.keyward.server.testing.TestServer;
import dev.keyward.store.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keyward export} and {@code import} moving a used store SQLite → PostgreSQL → SQLite with
 * the launcher's commands: every table arrives whole (counts and every row compared), and a
 * server started on each imported store accepts the key, the programmatic user's password and
 * the owner's password created before the export.
 */
class ExportImportIT {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  @Test
  void exportImportWhenSqliteToPostgresAndBackThenNothingLostAndCredentialsWork() throws Exception {
    TestDatabases.requirePostgres();
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    Path c = tmp.resolve("c");
    String schema = TestDatabases.SCHEMA_PREFIX + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
    try (Connection pg = TestDatabases.pgConnection(); Statement s = pg.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    }
    String pgUrl = TestDatabases.PG_URL + "?currentSchema=" + schema;
    try {
      // A used store: a programmatic user, a key with options, a custom role, a failed login, audit events.
      String key;
      String botPassword;
      try (TestServer server = TestServer.startIn(a, UnaryOperator.identity())) {
        JsonNode bot = json(run("users", "create", "bot@acme.example", "--name", "Bot", "--programmatic", "--json", "--data-dir", a.toString()));
        botPassword = bot.get("password").asText();
        assertThat(run("roles", "create", "reader", "-p", "reports:read", "--data-dir", a.toString()).exit()).isZero();
        key = json(run("keys", "create", "moved", "--user", "bot@acme.example", "--resource", "algo://acme/*", "--rate-limit", "100/60s",
            "--quota", "50", "--json", "--data-dir", a.toString())).get("key").asText();
        TestHttp http = server.http();
        assertThat(http.get("/api/v1/me", Auth.bearer(key)).status()).isEqualTo(200);
        assertThat(http.get("/api/v1/me", Auth.basic("bot@acme.example", "wrong")).status()).isEqualTo(401);
        assertThat(http.post("/auth/api-key", Auth.NONE, Map.of("apiKey", key)).status()).isEqualTo(200);
      }
      Path first = tmp.resolve("first.json");
      Run exported = run("export", "-o", first.toString(), "--data-dir", a.toString());
      assertThat(exported.exit()).as(exported.err()).isZero();
      assertThat(exported.out()).contains("Exported", "tenants 1", "users 2");
      assertThat(Files.getPosixFilePermissions(first).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE]");
      assertThat(Files.readString(first)).doesNotContain(key, botPassword, TestServer.ADMIN_PASSWORD);

      // Into PostgreSQL: refused without the source's master key, then imported with it.
      Files.createDirectories(b);
      Run noKey = run("import", first.toString(), "--db-url", pgUrl, "--db-user", "postgres", "--data-dir", b.toString());
      assertThat(noKey.exit()).isEqualTo(1);
      assertThat(noKey.err()).contains("no master key", "copy its master.key");
      Files.copy(a.resolve("master.key"), b.resolve("master.key"));
      Run imported = run("import", first.toString(), "--db-url", pgUrl, "--db-user", "postgres", "--data-dir", b.toString());
      assertThat(imported.exit()).as(imported.err()).isZero();
      assertThat(imported.out()).contains("Imported").contains(exported.out().replaceAll("(?s).*\\((.*)\\).*", "$1").strip());
      Run again = run("import", first.toString(), "--db-url", pgUrl, "--db-user", "postgres", "--data-dir", b.toString());
      assertThat(again.exit()).isEqualTo(1);
      assertThat(again.err()).contains("not empty");

      Path second = tmp.resolve("second.json");
      Run fromPg = run("export", "-o", second.toString(), "--db-url", pgUrl, "--db-user", "postgres", "--data-dir", b.toString());
      assertThat(fromPg.exit()).as(fromPg.err()).isZero();
      assertThat(tables(second)).isEqualTo(tables(first));
      assertWorks(TestServer.startIn(b, cfg -> cfg.withDatabase(TestDatabases.PG_URL, "postgres", null, schema)), key, botPassword);

      // And back into SQLite.
      Files.createDirectories(c);
      Files.copy(a.resolve("master.key"), c.resolve("master.key"));
      Path third = tmp.resolve("third.json");
      Run back = run("import", second.toString(), "--data-dir", c.toString());
      assertThat(back.exit()).as(back.err()).isZero();
      assertThat(run("export", "-o", third.toString(), "--data-dir", c.toString()).exit()).isZero();
      assertThat(tables(third)).isEqualTo(tables(first));
      assertWorks(TestServer.startIn(c, UnaryOperator.identity()), key, botPassword);
    } finally {
      TestDatabases.dropSchema(schema);
    }
  }

  private static void assertWorks(TestServer server, String key, String botPassword) {
    try (server) {
      TestHttp http = server.http();
      assertThat(http.get("/api/v1/me", Auth.bearer(key)).status()).as("key made before the move").isEqualTo(200);
      assertThat(http.get("/api/v1/me", Auth.basic("bot@acme.example", botPassword)).status()).as("generated password").isEqualTo(200);
      assertThat(http.get("/api/v1/me", server.owner()).status()).as("owner's Argon2 password").isEqualTo(200);
      TestHttp.Response token = http.post("/auth/api-key", Auth.NONE, Map.of("apiKey", key));
      assertThat(token.status()).isEqualTo(200);
      assertThat(http.get("/api/v1/me", Auth.bearer(token.json().get("access_token").asText())).status()).isEqualTo(200);
      assertThat(http.get("/api/v1/roles/reader", server.owner()).body()).contains("reports:read");
    }
  }

  private static JsonNode tables(Path export) throws Exception {
    JsonNode doc = JSON.readTree(export.toFile());
    assertThat(doc.get("tables").get("audit_events").size()).isGreaterThan(5);
    return doc.get("tables");
  }

  private static JsonNode json(Run r) throws Exception {
    assertThat(r.exit()).as(r.err()).isZero();
    return JSON.readTree(r.out());
  }
}
