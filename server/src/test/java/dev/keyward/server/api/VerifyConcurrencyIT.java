package dev.keyward.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyward.server.api.Fixtures.NewKey;
import dev.keyward.server.api.Fixtures.NewUser;
import dev.keyward.server.testing.TestHttp;
import dev.keyward.server.testing.TestHttp.Auth;
import dev.keyward.server.testing.TestServer;
import dev.keyward.store.TestDatabases;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Rate limits and quotas under concurrency, through {@code POST /api/v1/verify}: {@value #CALLERS}
 * verifications released at the same instant, {@value #ROUNDS} rounds in a row, never admit more
 * than the key allows, nor fewer. Each admitted call reports a different number of uses or calls
 * left, so no two calls were counted as one. The quota lives in the store (one atomic decrement per
 * call), so it runs on SQLite and on PostgreSQL; without a PostgreSQL the {@link OnPostgres} tests
 * are skipped with a visible line, unless {@code CI} is set, where they fail.
 */
class VerifyConcurrencyIT {
  static final int CALLERS = 32;
  static final int ROUNDS = 4;
  /** Not a multiple of {@link #CALLERS}: the last use is taken in the middle of a round. */
  static final int QUOTA = 50;
  static final int LIMIT = 40;

  /** A server with the algorithm-hosting routes and a credential allowed to verify. */
  record Verifier(TestServer server, Auth credential) {
    static Verifier on(TestServer server) {
      TestHttp http = server.http();
      TestHttp.Response role = http.post("/api/v1/roles", server.owner(),
          Map.of("name", "verifier", "permissions", List.of("keyward:verify")));
      assertThat(role.status()).as(role.body()).isEqualTo(201);
      return new Verifier(server, Fixtures.programmatic(http, server.owner(), "verifier").key());
    }

    NewKey key(Map<String, ?> options) {
      NewUser consumer = Fixtures.programmatic(server.http(), server.owner(), "consumer");
      Map<String, Object> body = new java.util.HashMap<>(options);
      body.put("name", "concurrent-" + UUID.randomUUID());
      return Fixtures.key(server.http(), consumer.basic(), body);
    }

    /** {@link #ROUNDS} rounds of {@link #CALLERS} simultaneous verifications of {@code key}; every answer is a 200. */
    List<JsonNode> hammer(NewKey key, String endpoint) throws Exception {
      List<JsonNode> answers = new ArrayList<>();
      Map<String, String> body = Map.of("credential", key.key(), "method", "GET", "path", "/v1/algo");
      for (int round = 0; round < ROUNDS; round++) {
        Map<Integer, List<TestHttp.Response>> byStatus =
            Fixtures.parallel(CALLERS, () -> server.http().post(endpoint, credential, body));
        assertThat(byStatus.keySet()).as("statuses of round %d: %s", round, byStatus).containsExactly(200);
        byStatus.get(200).forEach(r -> answers.add(r.json()));
      }
      return answers;
    }

    JsonNode explain(NewKey key) {
      TestHttp.Response r = server.http().post("/api/v1/verify/explain", credential,
          Map.of("credential", key.key(), "method", "GET", "path", "/v1/algo"));
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      return r.json();
    }

    long storedQuota(NewKey key) {
      return server.http().get("/api/v1/keys/" + key.id(), server.owner()).json().path("quotaRemaining").asLong();
    }
  }

  static List<JsonNode> withCode(List<JsonNode> answers, String code) {
    return answers.stream().filter(a -> a.path("code").asText().equals(code)).toList();
  }

  /** Exactly {@link #QUOTA} admitted, each with another count of uses left, the rest refused, none left. */
  static void quotaWhenHammeredThenExactlyTheQuotaAdmitted(Verifier v, String store) throws Exception {
    NewKey key = v.key(Map.of("quota", QUOTA));
    long start = System.nanoTime();
    List<JsonNode> answers = v.hammer(key, "/api/v1/verify");
    long ms = (System.nanoTime() - start) / 1_000_000;
    List<JsonNode> valid = withCode(answers, "VALID");
    System.out.printf("quota %d (%s): %d verifications in %d ms, %d VALID%n", QUOTA, store, answers.size(), ms, valid.size());
    assertThat(valid).as("admitted with a quota of %d", QUOTA).hasSize(QUOTA);
    assertThat(valid.stream().map(a -> a.path("quota").asLong()).toList())
        .as("uses left, one answer each").containsExactlyInAnyOrderElementsOf(LongStream.range(0, QUOTA).boxed().toList());
    assertThat(withCode(answers, "QUOTA_EXCEEDED")).hasSize(CALLERS * ROUNDS - QUOTA);
    assertThat(v.storedQuota(key)).isZero();
  }

  /** Exactly {@link #LIMIT} admitted in the window, each with another count of calls left. */
  static void rateLimitWhenHammeredThenExactlyTheLimitAdmitted(Verifier v, String store) throws Exception {
    NewKey key = v.key(Map.of("rateLimit", Map.of("limit", LIMIT, "periodSeconds", 60)));
    List<JsonNode> answers = v.hammer(key, "/api/v1/verify");
    List<JsonNode> valid = withCode(answers, "VALID");
    System.out.printf("rate limit %d/60 s (%s): %d verifications, %d VALID%n", LIMIT, store, answers.size(), valid.size());
    assertThat(valid).as("admitted under a limit of %d per 60 s", LIMIT).hasSize(LIMIT);
    assertThat(valid.stream().map(a -> a.path("ratelimit").path("remaining").asLong()).toList())
        .containsExactlyInAnyOrderElementsOf(LongStream.range(0, LIMIT).boxed().toList());
    List<JsonNode> limited = withCode(answers, "RATE_LIMITED");
    assertThat(limited).hasSize(CALLERS * ROUNDS - LIMIT);
    assertThat(limited).allMatch(a -> a.path("ratelimit").path("remaining").asLong() == 0);
  }

  /**
   * Both at once, each the tighter in turn: calls refused by the rate limit take no use of the
   * quota, and calls refused by the quota give their rate-limit call back.
   */
  static void bothWhenHammeredThenTheTighterDecidesAndRefusalsConsumeNothing(Verifier v) throws Exception {
    NewKey rateBound = v.key(Map.of("quota", QUOTA, "rateLimit", Map.of("limit", 30, "periodSeconds", 60)));
    assertThat(withCode(v.hammer(rateBound, "/api/v1/verify"), "VALID")).hasSize(30);
    assertThat(v.storedQuota(rateBound)).as("rate-limited calls took no use").isEqualTo(QUOTA - 30);

    NewKey quotaBound = v.key(Map.of("quota", 20, "rateLimit", Map.of("limit", 100, "periodSeconds", 60)));
    assertThat(withCode(v.hammer(quotaBound, "/api/v1/verify"), "VALID")).hasSize(20);
    JsonNode after = v.explain(quotaBound);
    assertThat(after.path("code").asText()).isEqualTo("QUOTA_EXCEEDED");
    assertThat(after.path("ratelimit").path("remaining").asLong()).as("calls refused for the quota were given back").isEqualTo(80);
  }

  /** Explanations, however many and however simultaneous, consume nothing. */
  static void explainWhenHammeredThenNothingConsumed(Verifier v) throws Exception {
    NewKey key = v.key(Map.of("quota", 3, "rateLimit", Map.of("limit", 3, "periodSeconds", 60)));
    List<JsonNode> explained = v.hammer(key, "/api/v1/verify/explain");
    assertThat(explained).allMatch(a -> a.path("code").asText().equals("VALID"));
    assertThat(v.storedQuota(key)).isEqualTo(3);
    assertThat(withCode(v.hammer(key, "/api/v1/verify"), "VALID")).hasSize(3);
  }

  @Nested
  class OnSqlite {
    static @Nullable Verifier v;

    @BeforeAll
    static void start() {
      v = Verifier.on(TestServer.start(c -> c.withRoutes(VerifyIT.ROUTES)));
    }

    @AfterAll
    static void stop() {
      if (v != null) {
        v.server().close();
      }
    }

    static Verifier v() {
      assertThat(v).isNotNull();
      return v;
    }

    @Test
    void quotaWhenConcurrentVerificationsThenExactlyTheQuotaValid() throws Exception {
      quotaWhenHammeredThenExactlyTheQuotaAdmitted(v(), "SQLite");
    }

    @Test
    void rateLimitWhenConcurrentVerificationsThenExactlyTheLimitValid() throws Exception {
      rateLimitWhenHammeredThenExactlyTheLimitAdmitted(v(), "SQLite");
    }

    @Test
    void quotaAndRateLimitWhenConcurrentThenTheTighterDecidesAndRefusalsConsumeNothing() throws Exception {
      bothWhenHammeredThenTheTighterDecidesAndRefusalsConsumeNothing(v());
    }

    @Test
    void explainWhenConcurrentThenNothingConsumed() throws Exception {
      explainWhenHammeredThenNothingConsumed(v());
    }
  }

  @Nested
  class OnPostgres {
    static @Nullable String schema;
    static @Nullable Verifier v;

    @BeforeAll
    static void start() {
      TestDatabases.requirePostgres();
      String s = TestDatabases.SCHEMA_PREFIX + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
      schema = s;
      String user = System.getenv("KEYWARD_TEST_PG_USER");
      String pgUser = user == null || user.isBlank() ? "postgres" : user;
      v = Verifier.on(TestServer.start(c -> c.withRoutes(VerifyIT.ROUTES).withDatabase(TestDatabases.PG_URL, pgUser, null, s)));
    }

    @AfterAll
    static void stop() {
      try {
        if (v != null) {
          v.server().close();
        }
      } finally {
        if (schema != null) {
          TestDatabases.dropSchema(schema);
        }
      }
    }

    static Verifier v() {
      assertThat(v).isNotNull();
      return v;
    }

    @Test
    void quotaWhenConcurrentVerificationsThenExactlyTheQuotaValid() throws Exception {
      quotaWhenHammeredThenExactlyTheQuotaAdmitted(v(), "PostgreSQL");
    }

    @Test
    void rateLimitWhenConcurrentVerificationsThenExactlyTheLimitValid() throws Exception {
      rateLimitWhenHammeredThenExactlyTheLimitAdmitted(v(), "PostgreSQL");
    }

    @Test
    void quotaAndRateLimitWhenConcurrentThenTheTighterDecidesAndRefusalsConsumeNothing() throws Exception {
      bothWhenHammeredThenTheTighterDecidesAndRefusalsConsumeNothing(v());
    }
  }
}
