package dev.keyward.server.api;

import static dev.keyward.server.api.Fixtures.JSON_TYPE;
import static dev.keyward.server.api.Fixtures.assertError;
import static dev.keyward.server.api.Fixtures.fields;
import static dev.keyward.server.api.Fixtures.set;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyward.server.api.Fixtures.NewKey;
import dev.keyward.server.api.Fixtures.NewUser;
import dev.keyward.server.testing.TestHttp;
import dev.keyward.server.testing.TestHttp.Auth;
import dev.keyward.server.testing.TestServer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@code GET /api/v1/audit}: credential events with actor, subject, time and IP (ASVS-19); filters; admins only. */
class AuditIT {
  static final String WRONG_PASSWORD = "Tr0ub4dor&3-guess";

  static TestServer server;
  static TestHttp http;
  static Auth owner;
  static String ownerId;
  static Instant start;

  static NewUser user;
  static String resetPassword;
  static NewKey revokedKey;
  static NewUser removed;

  @BeforeAll
  static void setUp() throws Exception {
    server = TestServer.start();
    http = server.http();
    owner = server.owner();
    ownerId = Fixtures.me(http, owner);
    start = Instant.now().minusSeconds(1);

    user = Fixtures.programmatic(http, owner);
    assertThat(http.get("/api/v1/me", user.key()).status()).isEqualTo(200);
    TestHttp.Response reset = http.post("/api/v1/users/" + user.id() + "/reset-password", owner, null);
    assertThat(reset.status()).isEqualTo(200);
    resetPassword = reset.text("password");
    revokedKey = Fixtures.key(http, owner, Map.of("name", "to-revoke", "userId", user.id(), "environment", "production"));
    assertThat(http.post("/api/v1/keys/" + revokedKey.id() + "/revoke", owner, null).status()).isEqualTo(200);
    assertThat(http.get("/api/v1/me", Auth.basic(user.email(), WRONG_PASSWORD)).status()).isEqualTo(401);
    removed = Fixtures.programmatic(http, owner);
    assertThat(http.delete("/api/v1/users/" + removed.id(), owner).status()).isEqualTo(204);
    Fixtures.eventually(5000, () -> find("key.first_used", user.defaultKeyId()).isPresent());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static List<JsonNode> events(String query) {
    TestHttp.Response r = http.get("/api/v1/audit" + query, owner);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return Fixtures.items(r.json().path("events"));
  }

  static Optional<JsonNode> find(String event, String subjectId) {
    return events("?limit=1000").stream()
        .filter(e -> e.path("event").asText().equals(event) && e.path("subjectId").asText().equals(subjectId))
        .findFirst();
  }

  static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Nested
  class Ok {
    @Test
    void auditWhenCredentialsChangedThenEachEventHasActorSubjectTimeAndIp() {
      Object[][] expected = {
          {"user.created", user.id(), "user", ownerId},
          {"key.created", user.defaultKeyId(), "key", ownerId},
          {"user.password_reset", user.id(), "user", ownerId},
          {"key.created", revokedKey.id(), "key", ownerId},
          {"key.revoked", revokedKey.id(), "key", ownerId},
          {"user.removed", removed.id(), "user", ownerId},
          {"key.first_used", user.defaultKeyId(), "key", user.id()},
      };
      for (Object[] x : expected) {
        String what = x[0] + " of " + x[1];
        JsonNode e = find((String) x[0], (String) x[1]).orElseThrow(() -> new AssertionError("no audit event " + what));
        assertThat(fields(e)).isEqualTo(set("id", "event", "at", "actorId", "subjectType", "subjectId", "ip", "detail"));
        assertThat(e.path("id").asText()).matches("evt_[0-9A-Za-z]{22}");
        assertThat(e.path("subjectType").asText()).as(what).isEqualTo(x[2]);
        assertThat(e.path("actorId").asText()).as("actor of %s", what).isEqualTo(x[3]);
        assertThat(e.path("ip").asText()).as("ip of %s", what).isEqualTo("127.0.0.1");
        assertThat(e.path("at").asText()).as(what).endsWith("Z");
        assertThat(Instant.parse(e.path("at").asText())).as(what).isBetween(start, Instant.now().plusSeconds(1));
      }
    }

    @Test
    void auditWhenWrongPasswordOfKnownUserThenAuthFailedWithSubjectIpAndNoSecret() {
      JsonNode e = find("auth.failed", user.id()).orElseThrow(() -> new AssertionError("no auth.failed event"));
      assertThat(e.path("subjectType").asText()).isEqualTo("user");
      assertThat(e.path("ip").asText()).isEqualTo("127.0.0.1");
      assertThat(e.path("actorId").isNull()).as("the caller was not identified: no actor").isTrue();
      assertThat(Instant.parse(e.path("at").asText())).isBetween(start, Instant.now().plusSeconds(1));
      String body = http.get("/api/v1/audit?limit=1000", owner).body();
      assertThat(body).doesNotContain(WRONG_PASSWORD).doesNotContain(user.password()).doesNotContain(resetPassword)
          .doesNotContain(user.defaultKey()).doesNotContain(revokedKey.key());
    }

    @Test
    void auditWhenListedThenNewestFirstAsJson() {
      TestHttp.Response r = http.get("/api/v1/audit", owner);
      assertThat(r.header("content-type")).isEqualTo(JSON_TYPE);
      List<JsonNode> all = Fixtures.items(r.json().path("events"));
      assertThat(all).hasSizeGreaterThan(8);
      for (int i = 1; i < all.size(); i++) {
        assertThat(Instant.parse(all.get(i - 1).path("at").asText())).isAfterOrEqualTo(Instant.parse(all.get(i).path("at").asText()));
      }
    }

    @Test
    void filtersWhenEventActorOrSubjectGivenThenOnlyMatchingEvents() {
      List<JsonNode> revoked = events("?event=key.revoked");
      assertThat(revoked).isNotEmpty().allSatisfy(e -> assertThat(e.path("event").asText()).isEqualTo("key.revoked"));
      assertThat(revoked).anySatisfy(e -> assertThat(e.path("subjectId").asText()).isEqualTo(revokedKey.id()));

      List<JsonNode> byOwner = events("?actor=" + ownerId + "&limit=1000");
      assertThat(byOwner).hasSizeGreaterThanOrEqualTo(6).allSatisfy(e -> assertThat(e.path("actorId").asText()).isEqualTo(ownerId));
      assertThat(events("?limit=1000").size()).isGreaterThan(byOwner.size());

      List<JsonNode> aboutUser = events("?subject=" + user.id());
      assertThat(aboutUser).allSatisfy(e -> assertThat(e.path("subjectId").asText()).isEqualTo(user.id()));
      assertThat(aboutUser.stream().map(e -> e.path("event").asText()))
          .contains("user.created", "user.password_reset", "auth.failed");

      List<JsonNode> combined = events("?event=key.created&actor=" + ownerId + "&subject=" + revokedKey.id());
      assertThat(combined).hasSize(1);
      assertThat(events("?event=no.such.event")).isEmpty();
    }

    @Test
    void filtersWhenSinceUntilOrLimitGivenThenWindowAndCountRespected() {
      JsonNode reset = find("user.password_reset", user.id()).orElseThrow();
      String at = reset.path("at").asText();
      List<JsonNode> since = events("?since=" + q(at) + "&limit=1000");
      assertThat(since).anySatisfy(e -> assertThat(e.path("id").asText()).isEqualTo(reset.path("id").asText()));
      assertThat(since).allSatisfy(e -> assertThat(Instant.parse(e.path("at").asText())).isAfterOrEqualTo(Instant.parse(at)));
      assertThat(since).noneMatch(e -> e.path("event").asText().equals("user.created") && e.path("subjectId").asText().equals(user.id()));
      List<JsonNode> until = events("?until=" + q(at) + "&limit=1000");
      assertThat(until).noneSatisfy(e -> assertThat(e.path("id").asText()).isEqualTo(reset.path("id").asText()));
      assertThat(until).allSatisfy(e -> assertThat(Instant.parse(e.path("at").asText())).isBefore(Instant.parse(at)));
      assertThat(until).anySatisfy(e -> assertThat(e.path("subjectId").asText()).isEqualTo(user.id()));
      Instant after = Instant.parse(at).plusMillis(1);
      List<JsonNode> window = events("?since=" + q(at) + "&until=" + q(after.toString()) + "&subject=" + user.id());
      assertThat(window).extracting(e -> e.path("event").asText()).contains("user.password_reset");
      assertThat(events("?since=2999-01-01T00:00:00Z")).isEmpty();

      List<JsonNode> all = events("?limit=1000");
      List<JsonNode> two = events("?limit=2");
      assertThat(two).hasSize(2);
      assertThat(two).isEqualTo(all.subList(0, 2));
      assertThat(events("?limit=1")).hasSize(1);
    }
  }

  @Nested
  class BadRequest {
    @Test
    void auditWhenParametersInvalidThen400NamingTheParameter() {
      String[][] cases = {
          {"?limit=0", "limit"}, {"?limit=5000", "limit"}, {"?limit=abc", "limit"}, {"?limit=-1", "limit"},
          {"?limit=1e9", "limit"}, {"?limit=99999999999999999999", "limit"}, {"?limit=", "limit"},
          {"?since=garbage", "since"}, {"?until=yesterday", "until"}, {"?since=2026-13-01T00:00:00Z", "since"},
          {"?since=2030-01-02T00:00:00Z&until=2030-01-01T00:00:00Z", "since"},
      };
      for (String[] c : cases) {
        TestHttp.Response r = http.get("/api/v1/audit" + c[0], owner);
        assertError(r, 400, "invalid_request");
        assertThat(r.json().path("field").asText()).as(c[0]).isEqualTo(c[1]);
      }
      for (String unknown : new String[] {"foo", "Limit", "actorId"}) {
        TestHttp.Response r = http.get("/api/v1/audit?" + unknown + "=1", owner);
        assertError(r, 400, "invalid_request");
        assertThat(r.text("message")).contains("Unknown query parameter").contains("'" + unknown + "'").contains("limit");
      }
    }

    @Test
    void auditWhenCredentialInQueryThen400() {
      assertError(http.get("/api/v1/audit?api_key=" + user.defaultKey(), owner), 400, "invalid_request");
    }
  }

  @Nested
  class Forbidden {
    @Test
    void auditWhenNotAdminThen403SayingWhy() {
      TestHttp.Response byPassword = http.get("/api/v1/audit", Auth.basic(user.email(), resetPassword));
      assertError(byPassword, 403, "forbidden");
      assertThat(byPassword.text("message")).contains("owner or admin role");
      NewKey ownersKey = Fixtures.key(http, owner, Map.of("name", "not-admin"));
      TestHttp.Response byKey = http.get("/api/v1/audit", ownersKey.bearer());
      assertError(byKey, 403, "forbidden");
      assertThat(byKey.text("message")).contains("admin key");
      assertThat(http.get("/api/v1/audit", Fixtures.adminKey(http, owner).bearer()).status()).isEqualTo(200);
    }

    @Test
    void auditWhenAnonymousThen401() {
      assertError(http.get("/api/v1/audit", Auth.NONE), 401, "unauthenticated");
    }
  }
}
