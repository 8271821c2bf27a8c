package dev.keyward.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyward.core.key.ApiKeyFormat;
import dev.keyward.core.key.Environment;
import dev.keyward.core.secret.SecretGenerator;
import dev.keyward.server.testing.TestHttp;
import dev.keyward.server.testing.TestHttp.Auth;
import dev.keyward.server.testing.TestServer;
import dev.keyward.store.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Two Keyward nodes on one store (SECURITY-TESTS §3: REL-04, REL-05, REL-11): a change made
 * through node A must be honoured by node B within one second (DESIGN: "A revocation takes effect
 * on every node within one second"), although B caches credential lookups.
 *
 * <p>How a propagation is measured: B is polled every 50 ms with the credential from before the
 * change (so B has it cached) until it answers the new way. Two numbers per trial, both from the
 * instant A's answer to the change arrived (the change is committed by then):
 *
 * <ul>
 *   <li><b>stale</b>: when the last request that B still answered the old way was <i>sent</i>.
 *       This is the rule itself: a request sent one second or more after the change that is
 *       still answered the old way breaks it. Asserted &lt; 1 s, with no slack: the commit
 *       precedes A's answer, so the measure can only be kinder than the rule.
 *   <li><b>first</b>: when B's first new-way answer arrived. It includes the poll interval and
 *       the request, so it is asserted ≤ 1.2 s.
 * </ul>
 *
 * <p>The trials of one kind run side by side (each on its own key or user, which B caches
 * separately; B's cache is cleared only by changes made on B, and none are), each changing A at a
 * different offset (0, 100, …, 900 ms) after B first answered, so that the change lands at every
 * phase of B's cache expiry, including right after B loaded the entry (the worst case). Both
 * nodes run with the product's default timings, not the test harness's.
 *
 * <p>Without a PostgreSQL the {@link OnPostgres} tests are skipped with a visible line, unless
 * {@code CI} is set, where they fail; {@link OnSqlite} always runs.
 */
class MultiNodeIT {
  /** The rule of DESIGN.md. */
  static final Duration RULE = Duration.ofSeconds(1);

  /** How often B is polled. */
  static final long POLL_MS = 50;

  /** Allowed for B's first new-way answer: the rule, one poll interval and a loaded machine. */
  static final long FIRST_BOUND_MS = 1200;

  static final int TRIALS = 10;

  /** New-way answers B must keep giving after its first (a flip back is a failure). */
  static final int CONFIRMING_POLLS = 2;

  /** Both nodes share it, as several nodes sharing one store must. */
  static final String MASTER_KEY = "multi-node-it-master-key-0123456789abcdef";

  /** The product's defaults (cache TTL, last-used flush), which these tests hold to the rule. */
  static final KeywardConfig DEFAULTS = KeywardConfig.defaults(Path.of("unused"));

  static KeywardConfig node(KeywardConfig c) {
    return c.withMasterKey(MASTER_KEY)
        .withTimings(DEFAULTS.credentialCacheTtl(), DEFAULTS.lastUsedFlush());
  }

  @Nested
  class OnPostgres {
    static @Nullable String schema;
    static @Nullable TestServer a;
    static @Nullable TestServer b;

    @BeforeAll
    static void startTwoNodes() {
      TestDatabases.requirePostgres();
      schema =
          TestDatabases.SCHEMA_PREFIX + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
      String user = System.getenv("KEYWARD_TEST_PG_USER");
      String pgUser = user == null || user.isBlank() ? "postgres" : user;
      String s = schema;
      a = TestServer.start(c -> node(c).withDatabase(TestDatabases.PG_URL, pgUser, null, s));
      b = TestServer.start(c -> node(c).withDatabase(TestDatabases.PG_URL, pgUser, null, s));
    }

    @AfterAll
    static void stop() {
      try {
        if (b != null) {
          b.close();
        }
        if (a != null) {
          a.close();
        }
      } finally {
        if (schema != null) {
          TestDatabases.dropSchema(schema);
        }
      }
    }

    static TestServer a() {
      assertThat(a).isNotNull();
      return a;
    }

    static TestServer b() {
      assertThat(b).isNotNull();
      return b;
    }

    @Test
    void startWhenSecondNodeSharesTheStoreThenItDoesNotBootstrapAgainAndSeesTheSameOwner() {
      assertThat(a().server().bootstrap()).as("node A bootstrapped the empty store").isPresent();
      assertThat(b().server().bootstrap()).as("node B found tenant default and did nothing").isEmpty();
      assertThat(a().port()).isNotEqualTo(b().port());
      String onA = me(a().http(), a().owner()).text("userId");
      assertThat(me(b().http(), b().owner()).text("userId")).isEqualTo(onA);
      String defaultKey = a().server().bootstrap().orElseThrow().defaultKey().secret().reveal();
      assertThat(me(b().http(), Auth.bearer(defaultKey)).text("userId")).isEqualTo(onA);
    }

    /** REL-04, revocation. */
    @Test
    void revokeWhenKeyCachedOnOtherNodeThenRefusedThereWithinOneSecond() throws Exception {
      revocationTrials("REL-04 revoke (PostgreSQL)", a(), b());
    }

    /** REL-04, demotion: the key inherits its owner's roles, and the password login is cached too. */
    @Test
    void updateRolesWhenUserDemotedOnOtherNodeThenKeyAndPasswordLoseTheRoleThereWithinOneSecond()
        throws Exception {
      TestServer a = a();
      TestServer b = b();
      runTrials(
          "REL-04 demote (PostgreSQL)",
          i -> {
            JsonNode u = createUser(a, "demoted", List.of("admin"));
            Auth key = Auth.bearer(u.path("defaultKey").asText());
            Auth password = Auth.basic(u.path("email").asText(), u.path("password").asText());
            return new Trial(
                () -> {
                  List<String> byKey = roles(me(b.http(), key));
                  List<String> byPassword = roles(me(b.http(), password));
                  for (List<String> r : List.of(byKey, byPassword)) {
                    assertThat(r).as("roles on B").isIn(List.of("admin"), List.of());
                  }
                  return byKey.isEmpty() && byPassword.isEmpty() ? Seen.NEW : Seen.OLD;
                },
                () -> {
                  TestHttp.Response r =
                      a.http()
                          .patch("/api/v1/users/" + u.path("id").asText(), a.owner(), Map.of("roles", List.of()));
                  assertThat(r.status()).as(r.body()).isEqualTo(200);
                  assertThat(roles(r)).isEmpty();
                });
          });
    }

    /** REL-04, removal: every key of the user is revoked and the account is gone. */
    @Test
    void removeWhenUserDeletedOnOtherNodeThenKeyAndPasswordRefusedThereWithinOneSecond()
        throws Exception {
      TestServer a = a();
      TestServer b = b();
      runTrials(
          "REL-04 remove (PostgreSQL)",
          i -> {
            JsonNode u = createUser(a, "removed", List.of());
            Auth key = Auth.bearer(u.path("defaultKey").asText());
            Auth password = Auth.basic(u.path("email").asText(), u.path("password").asText());
            return new Trial(
                () -> {
                  boolean keyRefused = refused(b.http().get("/api/v1/me", key));
                  boolean passwordRefused = refused(b.http().get("/api/v1/me", password));
                  return keyRefused && passwordRefused ? Seen.NEW : Seen.OLD;
                },
                () -> {
                  TestHttp.Response r = a.http().delete("/api/v1/users/" + u.path("id").asText(), a.owner());
                  assertThat(r.status()).as(r.body()).isEqualTo(204);
                });
          });
    }

    /** A password reset on A: B refuses the old password within one second, takes the new at once. */
    @Test
    void resetPasswordWhenResetOnOtherNodeThenOldPasswordRefusedThereWithinOneSecondAndNewAccepted()
        throws Exception {
      TestServer a = a();
      TestServer b = b();
      List<String> newPasswords = new CopyOnWriteArrayList<>();
      List<String> emails = new CopyOnWriteArrayList<>();
      runTrials(
          "password reset (PostgreSQL)",
          i -> {
            JsonNode u = createUser(a, "reset", List.of());
            String email = u.path("email").asText();
            Auth old = Auth.basic(email, u.path("password").asText());
            return new Trial(
                () -> refused(b.http().get("/api/v1/me", old)) ? Seen.NEW : Seen.OLD,
                () -> {
                  TestHttp.Response r =
                      a.http().post("/api/v1/users/" + u.path("id").asText() + "/reset-password", a.owner(), null);
                  assertThat(r.status()).as(r.body()).isEqualTo(200);
                  assertThat(r.text("password")).isNotBlank();
                  emails.add(email);
                  newPasswords.add(r.text("password"));
                });
          });
      for (int i = 0; i < emails.size(); i++) {
        TestHttp.Response r = b.http().get("/api/v1/me", Auth.basic(emails.get(i), newPasswords.get(i)));
        assertThat(r.status()).as("new password on B: %s", r.body()).isEqualTo(200);
      }
    }

    /**
     * REL-05. B answers an unknown well-formed key 401 (a negative cache entry, for that digest
     * only) and an unknown email 401; then A creates a key and a user with that email: both work on
     * B at once (a new key has a new digest, so no negative entry can stand in its way), at the
     * latest within one second.
     */
    @Test
    void createWhenOtherNodeJustAnsweredUnknownThenNewKeyAndNewUserWorkThereWithinOneSecond()
        throws Exception {
      TestServer a = a();
      TestServer b = b();
      String unknown = ApiKeyFormat.generate(new SecretGenerator(), Environment.SANDBOX).reveal();
      String email = "late-" + UUID.randomUUID().toString().substring(0, 12) + "@example.com";
      String password = "pw-" + UUID.randomUUID();
      Auth person = Auth.basic(email, password);
      for (int i = 0; i < 3; i++) {
        assertThat(refused(b.http().get("/api/v1/me", Auth.bearer(unknown)))).isTrue();
        assertThat(refused(b.http().get("/api/v1/me", person))).isTrue();
      }

      TestHttp.Response key =
          a.http().post("/api/v1/keys", a.owner(), Map.of("name", "late-" + UUID.randomUUID()));
      assertThat(key.status()).as(key.body()).isEqualTo(201);
      long keyCreated = System.nanoTime();
      long keyDelay = untilAccepted(b.http(), Auth.bearer(key.text("key")), keyCreated);

      TestHttp.Response user =
          a.http()
              .post(
                  "/api/v1/users",
                  a.owner(),
                  Map.of(
                      "email", email, "name", "Late", "programmatic", false, "password", password, "roles",
                      List.of()));
      assertThat(user.status()).as(user.body()).isEqualTo(201);
      long userCreated = System.nanoTime();
      long userDelay = untilAccepted(b.http(), person, userCreated);

      System.out.printf(
          "REL-05 (PostgreSQL): new key accepted on B after %d ms, new user after %d ms%n", keyDelay, userDelay);
      assertThat(refused(b.http().get("/api/v1/me", Auth.bearer(unknown)))).as("still unknown").isTrue();
      assertThat(keyDelay).as("ms until B accepted the key created on A").isLessThan(RULE.toMillis());
      assertThat(userDelay).as("ms until B accepted the user created on A").isLessThan(RULE.toMillis());
    }

    /**
     * REL-11. A key is used once on A and 200 times in a burst on B. Every row write of its
     * last-used time is counted by a trigger added to the test schema: per node at most one per
     * flush interval (not one per request); the last use shows on A within two seconds; and
     * {@code key.first_used} is audited exactly once although both nodes saw the key unused.
     */
    @Test
    void lastUsedWhenKeyUsedInBurstOnBothNodesThenWrittenOncePerFlushAndFirstUseAuditedOnce()
        throws Exception {
      TestServer a = a();
      TestServer b = b();
      String s = schema;
      assertThat(s).isNotNull();
      try (Connection c = TestDatabases.pgConnection(); Statement st = c.createStatement()) {
        st.execute("CREATE TABLE " + s + ".it_last_used_writes (key_id TEXT NOT NULL)");
        st.execute(
            "CREATE FUNCTION " + s + ".it_count_last_used() RETURNS trigger LANGUAGE plpgsql AS $$"
                + " BEGIN INSERT INTO " + s + ".it_last_used_writes (key_id) VALUES (NEW.id); RETURN NULL; END $$");
        st.execute(
            "CREATE TRIGGER it_last_used AFTER UPDATE OF last_used_at ON " + s + ".api_keys"
                + " FOR EACH ROW EXECUTE FUNCTION " + s + ".it_count_last_used()");
      }
      JsonNode u = createUser(a, "used", List.of());
      String keyId = u.path("defaultKeyId").asText();
      Auth key = Auth.bearer(u.path("defaultKey").asText());
      long flushMs = DEFAULTS.lastUsedFlush().toMillis();

      assertThat(b.http().get("/api/v1/keys/" + keyId, b.owner()).json().path("lastUsedAt").isNull())
          .as("never used yet")
          .isTrue();
      assertThat(a.http().get("/api/v1/me", key).status()).isEqualTo(200);
      long burstStart = System.nanoTime();
      List<Instant> sent = new CopyOnWriteArrayList<>();
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<Integer>> statuses = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          statuses.add(
              pool.submit(
                  () -> {
                    int ok = 0;
                    for (int n = 0; n < 25; n++) {
                      sent.add(Instant.now());
                      ok += b.http().get("/api/v1/me", key).status() == 200 ? 1 : 0;
                    }
                    return ok;
                  }));
        }
        int ok = 0;
        for (Future<Integer> f : statuses) {
          ok += f.get();
        }
        assertThat(ok).as("uses answered 200 on B").isEqualTo(200);
      }
      long burstEnd = System.nanoTime();
      long burstMs = (burstEnd - burstStart) / 1_000_000;
      Instant lastUse = sent.stream().max(Instant::compareTo).orElseThrow().truncatedTo(ChronoUnit.MILLIS);

      long seenAfter = -1;
      while ((System.nanoTime() - burstEnd) / 1_000_000 < 3000) {
        JsonNode k = a.http().get("/api/v1/keys/" + keyId, a.owner()).json();
        if (!k.path("lastUsedAt").isNull() && !Instant.parse(k.path("lastUsedAt").asText()).isBefore(lastUse)) {
          seenAfter = (System.nanoTime() - burstEnd) / 1_000_000;
          break;
        }
        Thread.sleep(POLL_MS);
      }
      // Let both nodes run at least one more flush, so every pending use is written.
      Thread.sleep(flushMs + 300);

      int writes;
      try (Connection c = TestDatabases.pgConnection();
          PreparedStatement ps =
              c.prepareStatement("SELECT count(*) FROM " + s + ".it_last_used_writes WHERE key_id = ?")) {
        ps.setString(1, keyId);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).isTrue();
          writes = rs.getInt(1);
        }
      }
      // B: at most one write per flush tick while it had uses pending (during the burst and the tick
      // after it); A: its single use, at most one write.
      long bound = burstMs / flushMs + 2 + 1;
      JsonNode firstUse =
          a.http().get("/api/v1/audit?event=key.first_used&subject=" + keyId, a.owner()).json().path("events");
      System.out.printf(
          "REL-11 (PostgreSQL): 1 use on A + 200 on B in %d ms (flush every %d ms): %d row writes (bound %d),"
              + " last use visible on A %d ms after the burst, key.first_used events: %d%n",
          burstMs, flushMs, writes, bound, seenAfter, firstUse.size());
      assertThat(seenAfter).as("ms after the burst until A showed the last use (-1: never)").isBetween(0L, 2000L);
      assertThat(writes).as("last-used row writes for 201 uses on two nodes").isBetween(1, (int) bound);
      assertThat(writes).as("row writes against 201 uses: batched, not per request").isLessThan(201 / 10);
      assertThat(firstUse.size()).as("key.first_used events: %s", firstUse).isEqualTo(1);
      assertThat(firstUse.get(0).path("actorId").asText()).isEqualTo(u.path("id").asText());
    }
  }

  @Nested
  class OnSqlite {
    /** REL-04 over one SQLite file: two servers on the same data folder. */
    @Test
    void revokeWhenTwoNodesShareOneSqliteFileThenRefusedOnOtherNodeWithinOneSecond() throws Exception {
      try (TestServer a = TestServer.start(MultiNodeIT::node);
          TestServer b = TestServer.startIn(a.dataDir(), MultiNodeIT::node)) {
        assertThat(b.server().bootstrap()).as("node B found tenant default and did nothing").isEmpty();
        revocationTrials("REL-04 revoke (SQLite)", a, b);
      }
    }
  }

  // ---------------------------------------------------------------- trials

  /** What B answered: the way before the change, or the way after it. */
  enum Seen {
    OLD,
    NEW
  }

  /** Asks B once; fails on an answer that is neither the old nor the new one. */
  interface Probe {
    Seen probe();
  }

  /** One trial: how to ask B, and the change to make on A. */
  record Trial(Probe onB, Runnable changeOnA) {}

  /** One answer of B, with when it was sent and received (System.nanoTime). */
  record Poll(long sent, long received, Seen seen) {}

  /** The outcome of a trial, in ms from A's answer to the change. */
  record Result(int offsetMs, long staleMs, long firstMs) {}

  static void revocationTrials(String label, TestServer a, TestServer b) throws Exception {
    runTrials(
        label,
        i -> {
          TestHttp.Response created =
              a.http().post("/api/v1/keys", a.owner(), Map.of("name", "revoked-" + UUID.randomUUID()));
          assertThat(created.status()).as(created.body()).isEqualTo(201);
          Auth key = Auth.bearer(created.text("key"));
          String id = created.text("id");
          return new Trial(
              () -> refused(b.http().get("/api/v1/me", key)) ? Seen.NEW : Seen.OLD,
              () -> {
                TestHttp.Response r = a.http().post("/api/v1/keys/" + id + "/revoke", a.owner(), null);
                assertThat(r.status()).as(r.body()).isEqualTo(200);
              });
        });
  }

  /** Runs {@link #TRIALS} trials side by side, prints the worst, and asserts the bounds. */
  static List<Result> runTrials(String label, IntFunction<Trial> setUp) throws Exception {
    List<Result> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Result>> futures = new ArrayList<>();
      for (int i = 0; i < TRIALS; i++) {
        int offset = (int) (RULE.toMillis() * i / TRIALS);
        int n = i;
        futures.add(pool.submit(() -> measure(setUp.apply(n), offset)));
      }
      for (Future<Result> f : futures) {
        try {
          results.add(f.get());
        } catch (ExecutionException e) {
          if (e.getCause() instanceof AssertionError ae) {
            throw ae;
          }
          throw e;
        }
      }
    }
    long maxStale = results.stream().mapToLong(Result::staleMs).max().orElseThrow();
    long maxFirst = results.stream().mapToLong(Result::firstMs).max().orElseThrow();
    System.out.printf(
        "%s: %d trials; last old answer to a request sent ≤ %d ms, first new answer ≤ %d ms after A's answer"
            + " (rule %d ms); per trial (offset: stale/first): %s%n",
        label,
        results.size(),
        maxStale,
        maxFirst,
        RULE.toMillis(),
        results.stream().map(r -> r.offsetMs() + ":" + r.staleMs() + "/" + r.firstMs()).toList());
    for (Result r : results) {
      assertThat(r.staleMs())
          .as("%s, offset %d ms: B answered the old way to a request sent %d ms after A's answer",
              label, r.offsetMs(), r.staleMs())
          .isLessThan(RULE.toMillis());
      assertThat(r.firstMs())
          .as("%s, offset %d ms: ms until B's first new answer", label, r.offsetMs())
          .isLessThanOrEqualTo(FIRST_BOUND_MS);
    }
    return results;
  }

  /**
   * Polls B every {@link #POLL_MS} from the first old-way answer on; {@code offsetMs} after that
   * answer makes the change on A; stops after B's first new-way answer and {@link
   * #CONFIRMING_POLLS} more, or three seconds after the change.
   */
  static Result measure(Trial trial, int offsetMs) throws InterruptedException {
    List<Poll> polls = new ArrayList<>();
    long first = System.nanoTime();
    Seen warm = trial.onB().probe();
    polls.add(new Poll(first, System.nanoTime(), warm));
    assertThat(warm).as("B answers the old way before the change (and so has it cached)").isEqualTo(Seen.OLD);

    AtomicBoolean stop = new AtomicBoolean();
    List<Poll> shared = new CopyOnWriteArrayList<>();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    Thread poller =
        Thread.ofVirtual()
            .start(
                () -> {
                  long tick = first;
                  int newAnswers = 0;
                  while (!stop.get() && newAnswers <= CONFIRMING_POLLS) {
                    tick += POLL_MS * 1_000_000;
                    long wait = tick - System.nanoTime();
                    if (wait > 0) {
                      try {
                        Thread.sleep(Duration.ofNanos(wait));
                      } catch (InterruptedException e) {
                        return;
                      }
                    }
                    long sent = System.nanoTime();
                    Seen seen;
                    try {
                      seen = trial.onB().probe();
                    } catch (RuntimeException | AssertionError e) {
                      failures.add(e);
                      return;
                    }
                    shared.add(new Poll(sent, System.nanoTime(), seen));
                    if (seen == Seen.NEW) {
                      newAnswers++;
                    }
                  }
                });

    long changeAt = first + offsetMs * 1_000_000L;
    long wait = changeAt - System.nanoTime();
    if (wait > 0) {
      Thread.sleep(Duration.ofNanos(wait));
    }
    try {
      trial.changeOnA().run();
    } catch (RuntimeException | AssertionError e) {
      stop.set(true);
      poller.join();
      throw e;
    }
    long changed = System.nanoTime();
    poller.join(Duration.ofSeconds(3));
    stop.set(true);
    poller.join();
    if (!failures.isEmpty()) {
      throw new AssertionError("unexpected answer from B", failures.get(0));
    }
    polls.addAll(shared);

    Poll firstNew = polls.stream().filter(p -> p.seen() == Seen.NEW).findFirst().orElse(null);
    assertThat(firstNew)
        .as("B never answered the new way within 3 s of the change on A (polls: %d)", polls.size())
        .isNotNull();
    for (Poll p : polls) {
      if (p.seen() == Seen.OLD) {
        assertThat(p.sent())
            .as("B answered the old way again after it had answered the new way")
            .isLessThan(firstNew.received());
      }
    }
    long stale =
        polls.stream().filter(p -> p.seen() == Seen.OLD).mapToLong(p -> p.sent() - changed).max().orElseThrow();
    return new Result(offsetMs, stale / 1_000_000, (firstNew.received() - changed) / 1_000_000);
  }

  // ---------------------------------------------------------------- helpers

  /** A programmatic user made on A (with a generated password and a default key). */
  static JsonNode createUser(TestServer a, String prefix, List<String> roles) {
    String email = prefix + "-" + UUID.randomUUID().toString().substring(0, 12) + "@example.com";
    TestHttp.Response r =
        a.http()
            .post(
                "/api/v1/users",
                a.owner(),
                Map.of("email", email, "name", "Node test", "programmatic", true, "roles", roles));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    assertThat(r.text("password")).isNotBlank();
    return r.json();
  }

  static TestHttp.Response me(TestHttp http, Auth auth) {
    TestHttp.Response r = http.get("/api/v1/me", auth);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r;
  }

  static List<String> roles(TestHttp.Response r) {
    List<String> out = new ArrayList<>();
    r.json().path("roles").forEach(n -> out.add(n.asText()));
    return out;
  }

  /** True on the one refusal (401 invalid_credentials), false on 200, a failure on anything else. */
  static boolean refused(TestHttp.Response r) {
    if (r.status() == 200) {
      return false;
    }
    assertThat(r.status()).as(r.body()).isEqualTo(401);
    assertThat(r.error()).isEqualTo("invalid_credentials");
    return true;
  }

  /** Polls B until it accepts {@code auth}; ms from {@code since}; fails after three seconds. */
  static long untilAccepted(TestHttp b, Auth auth, long since) throws InterruptedException {
    while (true) {
      boolean accepted = !refused(b.get("/api/v1/me", auth));
      long elapsed = (System.nanoTime() - since) / 1_000_000;
      if (accepted) {
        return elapsed;
      }
      assertThat(elapsed).as("ms waiting for B to accept a credential created on A").isLessThan(3000);
      Thread.sleep(POLL_MS);
    }
  }
}
