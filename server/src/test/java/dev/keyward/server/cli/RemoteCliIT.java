package dev.keyward.server.cli;

import static dev.keyward.server.cli.RolesCommandTest.run;
import static dev.keyward.server.cli.UsersKeysAuditCommandTest.assertBad;
import static dev.keyward.server.cli.UsersKeysAuditCommandTest.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyward.server.cli.RolesCommandTest.Run;
import dev.keyward.server.testing.TestHttp;
import dev.keyward.server.testing.TestHttp.Auth;
import dev.keyward.server.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every management command with {@code --url} and an admin key against a real server: the
 * admin API's answers, its refusals as exit codes (400 → 2, others → 1), and the same JSON as
 * the same command on the store.
 */
class RemoteCliIT {
  static final ObjectMapper JSON = new ObjectMapper();
  static TestServer server;
  static String url;
  static String adminKey;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    url = server.http().base();
    TestHttp.Response created = server.http().post("/api/v1/keys", server.owner(), Map.of("name", "cli", "admin", true));
    assertThat(created.status()).isEqualTo(201);
    adminKey = created.json().get("key").asText();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static Run remote(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--url", url, "--key", adminKey));
    return run(all.toArray(String[]::new));
  }

  private static JsonNode json(Run r) throws Exception {
    assertThat(r.exit()).as(r.err()).isZero();
    return JSON.readTree(r.out());
  }

  @Test
  void usersWhenManagedRemotelyThenServerChanges() throws Exception {
    JsonNode bot = json(remote("users", "create", "remote-bot@acme.example", "--name", "Bot", "--programmatic", "--json"));
    String password = bot.get("password").asText();
    assertThat(server.http().get("/api/v1/me", Auth.basic("remote-bot@acme.example", password)).status()).isEqualTo(200);
    assertThat(json(remote("users", "list", "--json")).get("users").findValuesAsText("email")).contains("remote-bot@acme.example");
    assertThat(json(remote("users", "update", "remote-bot@acme.example", "--role", "admin", "--json")).get("roles").toString())
        .isEqualTo("[\"admin\"]");
    JsonNode reset = json(remote("users", "reset-password", "remote-bot@acme.example", "--json"));
    assertThat(server.http().get("/api/v1/me", Auth.basic("remote-bot@acme.example", password)).status()).isEqualTo(401);
    assertThat(server.http().get("/api/v1/me", Auth.basic("remote-bot@acme.example", reset.get("password").asText())).status())
        .isEqualTo(200);
    assertThat(json(remote("users", "unlock", "remote-bot@acme.example", "--json")).get("locked").asBoolean()).isFalse();
    assertThat(remote("users", "remove", bot.get("id").asText()).exit()).isZero();
    assertThat(remote("users", "list").out()).doesNotContain("remote-bot@acme.example");
  }

