package dev.keyward.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged server as a user runs it: a separate JVM from the built jar, and the launcher. */
class ServeProcessIT {
  private static final Pattern LISTENING = Pattern.compile("Keyward listening on (http://127\\.0\\.0\\.1:\\d+)");
  private static final Path JAR = Path.of("target", "keyward-server.jar");

  record Running(Process process, String url, Path out, Path err) implements AutoCloseable {
    String stdout() throws IOException {
      return Files.readString(out);
    }

    String stderr() throws IOException {
      return Files.readString(err);
    }

    @Override
    public void close() throws Exception {
      process.destroy(); // SIGTERM: the shutdown hook closes the server and the store
      assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("server stops on SIGTERM").isTrue();
    }
  }

  static Running serve(Path dataDir, Map<String, String> env) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Path out = Files.createTempFile(dataDir.getParent(), "out", ".log");
    Path err = Files.createTempFile(dataDir.getParent(), "err", ".log");
    ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-jar", JAR.toString(),
        "serve", "--port", "0", "--data-dir", dataDir.toString());
    pb.environment().keySet().removeIf(k -> k.startsWith("KEYWARD_"));
    pb.environment().putAll(env);
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      Matcher m = LISTENING.matcher(Files.readString(err));
      if (m.find()) {
        return new Running(p, m.group(1), out, err);
      }
      if (!p.isAlive()) {
        throw new AssertionError("server exited: " + Files.readString(err));
      }
      Thread.sleep(50);
    }
    p.destroyForcibly();
    throw new AssertionError("server did not start: " + Files.readString(err));
  }

  static int get(String url, String user, String password) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(url + "/api/v1/me"))
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)))
        .timeout(Duration.ofSeconds(10)).build();
    return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  @Test
  void serveWhenFirstStartThenPrintsOwnerOnceAndLaterStartsNever(@TempDir Path tmp) throws Exception {
    Path data = tmp.resolve("data");
    String password;
    String firstErr;
    try (Running first = serve(data, Map.of())) {
      String out = first.stdout();
      Matcher pw = Pattern.compile("password:\\s+(\\S+)").matcher(out);
      assertThat(pw.find()).as(out).isTrue();
      password = pw.group(1);
      assertThat(out).contains("admin@localhost").containsPattern("API key:\\s+kw_test_[0-9A-Za-z]{49}");
      assertThat(out).as("where to sign in").contains("Sign in to the backoffice at " + first.url() + "/ui/keys");
      assertThat(get(first.url(), "admin@localhost", password)).isEqualTo(200);
      assertThat(get(first.url(), "admin@localhost", password + "x")).isEqualTo(401);
      firstErr = first.stderr();
    }
    // Log lines are one line each, and the generated password is never logged.
    assertThat(firstErr).doesNotContain(password);
    assertThat(firstErr.lines().filter(l -> l.contains("Keyward listening on")).count()).isEqualTo(1);
    assertThat(Files.exists(data.resolve("keyward.db"))).isTrue();
    assertThat(Files.exists(data.resolve("master.key"))).isTrue();

    try (Running second = serve(data, Map.of("KEYWARD_ADMIN_PASSWORD", "another password 123"))) {
      assertThat(second.stdout()).doesNotContain("password:").doesNotContain("kw_");
      assertThat(get(second.url(), "admin@localhost", password)).as("password unchanged").isEqualTo(200);
      assertThat(get(second.url(), "admin@localhost", "another password 123")).isEqualTo(401);
    }
  }

  @Test
  void serveWhenKilledAfterAcknowledgedWritesThenTheySurvive(@TempDir Path tmp) throws Exception {
    Path data = tmp.resolve("data");
    Map<String, String> env = Map.of("KEYWARD_ADMIN_PASSWORD", "durable-password-1");
    String liveKey;
    String revokedKey;
    Running first = serve(data, env);
    try {
      liveKey = createKey(first.url(), "live");
      revokedKey = createKey(first.url(), "revoked");
      String id = keyId(first.url(), revokedKey);
      HttpRequest revoke = HttpRequest.newBuilder(URI.create(first.url() + "/api/v1/keys/" + id + "/revoke"))
          .header("Authorization", basic("admin@localhost", "durable-password-1"))
          .POST(HttpRequest.BodyPublishers.noBody()).build();
      assertThat(HttpClient.newHttpClient().send(revoke, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    } finally {
      first.process().destroyForcibly(); // kill -9: no shutdown hook, no clean close
      first.process().waitFor(20, TimeUnit.SECONDS);
    }
    try (Running second = serve(data, env)) {
      assertThat(bearer(second.url(), liveKey)).as("acknowledged key survives").isEqualTo(200);
      assertThat(bearer(second.url(), revokedKey)).as("acknowledged revocation survives").isEqualTo(401);
    }
  }

  @Test
  void serveWhenKilledAfterAcknowledgedKeyExchangesThenTheirRefreshTokensSurvive(@TempDir Path tmp) throws Exception {
    // Exchanges answered at once share group commits; each answer must still mean "on disk".
    Path data = tmp.resolve("data");
    Map<String, String> env = Map.of("KEYWARD_ADMIN_PASSWORD", "durable-password-1");
    List<String> refreshTokens;
    Running first = serve(data, env);
    try {
      String key = createKey(first.url(), "exchanging");
      HttpClient client = HttpClient.newHttpClient();
      List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        answers.add(client.sendAsync(HttpRequest.newBuilder(URI.create(first.url() + "/auth/api-key"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"apiKey\":\"" + key + "\"}")).build(), HttpResponse.BodyHandlers.ofString()));
      }
      refreshTokens = new ArrayList<>();
      for (var answer : answers) {
        HttpResponse<String> r = answer.get(60, TimeUnit.SECONDS);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Matcher m = Pattern.compile("\"refresh_token\":\"(kwr_[A-Za-z0-9_]+)\"").matcher(r.body());
        assertThat(m.find()).as(r.body()).isTrue();
        refreshTokens.add(m.group(1));
      }
    } finally {
      first.process().destroyForcibly(); // kill -9 right after the last answer
      first.process().waitFor(20, TimeUnit.SECONDS);
    }
    try (Running second = serve(data, env)) {
      for (String token : refreshTokens) {
        HttpRequest refresh = HttpRequest.newBuilder(URI.create(second.url() + "/auth/refresh"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"refreshToken\":\"" + token + "\"}")).build();
        HttpResponse<String> r = HttpClient.newHttpClient().send(refresh, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("acknowledged refresh token survives: %s", r.body()).isEqualTo(200);
      }
    }
  }

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  static String createKey(String url, String name) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(url + "/api/v1/keys"))
        .header("Authorization", basic("admin@localhost", "durable-password-1"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}")).build();
    HttpResponse<String> r = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    Matcher m = Pattern.compile("\"key\":\"(kw_[A-Za-z0-9_]+)\"").matcher(r.body());
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  static String keyId(String url, String key) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(url + "/api/v1/me")).header("Authorization", "Bearer " + key).build();
    String body = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString()).body();
    Matcher m = Pattern.compile("\"keyId\":\"(key_[A-Za-z0-9]+)\"").matcher(body);
    assertThat(m.find()).as(body).isTrue();
    return m.group(1);
  }

  static int bearer(String url, String key) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(url + "/api/v1/me")).header("Authorization", "Bearer " + key).build();
    return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  @Test
  void serveWhenAdminEmailAndPasswordGivenThenUsesThemAndPrintsNoPassword(@TempDir Path tmp) throws Exception {
    try (Running r = serve(tmp.resolve("data"), Map.of("KEYWARD_ADMIN_EMAIL", "Root@Example.com", "KEYWARD_ADMIN_PASSWORD", "s3cret-enough-pw"))) {
      assertThat(r.stdout()).contains("root@example.com").doesNotContain("s3cret-enough-pw");
      assertThat(get(r.url(), "root@example.com", "s3cret-enough-pw")).isEqualTo(200);
    }
  }

  @Test
  void serveWhenStoreUnusableThenExitsNonZeroWithMessage(@TempDir Path tmp) throws Exception {
    Path notADir = tmp.resolve("file");
    Files.writeString(notADir, "x");
    String java = ProcessHandle.current().info().command().orElse("java");
    Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-jar", JAR.toString(), "serve", "--port", "0", "--data-dir", notADir.toString())
        .redirectErrorStream(true).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(output).isEqualTo(1);
    assertThat(output).contains("keyward: could not start");
  }

  @Test
  void launcherWhenNoSuitableJdkThenSaysWhatIsMissing(@TempDir Path emptyJvmDir) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("bash", Path.of("..", "keyward").toString(), "--help"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("KEYWARD_JVM_DIR", emptyJvmDir.toString());
    pb.environment().put("JAVA_HOME", "/usr/lib/jvm/does-not-exist");
    Process p = pb.start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).isEqualTo(3);
    assertThat(output).contains("no JDK 21 or newer found").contains("JAVA_HOME");
  }

  @Test
  void launcherWhenBuiltThenRunsTheCli() throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", Path.of("..", "keyward").toString(), "serve", "--help").redirectErrorStream(true);
    pb.environment().put("KEYWARD_SKIP_BUILD", "1");
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(output).isEqualTo(0);
    assertThat(output).contains("--port").contains("KEYWARD_DB_URL").contains("KEYWARD_DATA_DIR");
  }
}
