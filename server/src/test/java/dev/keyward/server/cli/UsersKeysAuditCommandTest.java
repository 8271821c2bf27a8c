package dev.keyward.server.cli;

import static dev.keyward.server.cli.RolesCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyward.server.cli.RolesCommandTest.Run;
import dev.keyward.server.http.Json;
import dev.keyward.server.testing.TestHttp;
import dev.keyward.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code keyward users|keys|audit …} on the store made by a first server start: every command,
 * its JSON output, and bad arguments (a message on standard error, exit 2) and refusals (exit 1).
 */
class UsersKeysAuditCommandTest {
  @TempDir Path dir;

  private Run cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--data-dir");
    all.add(dir.toString());
    return run(all.toArray(String[]::new));
  }

  private static JsonNode json(Run r) {
    assertThat(r.exit()).as(r.err()).isZero();
    return Json.MAPPER.valueToTree(Json.read(r.out().getBytes(StandardCharsets.UTF_8), java.util.Map.class));
  }

  @Test
  void usersWhenCreatedUpdatedResetUnlockedRemovedThenStoreFollowsAndSecretsShownOnce() throws Exception {
    TestServer.startIn(dir, UnaryOperator.identity()).close();
    Run created = cli("users", "create", "Bot@Acme.example", "--name", "Billing bot", "--programmatic");
    assertThat(created.exit()).as(created.err()).isZero();
    assertThat(created.out()).contains("Created programmatic user bot@acme.example", "password:", "kw_test_", "Shown once");

    JsonNode person = json(cli("users", "create", "pat@acme.example", "--name", "Pat", "--role", "admin", "--json"));
    assertThat(person.get("email").asText()).isEqualTo("pat@acme.example");
    assertThat(person.has("password")).as("a person given no password gets one generated").isTrue();
    assertThat(person.get("defaultKey").asText()).startsWith("kw_test_");

    JsonNode list = json(cli("users", "list", "--json"));
    assertThat(list.get("users").findValuesAsText("email")).contains(TestServer.ADMIN_EMAIL, "bot@acme.example", "pat@acme.example");
    assertThat(list.toString()).doesNotContain(person.get("defaultKey").asText(), person.get("password").asText());
    Run table = cli("users", "list");
    assertThat(table.out()).contains("EMAIL", "bot@acme.example", "programmatic", "admin");

    JsonNode updated = json(cli("users", "update", "pat@acme.example", "--name", "Pat Doe", "--no-roles", "--json"));
    assertThat(updated.get("name").asText()).isEqualTo("Pat Doe");
    assertThat(updated.get("roles")).isEmpty();

    Run reset = cli("users", "reset-password", "bot@acme.example");
    assertThat(reset.exit()).as(reset.err()).isZero();
    String newPassword = reset.out().lines().findFirst().orElseThrow().replaceAll(".*: ", "");
    assertThat(newPassword).hasSizeGreaterThan(30);

    try (TestServer server = TestServer.startIn(dir, UnaryOperator.identity())) {
      TestHttp http = server.http();
      assertThat(http.get("/api/v1/me", TestHttp.Auth.basic("bot@acme.example", newPassword)).status()).isEqualTo(200);
      for (int i = 0; i < 10; i++) {
        http.get("/api/v1/me", TestHttp.Auth.basic("bot@acme.example", "wrong password " + i));
      }
      assertThat(http.get("/api/v1/me", TestHttp.Auth.basic("bot@acme.example", newPassword)).status()).isEqualTo(423);
      assertThat(json(cli("users", "list", "--json")).toString()).contains("\"locked\":true");
      Run unlocked = cli("users", "unlock", "BOT@acme.example");
      assertThat(unlocked.exit()).as(unlocked.err()).isZero();
      assertThat(unlocked.out()).contains("Unlocked bot@acme.example");
      assertThat(http.get("/api/v1/me", TestHttp.Auth.basic("bot@acme.example", newPassword)).status()).isEqualTo(200);

      Run removed = cli("users", "remove", "bot@acme.example");
      assertThat(removed.exit()).as(removed.err()).isZero();
      Thread.sleep(1100); // caches last under a second
      assertThat(http.get("/api/v1/me", TestHttp.Auth.bearer(created.out().replaceAll("(?s).*API key:\\s+(kw_test_\\w+).*", "$1")))
          .status()).isEqualTo(401);
    }
    assertThat(cli("users", "list").out()).doesNotContain("bot@acme.example");
  }

  @Test
  void keysWhenCreatedWithEveryOptionListedRolledRevokedThenAsTheApiSays() throws Exception {
    TestServer.startIn(dir, UnaryOperator.identity()).close();
    json(cli("users", "create", "svc@acme.example", "--name", "Svc", "--programmatic", "--role", "admin", "--json"));
    JsonNode key = json(cli("keys", "create", "ci", "--user", "svc@acme.example", "--environment", "production",
        "--expires-in", "90d", "--resource", "algo://acme/*", "--resource", "algo://acme/x/*", "--data-access", "read",
        "--manage-algorithms", "--caller", "native", "--browser-host", "app.acme.example", "--ip", "10.0.0.0/8",
        "--rate-limit", "100/1m", "--quota", "1000", "--role", "admin", "--json"));
    assertThat(key.get("key").asText()).startsWith("kw_live_");
    assertThat(key.get("environment").asText()).isEqualTo("production");
    assertThat(key.get("roles").toString()).isEqualTo("[\"admin\"]");
    JsonNode access = key.get("access");
    assertThat(access.get("resources").toString()).contains("algo://acme/*");
    assertThat(access.get("dataAccess").asText()).isEqualTo("read");
    assertThat(access.get("manageAlgorithms").asBoolean()).isTrue();
    assertThat(access.get("callers").toString()).isEqualTo("{\"native\":true,\"browser\":true,\"hostnames\":[\"app.acme.example\"]}");
    assertThat(access.get("ipAllowlist").toString()).contains("10.0.0.0/8");
    assertThat(access.get("rateLimit").toString()).isEqualTo("{\"limit\":100,\"periodSeconds\":60}");
    assertThat(access.get("quota").asLong()).isEqualTo(1000);
    assertThat(key.get("warnings").toString()).contains("already covered");
    String id = key.get("id").asText();

    Run text = cli("keys", "create", "admin-cli", "--admin");
    assertThat(text.out()).contains("admin key", "kw_test_", "Shown once");

    JsonNode list = json(cli("keys", "list", "--user", "svc@acme.example", "--json"));
    assertThat(list.get("keys").findValuesAsText("name")).containsExactlyInAnyOrder("ci", "default-key");
    assertThat(list.toString()).doesNotContain(key.get("key").asText());
    assertThat(cli("keys", "list").out()).contains("NAME", "admin-cli", "production", "active");

    JsonNode rolled = json(cli("keys", "roll", id, "--grace", "1h", "--json"));
    assertThat(rolled.get("key").asText()).startsWith("kw_live_").isNotEqualTo(key.get("key").asText());
    assertThat(rolled.get("previousSecretExpiresAt").isNull()).isFalse();

    Run revoked = cli("keys", "revoke", id);
    assertThat(revoked.exit()).as(revoked.err()).isZero();
    assertThat(revoked.out()).contains("ci (" + id + ")", "revoked");
    Run again = cli("keys", "revoke", id);
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).startsWith("keyward: ").contains("revoked");

    JsonNode audit = json(cli("audit", "tail", "--event", "key.revoked", "--json"));
    assertThat(audit.get("events").findValuesAsText("subjectId")).containsExactly(id);
    Run tail = cli("audit", "tail", "-n", "3", "--actor", TestServer.ADMIN_EMAIL);
    assertThat(tail.exit()).as(tail.err()).isZero();
    assertThat(tail.out().lines().count()).isEqualTo(3);
    assertThat(tail.out().lines().toList().get(2)).contains("key.revoked");
  }

  @Test
  void commandsWhenBadArgumentsThenMessageOnStderrAndExitTwo() {
    TestServer.startIn(dir, UnaryOperator.identity()).close();
    assertBad(cli("users", "create", "not-an-email", "--name", "x"), "email");
    assertBad(cli("users", "create", "a@b.example"), "--name");
    assertBad(cli("users", "update", "admin@example.com"), "nothing to change");
    assertBad(cli("keys", "create", "k", "--environment", "staging"), "'environment' must be 'production' or 'sandbox'");
    assertBad(cli("keys", "create", "k", "--rate-limit", "lots"), "LIMIT/PERIOD");
    assertBad(cli("keys", "create", "k", "--expires-in", "soon"), "not a duration");
    assertBad(cli("keys", "create", "k", "--expires-at", "2030-01-01T00:00:00Z", "--expires-in", "1d"), "mutually exclusive");
    assertBad(cli("keys", "create", "k", "--caller", "robot"), "--caller");
    assertBad(cli("keys", "create", "k", "--data-access", "all"), "Data access is one of");
    assertBad(cli("keys", "create", "k", "--ip", "not-an-ip"), "An IP allow-list entry is");
    assertBad(cli("keys", "roll", "key_x"), "--grace");
    assertBad(cli("keys", "roll", "key_x", "--grace", "31d"), "gracePeriodSeconds");
    assertBad(cli("audit", "tail", "--since", "yesterday"), "--since");
    assertBad(cli("audit", "tail", "--limit", "0"), "'limit' must be between 1 and 1000");
    assertBad(cli("users", "list", "--key", "kw_test_x"), "--key needs --url");
    assertBad(run("users", "list", "--url", "ftp://x"), "--url must be");
    assertBad(run("users", "list", "--url", "http://127.0.0.1:1"), "needs a key");
    assertBad(run("users"), "Missing subcommand");
    assertBad(run("keys"), "Missing subcommand");
    assertBad(run("audit"), "Missing subcommand");
    assertBad(run("keys", "frobnicate"), "Unmatched argument");
  }

  @Test
  void commandsWhenRefusedThenMessageOnStderrAndExitOne() {
    Run noStore = cli("users", "list");
    assertThat(noStore.exit()).isEqualTo(1);
    assertThat(noStore.err()).contains("no tenant has the slug 'default'", "start the server once");
    TestServer.startIn(dir, UnaryOperator.identity()).close();
    assertRefused(cli("users", "reset-password", "nobody@acme.example"), "no user of this tenant has the email");
    assertRefused(cli("users", "remove", "usr_doesnotexist0000000000"), "User not found");
    assertRefused(cli("keys", "revoke", "key_doesnotexist000000000"), "not found");
    assertRefused(cli("users", "create", TestServer.ADMIN_EMAIL, "--name", "Again"), "already exists");
    assertRefused(cli("users", "list", "--tenant", "nope"), "no tenant has the slug 'nope'");
    assertRefused(cli("users", "list", "--as", "nobody@example.com"), "no member");
    assertRefused(run("users", "list", "--url", "http://127.0.0.1:1", "--key", "kw_test_x"), "cannot reach");
  }

  @Test
  void everyCommandWhenHelpThenUsageAndExitZero() {
    for (String[] args : List.of(new String[] {"--help"}, new String[] {"users", "--help"}, new String[] {"users", "create", "--help"},
        new String[] {"users", "list", "--help"}, new String[] {"users", "update", "--help"},
        new String[] {"users", "reset-password", "--help"}, new String[] {"users", "unlock", "--help"},
        new String[] {"users", "remove", "--help"}, new String[] {"keys", "--help"}, new String[] {"keys", "create", "--help"},
        new String[] {"keys", "list", "--help"}, new String[] {"keys", "revoke", "--help"}, new String[] {"keys", "roll", "--help"},
        new String[] {"roles", "create", "--help"}, new String[] {"roles", "list", "--help"}, new String[] {"roles", "update", "--help"},
        new String[] {"tokens", "rotate-signing-key", "--help"}, new String[] {"audit", "tail", "--help"},
        new String[] {"export", "--help"}, new String[] {"import", "--help"})) {
      Run help = run(args);
      assertThat(help.exit()).as(String.join(" ", args)).isZero();
      assertThat(help.out()).as(String.join(" ", args)).contains("Usage: keyward");
    }
    assertThat(run("keys", "create", "--help").out()).contains("--rate-limit", "--quota", "--ip", "--browser-host", "--resource",
        "--data-access", "--expires-in", "--url");
    assertThat(run("--help").out()).contains("Exit codes: 0 done, 1 refused or failed, 2 bad arguments");
  }

  static void assertBad(Run r, String message) {
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(2);
    assertThat(r.err()).contains(message);
  }

  static void assertRefused(Run r, String message) {
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
    assertThat(r.err()).startsWith("keyward: ").contains(message);
  }
}
