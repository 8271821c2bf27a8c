package dev.keyward.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyward.core.tenant.TenantService;
import dev.keyward.server.testing.TestHttp.Auth;
import dev.keyward.server.testing.TestHttp.Response;
import dev.keyward.server.testing.TestServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * DESIGN's first rule, SECURITY-TESTS ASVS-18: a session issues keys, passwords, access tokens and
 * refresh tokens and uses them in good and bad calls; then no issued secret appears — raw, base64
 * or URL-encoded, nor any 24-character stretch of a key's secret part or of a token — in a log record (everything logged through
 * java.util.logging, at every level), in any answer other than the one that issues it, or in the
 * bytes of the SQLite files. Each scan is shown able to fail on something that is really there.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecretHygieneIT {
  private static final String PROBE_LOGGER = "dev.keyward.test.SecretHygieneProbe";
  private static final int WINDOW = 24;

  static final List<LogRecord> records = new CopyOnWriteArrayList<>();
  static Handler capture;
  static Level rootLevel;
  static Path dataDir;
  static TestServer server;
  static GuardedHttp http;

  /** Every secret issued or chosen during the session, by what it is. */
  static final Map<String, String> secrets = new LinkedHashMap<>();
  /** The answers that issue a secret (they alone may carry one). */
  static final Set<Response> issuing = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
  /** Ids of every key issued, and their {@code start}. */
  static final Map<String, String> keyStarts = new LinkedHashMap<>();
  static final List<String> userIds = new ArrayList<>();
  static final List<String> personEmails = new ArrayList<>();
  /** Ids ({@code jti}) of access tokens revoked in the session: the store keeps them, not the tokens. */
  static final List<String> revokedJtis = new ArrayList<>();

  @BeforeAll
  static void start() throws IOException {
    Logger root = Logger.getLogger("");
    rootLevel = root.getLevel();
    capture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        records.add(record);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    capture.setLevel(Level.ALL);
    root.addHandler(capture);
    root.setLevel(Level.ALL);
    dataDir = Files.createTempDirectory("keyward-hygiene");
    server = TestServer.startIn(dataDir, c -> c);
    http = new GuardedHttp(server.http());
  }

  @AfterAll
  static void stop() throws IOException {
    try {
      http.assertNoServerErrors();
    } finally {
      if (server != null) {
        server.close();
      }
      Logger root = Logger.getLogger("");
      root.removeHandler(capture);
      root.setLevel(rootLevel);
      try (Stream<Path> files = Files.walk(dataDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  // ----- the session -----

  @Test
  @Order(1)
  void sessionWhenSecretsIssuedAndUsedThenNoneLeaks() throws IOException {
    TenantService.Bootstrap boot = server.server().bootstrap().orElseThrow();
    secrets.put("owner password", TestServer.ADMIN_PASSWORD);
    secrets.put("owner default key", boot.defaultKey().secret().reveal());
    Auth owner = server.owner();

    // A programmatic user: generated password and default key.
    Response robot = issuing(http.post("/api/v1/users", owner, Map.of("email", "robot@example.com", "name", "Robot", "programmatic", true)));
    assertThat(robot.status()).as(robot.toString()).isEqualTo(201);
    String robotPassword = secret("robot password", robot.text("password"));
    String robotKey = secret("robot default key", robot.text("defaultKey"));
    userIds.add(robot.text("id"));
    keyStarts.put(robot.text("defaultKeyId"), robotKey.substring(0, 12));

    // A person with a password of their own, with characters that every encoding changes.
    String personPassword = secret("person password", "Sécret pass/wörd+1:x&y=z%41?");
    Response person = issuing(http.post("/api/v1/users", owner,
        Map.of("email", "person@example.com", "name", "Person", "password", personPassword, "roles", List.of("admin"))));
    assertThat(person.status()).as(person.toString()).isEqualTo(201);
    assertThat(person.json().has("password")).as("a chosen password is not echoed").isFalse();
    String personKey = secret("person default key", person.text("defaultKey"));
    userIds.add(person.text("id"));
    personEmails.add("person@example.com");
    keyStarts.put(person.text("defaultKeyId"), personKey.substring(0, 12));

    // Keys: the owner's own, one for the robot, and one to revoke.
    String ownerKey = createKey(owner, Map.of("name", "owner-prod", "environment", "production", "admin", true), "owner admin key");
    String robotSandbox = createKey(owner, Map.of("name", "robot-sandbox", "userId", robot.text("id")), "robot sandbox key");
    Response toRevoke = issuing(http.post("/api/v1/keys", owner, Map.of("name", "to-revoke", "environment", "production")));
    String revokedKey = secret("revoked key", toRevoke.text("key"));
    keyStarts.put(toRevoke.text("id"), toRevoke.text("start"));

    // Good calls with every credential, in every form.
    for (String key : List.of(ownerKey, robotKey, robotSandbox, personKey, revokedKey, boot.defaultKey().secret().reveal())) {
      assertThat(http.get("/api/v1/me", Auth.bearer(key)).status()).isEqualTo(200);
      assertThat(http.get("/api/v1/me", Auth.basic(key, "")).status()).isEqualTo(200);
    }
    assertThat(http.get("/api/v1/me", Auth.basic("robot@example.com", robotPassword)).status()).isEqualTo(200);
    assertThat(http.get("/api/v1/me", Auth.basic("person@example.com", personPassword)).status()).isEqualTo(200);
    assertThat(http.get("/api/v1/users", Auth.basic("person@example.com", personPassword)).status()).isEqualTo(200);

    // Bad calls: each carries (a near copy of) a secret to where it must not stick.
    Response revoke = http.post("/api/v1/keys/" + toRevoke.text("id") + "/revoke", owner, null);
    assertThat(revoke.status()).isEqualTo(200);
    List<Response> refusals = new ArrayList<>();
    refusals.add(http.get("/api/v1/me", Auth.bearer(revokedKey)));
    refusals.add(http.get("/api/v1/me", Auth.basic(revokedKey, "")));
    refusals.add(http.get("/api/v1/me", Auth.bearer(typo(ownerKey))));
    refusals.add(http.get("/api/v1/me", Auth.basic(typo(personKey), "")));
    refusals.add(http.get("/api/v1/me", Auth.basic("person@example.com", personPassword + "x")));
    refusals.add(http.get("/api/v1/me", Auth.basic("person@example.com", personPassword.substring(0, personPassword.length() - 1))));
    refusals.add(http.get("/api/v1/me", Auth.basic("nobody@example.com", personPassword)));
    refusals.add(http.get("/api/v1/me", Auth.basic("robot@example.com", robotPassword + "x")));
    refusals.add(http.get("/api/v1/me", Auth.basic(ownerKey, personPassword)));
    refusals.add(http.get("/api/v1/me", Auth.raw("Bearer " + ownerKey + " " + robotKey)));
    refusals.add(http.get("/api/v1/me", Auth.raw("Bearer " + ownerKey + "," + robotKey)));
    refusals.add(http.get("/api/v1/me", Auth.raw("Token " + ownerKey)));
    refusals.add(http.get("/api/v1/me", Auth.raw("Basic " + ownerKey)));
    refusals.add(http.get("/api/v1/me", Auth.raw("Bearer " + ownerKey + "x".repeat(5000))));
    refusals.add(http.rawGet("/api/v1/me", "Authorization: Bearer " + ownerKey, "Authorization: Bearer " + robotKey));
    refusals.add(http.get("/api/v1/me?api_key=" + ownerKey, Auth.NONE));
    refusals.add(http.get("/api/v1/me?password=" + URLEncoder.encode(personPassword, StandardCharsets.UTF_8), Auth.NONE));
    refusals.add(http.get("/api/v1/keys?access_token=" + robotKey, Auth.bearer(robotKey)));
    refusals.add(http.get("/api/v1/keys/" + ownerKey, owner));
    refusals.add(http.get("/api/v1/users/" + robotPassword, owner));
    refusals.add(http.post("/api/v1/keys", Auth.bearer(robotKey), Map.of("name", "x", "expiresAt", ownerKey)));
    refusals.add(http.post("/api/v1/keys", Auth.bearer(robotKey), Map.of("name", "x", "environment", ownerKey)));
    refusals.add(http.post("/api/v1/keys", Auth.bearer(robotKey), Map.of("name", "x", "userId", ownerKey)));
    refusals.add(http.post("/api/v1/users", owner, Map.of("email", personPassword, "name", "x")));
    refusals.add(http.post("/api/v1/users", owner, Map.of("email", "pw@example.com", "name", "x", "password", robotPassword.substring(0, 5))));
    refusals.add(http.send("POST", "/api/v1/keys", owner, "{\"name\":\"" + ownerKey + "\"", "application/json"));
    refusals.add(http.send("POST", "/api/v1/keys", owner, "{\"name\":\"x\",\"admin\":\"" + ownerKey + "\"}", "application/json"));
    refusals.add(http.send("POST", "/api/v1/keys", owner, ownerKey, "text/plain"));
    assertThat(refusals).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isBetween(400, 499));

    // A password reset: the new one is a secret too; the old one stops working.
    Response reset = issuing(http.post("/api/v1/users/" + robot.text("id") + "/reset-password", owner, null));
    assertThat(reset.status()).as(reset.toString()).isEqualTo(200);
    String newRobotPassword = secret("robot password after reset", reset.text("password"));
    assertThat(http.get("/api/v1/me", Auth.basic("robot@example.com", robotPassword)).status()).isEqualTo(401);
    assertThat(http.get("/api/v1/me", Auth.basic("robot@example.com", newRobotPassword)).status()).isEqualTo(200);

    // Tokens: access and refresh tokens from the exchange, the password grant and client credentials,
    // then refreshed, used, introspected, revoked, and sent where they must not stick.
    String form = "application/x-www-form-urlencoded";
    Response exchanged = issuing(http.post("/auth/api-key", Auth.NONE, Map.of("apiKey", robotKey)));
    assertThat(exchanged.status()).as(exchanged.toString()).isEqualTo(200);
    String exchangeAccess = secret("access token (exchange)", exchanged.text("access_token"));
    String exchangeRefresh = secret("refresh token (exchange)", exchanged.text("refresh_token"));
    Response granted = issuing(http.send("POST", "/api/v1/token", Auth.NONE, "grant_type=password&username=robot%40example.com&password="
        + URLEncoder.encode(newRobotPassword, StandardCharsets.UTF_8), form));
    assertThat(granted.status()).as(granted.toString()).isEqualTo(200);
    String grantAccess = secret("access token (password grant)", granted.text("access_token"));
    String grantRefresh = secret("refresh token (password grant)", granted.text("refresh_token"));
    Response clientCredentials = issuing(http.send("POST", "/api/v1/token", Auth.basic(ownerKey, ""), "grant_type=client_credentials", form));
    assertThat(clientCredentials.status()).as(clientCredentials.toString()).isEqualTo(200);
    String clientAccess = secret("access token (client credentials)", clientCredentials.text("access_token"));
    Response refreshed = issuing(http.post("/auth/refresh", Auth.NONE, Map.of("refreshToken", exchangeRefresh)));
    assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(200);
    String refreshedAccess = secret("access token (refreshed)", refreshed.text("access_token"));
    String refreshedRefresh = secret("refresh token (rotated)", refreshed.text("refresh_token"));
    for (String token : List.of(exchangeAccess, grantAccess, clientAccess, refreshedAccess)) {
      assertThat(http.get("/api/v1/me", Auth.bearer(token)).status()).isEqualTo(200);
    }
    assertThat(http.post("/oauth/introspect", owner, Map.of("token", grantAccess)).json().path("active").asBoolean()).isTrue();
    List<Response> tokenRefusals = new ArrayList<>();
    tokenRefusals.add(http.post("/auth/refresh", Auth.NONE, Map.of("refreshToken", exchangeRefresh)));
    tokenRefusals.add(http.post("/auth/refresh", Auth.NONE, Map.of("refreshToken", typo(refreshedRefresh))));
    tokenRefusals.add(http.send("POST", "/api/v1/token", Auth.NONE,
        "grant_type=refresh_token&refresh_token=" + refreshedRefresh + "&refresh_token=" + grantRefresh, form));
    tokenRefusals.add(http.send("POST", "/api/v1/token", Auth.NONE, "{\"grant_type\":\"refresh_token\",\"refresh_token\":[\""
        + grantRefresh + "\"]}", "application/json"));
    tokenRefusals.add(http.send("POST", "/api/v1/token", Auth.NONE, "refresh_token=" + grantRefresh, "text/plain"));
    tokenRefusals.add(http.send("POST", "/api/v1/token", Auth.basic(robotKey, ""), "grant_type=client_credentials&client_secret=" + robotKey, form));
    tokenRefusals.add(http.send("POST", "/api/v1/token", Auth.basic(typo(robotKey), ""), "grant_type=client_credentials", form));
    tokenRefusals.add(http.send("POST", "/api/v1/token", Auth.NONE, "grant_type=password&username=robot%40example.com&password="
        + URLEncoder.encode(robotPassword, StandardCharsets.UTF_8), form));
    tokenRefusals.add(http.get("/api/v1/me", Auth.bearer(typo(exchangeAccess))));
    tokenRefusals.add(http.get("/api/v1/me", Auth.raw("Bearer " + grantAccess + " " + clientAccess)));
    tokenRefusals.add(http.get("/api/v1/me", Auth.bearer(grantRefresh)));
    tokenRefusals.add(http.get("/api/v1/me?access_token=" + clientAccess, Auth.NONE));
    tokenRefusals.add(http.get("/api/v1/me", Auth.raw("Bearer " + grantAccess + "x".repeat(5000))));
    tokenRefusals.add(http.post("/oauth/introspect", Auth.bearer(grantAccess), Map.of("token", clientAccess)));
    tokenRefusals.add(http.post("/oauth/introspect", Auth.NONE, Map.of("token", clientAccess)));
    assertThat(http.post("/oauth/revoke", owner, Map.of("token", clientAccess)).status()).isEqualTo(200);
    revokedJtis.add(server.server().services().accessTokens().verify(clientAccess).orElseThrow().jti());
    assertThat(http.post("/oauth/revoke", owner, Map.of("token", grantRefresh)).status()).isEqualTo(200);
    tokenRefusals.add(http.get("/api/v1/me", Auth.bearer(clientAccess)));
    tokenRefusals.add(http.get("/api/v1/me", Auth.bearer(grantAccess)));
    tokenRefusals.add(http.post("/auth/refresh", Auth.NONE, Map.of("refreshToken", grantRefresh)));
    assertThat(tokenRefusals).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isBetween(400, 499));
    assertThat(http.post("/oauth/introspect", owner, Map.of("token", typo(refreshedAccess))).body()).isEqualTo("{\"active\":false}");

    // Let the last-used times reach the database, so that its files hold this session's writes.
    String ownerKeyId = keyStarts.keySet().stream().filter(id -> keyStarts.get(id).equals(ownerKey.substring(0, 12))).findFirst().orElseThrow();
    GuardedHttp.await("last-used flushed", Duration.ofSeconds(3),
        () -> !http.get("/api/v1/keys/" + ownerKeyId, owner).json().path("lastUsedAt").isNull());

    // The answers that issue a secret say not to store them.
    assertThat(issuing).hasSize(10);
    for (Response r : issuing) {
      assertThat(r.header("cache-control")).as(r.toString()).isEqualTo("no-store");
    }
  }

  @Test
  @Order(2)
  void readAnswersWhenListingEverythingThenNoSecretButKeyStarts() {
    Auth owner = server.owner();
    List<Response> reads = new ArrayList<>();
    reads.add(http.get("/api/v1/users", owner));
    for (String id : userIds) {
      reads.add(http.get("/api/v1/users/" + id, owner));
      reads.add(http.get("/api/v1/keys?userId=" + id, owner));
    }
    Response keyList = http.get("/api/v1/keys", owner);
    reads.add(keyList);
    for (String id : keyStarts.keySet()) {
      reads.add(http.get("/api/v1/keys/" + id, owner));
    }
    reads.add(http.get("/api/v1/audit?limit=1000", owner));
    reads.add(http.get("/api/v1/me", owner));
    assertThat(reads).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(200));
    assertThat(reads.get(reads.size() - 2).json().path("events").size()).as("audit events").isGreaterThan(10);

    for (Response r : reads) {
      assertThat(hits(whole(r))).as("secrets in " + r).isEmpty();
    }
    // The scan can fail: every key's recognisable start is in the list, and is found.
    String listed = whole(keyList);
    for (String start : keyStarts.values()) {
      assertThat(start).hasSize(12).startsWith("kw_");
      assertThat(listed).contains(start);
      assertThat(hits(listed, Map.of("key start", start))).isNotEmpty();
    }
  }

  @Test
  @Order(3)
  void everyOtherAnswerWhenScannedThenNoSecret() {
    List<GuardedHttp.Exchange> scanned = new ArrayList<>();
    for (GuardedHttp.Exchange e : http.exchanges()) {
      if (issuing.contains(e.response())) {
        // The issuing answers carry their own secret: the scan finds it there.
        assertThat(hits(whole(e.response()))).as(e.request()).isNotEmpty();
        continue;
      }
      scanned.add(e);
      assertThat(hits(whole(e.response()))).as("secrets in the answer to " + e.request() + ": " + e.response()).isEmpty();
    }
    assertThat(scanned.stream().filter(e -> e.response().status() >= 400).count()).as("error answers scanned").isGreaterThan(25);
  }

  @Test
  @Order(4)
  void logsWhenScannedThenNoSecret() {
    List<String> lines = new ArrayList<>();
    for (LogRecord r : records) {
      if (!PROBE_LOGGER.equals(r.getLoggerName())) {
        lines.add(render(r));
      }
    }
    assertThat(lines).as("log records captured during the session").hasSizeGreaterThan(3);
    for (String line : lines) {
      assertThat(hits(line)).as("secrets in the log record: " + line).isEmpty();
    }
    // The capture and the scan can fail: a probe record with an encoded secret is caught.
    String key = secrets.get("robot default key");
    Logger probe = Logger.getLogger(PROBE_LOGGER);
    probe.fine("probe " + Base64.getEncoder().encodeToString(("x" + key + ":").getBytes(StandardCharsets.UTF_8)));
    probe.log(Level.INFO, "probe {0}", URLEncoder.encode(secrets.get("person password"), StandardCharsets.UTF_8));
    probe.warning("probe " + secrets.get("access token (refreshed)").substring(50, 80) + " " + secrets.get("refresh token (rotated)").substring(10, 40));
    List<String> probes = records.stream().filter(r -> PROBE_LOGGER.equals(r.getLoggerName())).map(SecretHygieneIT::render).toList();
    assertThat(probes).hasSize(3);
    assertThat(probes).allSatisfy(p -> assertThat(hits(p)).isNotEmpty());
  }

  @Test
  @Order(5)
  void databaseFilesWhenScannedThenNoSecret() throws IOException {
    Map<String, String> files = sqliteFiles();
    assertThat(files).containsKey("keyward.db");
    scanDatabase(files, "while running");
    // After a clean stop the WAL is checkpointed into the main file: scan that too.
    server.close();
    server = null;
    scanDatabase(sqliteFiles(), "after stop");
  }

  private static void scanDatabase(Map<String, String> files, String when) {
    String all = String.join("\n", files.values());
    for (Map.Entry<String, String> f : files.entrySet()) {
      assertThat(hits(f.getValue())).as("secrets in %s %s", f.getKey(), when).isEmpty();
    }
    // The scan can fail: what the store does keep is found in the same bytes.
    for (String start : keyStarts.values()) {
      assertThat(all).as("key start %s in the database files %s", start, when).contains(start);
    }
    for (String email : personEmails) {
      assertThat(all).contains(email);
    }
    assertThat(revokedJtis).isNotEmpty();
    for (String jti : revokedJtis) {
      assertThat(all).as("revoked token id %s in the database files %s", jti, when).contains(jti);
    }
  }

  // ----- helpers -----

  static Response issuing(Response r) {
    issuing.add(r);
    return r;
  }

  static String secret(String what, String value) {
    assertThat(value).as(what).isNotBlank();
    secrets.put(what, value);
    return value;
  }

  static String createKey(Auth auth, Map<String, Object> body, String what) {
    Response r = issuing(http.post("/api/v1/keys", auth, body));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    keyStarts.put(r.text("id"), r.text("start"));
    return secret(what, r.text("key"));
  }

  static String typo(String key) {
    char c = key.charAt(30);
    return key.substring(0, 30) + (c == 'a' ? 'b' : 'a') + key.substring(31);
  }

  /** Status, headers and body of an answer as one text. */
  static String whole(Response r) {
    return r.status() + "\n" + r.headers() + "\n" + r.body();
  }

  static String render(LogRecord r) {
    StringBuilder sb = new StringBuilder();
    sb.append(r.getLoggerName()).append(' ').append(r.getLevel()).append(' ').append(r.getMessage());
    sb.append(" | ").append(new SimpleFormatter().formatMessage(r));
    if (r.getParameters() != null) {
      for (Object p : r.getParameters()) {
        sb.append(" | ").append(p);
      }
    }
    if (r.getThrown() != null) {
      StringWriter w = new StringWriter();
      r.getThrown().printStackTrace(new PrintWriter(w));
      sb.append(" | ").append(w);
    }
    return sb.toString();
  }

  /** Every SQLite file in the data folder, as bytes read one-to-one into chars. */
  static Map<String, String> sqliteFiles() throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(dataDir)) {
      for (Path p : files.sorted().toList()) {
        String name = p.getFileName().toString();
        if (name.startsWith("keyward.db")) {
          out.put(name, new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
        }
      }
    }
    return out;
  }

  static List<String> hits(String haystack) {
    return hits(haystack, secrets);
  }

  /**
   * Which of {@code needles} appear in {@code haystack}: raw, URL-encoded, base64 (standard and
   * URL alphabets, at the three byte alignments), each also as UTF-8 bytes read as Latin-1 (for
   * file bytes); and, for secrets of 24 characters or more, any 24-character stretch past a key's
   * public start.
   */
  static List<String> hits(String haystack, Map<String, String> needles) {
    List<String> found = new ArrayList<>();
    needles.forEach((what, secret) -> {
      for (Map.Entry<String, String> form : forms(secret).entrySet()) {
        String needle = form.getValue();
        String asBytes = new String(needle.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        if (haystack.contains(needle) || haystack.contains(asBytes)) {
          found.add(what + " (" + form.getKey() + ")");
        }
      }
    });
    return found;
  }

  static Map<String, String> forms(String secret) {
    Map<String, String> forms = new LinkedHashMap<>();
    forms.put("raw", secret);
    forms.put("url-encoded", URLEncoder.encode(secret, StandardCharsets.UTF_8));
    forms.put("url-encoded %20", URLEncoder.encode(secret, StandardCharsets.UTF_8).replace("+", "%20"));
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    for (int offset = 0; offset < 3; offset++) {
      byte[] shifted = new byte[offset + bytes.length];
      System.arraycopy(bytes, 0, shifted, offset, bytes.length);
      // Only the groups made of the secret's bytes alone are the same whatever surrounds it.
      int firstGroup = offset == 0 ? 0 : 1;
      int groups = shifted.length / 3;
      for (Base64.Encoder enc : List.of(Base64.getEncoder(), Base64.getUrlEncoder())) {
        String encoded = enc.encodeToString(shifted);
        if (groups > firstGroup) {
          forms.put("base64 at +" + offset + (enc == Base64.getEncoder() ? "" : " url"), encoded.substring(firstGroup * 4, groups * 4));
        }
      }
    }
    int from = secret.startsWith("kw_") ? 12 : 0;
    if (secret.length() - from >= WINDOW) {
      Set<String> windows = new LinkedHashSet<>();
      for (int i = from; i + WINDOW <= secret.length(); i++) {
        windows.add(secret.substring(i, i + WINDOW));
      }
      int n = 0;
      for (String w : windows) {
        forms.put("stretch " + n++, w);
      }
    }
    return forms;
  }
}