  @Test
  void keysRolesAuditTokensWhenRemoteThenAsTheApiSays() throws Exception {
    JsonNode key = json(remote("keys", "create", "remote", "--environment", "production", "--resource", "algo://a/*",
        "--rate-limit", "10/1s", "--quota", "5", "--json"));
    String id = key.get("id").asText();
    assertThat(server.http().get("/api/v1/me", Auth.bearer(key.get("key").asText())).status()).isEqualTo(200);
    JsonNode rolled = json(remote("keys", "roll", id, "--grace", "0", "--json"));
    assertThat(server.http().get("/api/v1/me", Auth.bearer(rolled.get("key").asText())).status()).isEqualTo(200);
    assertThat(remote("keys", "revoke", id).out()).contains("revoked");
    assertRefused(remote("keys", "revoke", id), "the server answered 409");

    // The same command prints the same document on the store and through the server.
    JsonNode viaServer = json(remote("keys", "list", "--json"));
    JsonNode onStore = json(run("keys", "list", "--json", "--data-dir", server.dataDir().toString()));
    assertThat(viaServer.toString().replaceAll("\"lastUsedAt\":\"[^\"]*\"", "").replaceAll("\"lastUsedAt\":null", ""))
        .isEqualTo(onStore.toString().replaceAll("\"lastUsedAt\":\"[^\"]*\"", "").replaceAll("\"lastUsedAt\":null", ""));

    assertThat(remote("roles", "create", "remote-role", "-p", "reports:read").out()).contains("remote-role: reports:read");
    assertThat(remote("roles", "update", "remote-role", "-p", "reports:*").out()).contains("remote-role: reports:*");
    assertThat(json(remote("roles", "list", "--json")).get("roles").findValuesAsText("name")).contains("remote-role", "owner");
    assertThat(remote("roles", "delete", "remote-role").exit()).isZero();

    JsonNode events = json(remote("audit", "tail", "--event", "key.revoked", "--subject", id, "--json"));
    assertThat(events.get("events").findValuesAsText("subjectId")).containsExactly(id);

    String before = server.http().get("/.well-known/jwks.json", Auth.NONE).body();
    Run rotated = run("tokens", "rotate-signing-key", "--url", url, "--key", adminKey);
    assertThat(rotated.exit()).as(rotated.err()).isZero();
    String kid = rotated.out().replaceAll("New signing key (\\S+).*\\s*", "$1");
    assertThat(before).doesNotContain(kid);
    assertThat(server.http().get("/.well-known/jwks.json", Auth.NONE).body()).contains(kid);
  }

  @Test
  void remoteWhenServerRefusesThenExitCodeAndServerMessage() throws Exception {
    assertBad(remote("keys", "create", "x", "--environment", "staging"), "the server answered 400: 'environment' must be");
    assertBad(remote("keys", "roll", "key_x", "--grace", "40d"), "gracePeriodSeconds");
    assertRefused(remote("users", "create", "x@acme.example", "--name", "X", "--role", "nope"), "the server answered 422");
    assertRefused(run("users", "list", "--url", url, "--key", "kw_test_notakey"), "the server answered 401");
    String plainKey = json(remote("keys", "create", "plain", "--json")).get("key").asText();
    assertRefused(run("users", "list", "--url", url, "--key", plainKey), "the server answered 403");
    assertRefused(remote("users", "reset-password", "nobody@acme.example"), "no user of this tenant");
    assertBad(run("users", "list", "--url", url, "--key", adminKey, "--as", "x@y.z"), "--as works on the store only");
  }

  @Test
  void auditTailWhenFollowingThenNewEventsPrintedOnePerLineUntilInterrupted() throws Exception {
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    java.io.PrintStream out = System.out;
    java.util.concurrent.atomic.AtomicInteger exit = new java.util.concurrent.atomic.AtomicInteger(-1);
    Thread tail;
    String id;
    System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      tail = new Thread(() -> exit.set(Main.execute("audit", "tail", "--follow", "--interval", "1", "--json",
          "--event", "key.revoked", "--url", url, "--key", adminKey)));
      tail.start();
      Thread.sleep(1500); // the first listing is printed; from now on only new events
      TestHttp.Response key = server.http().post("/api/v1/keys", server.owner(), Map.of("name", "followed"));
      id = key.json().get("id").asText();
      assertThat(server.http().post("/api/v1/keys/" + id + "/revoke", server.owner(), Map.of()).status()).isEqualTo(200);
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(15);
      while (!captured.toString(java.nio.charset.StandardCharsets.UTF_8).contains(id) && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      tail.interrupt();
      tail.join(10_000);
    } finally {
      System.setOut(out);
    }
    assertThat(tail.isAlive()).as("an interrupt ends --follow").isFalse();
    assertThat(exit.get()).isZero();
    List<JsonNode> events = new ArrayList<>();
    for (String line : captured.toString(java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        events.add(JSON.readTree(line));
      }
    }
    assertThat(events).as("one JSON event per line, only the event asked for")
        .allSatisfy(e -> assertThat(e.path("event").asText()).isEqualTo("key.revoked"));
    assertThat(events).as("the revocation made while following").anySatisfy(e -> assertThat(e.toString()).contains(id));
  }
}
