package dev.keyward.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyward.server.testing.TestHttp;
import dev.keyward.server.testing.TestHttp.Auth;
import dev.keyward.server.testing.TestServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What a spent refresh token presented again does (RFC 9700 §4.14; SECURITY-TESTS RT-01, RT-02,
 * BCP-02): the optional reuse leeway (off by default) for clients that retry after a lost answer,
 * and the race window (default 2 s; 0 = strict) within which it is taken for a concurrent refresh
 * and only refused. With real concurrency: 20 refreshes of one token at once.
 */
class RefreshLeewayIT {
  static TestHttp.Response refresh(TestHttp http, String refreshToken) {
    return http.post("/auth/refresh", Auth.NONE, Map.of("refreshToken", refreshToken));
  }

  /** A fresh login of a new programmatic user: its id and first refresh token. */
  record Login(String userId, String refreshToken) {}

  static Login login(TestServer server) {
    Fixtures.NewUser bot = Fixtures.programmatic(server.http(), server.owner(), "admin");
    TestHttp.Response r = server.http().post("/auth/api-key", Auth.NONE, Map.of("apiKey", bot.defaultKey()));
    assertThat(r.status()).as("%s", r).isEqualTo(200);
    return new Login(bot.id(), r.text("refresh_token"));
  }

  static int refreshTokenRows(TestServer server, String userId) throws SQLException {
    try (Connection c = server.server().services().database().dataSource().getConnection();
        PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM refresh_tokens WHERE user_id = ?")) {
      s.setString(1, userId);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  static void assertInvalidGrant(TestHttp.Response r) {
    assertThat(r.status()).as("%s", r).isEqualTo(400);
    assertThat(r.header("content-type")).isEqualTo(Fixtures.JSON_TYPE);
    assertThat(r.header("cache-control")).isEqualTo("no-store");
    assertThat(Fixtures.fields(r.json())).isEqualTo(Fixtures.set("error", "error_description", "request_id"));
    assertThat(r.error()).isEqualTo("invalid_grant");
    assertThat(r.text("error_description")).isEqualTo("The refresh token is invalid, expired or revoked");
  }

  /**
   * RT-02: 20 concurrent refreshes of one token; exactly one wins and one child token is stored.
   * Returns the winner's answer.
   */
  static TestHttp.Response race(TestServer server, Login login) throws Exception {
    Map<Integer, List<TestHttp.Response>> byStatus = Fixtures.parallel(20, () -> refresh(server.http(), login.refreshToken()));
    assertThat(byStatus.keySet()).as("statuses").containsExactlyInAnyOrder(200, 400);
    assertThat(byStatus.get(200)).hasSize(1);
    assertThat(byStatus.get(400)).hasSize(19).allSatisfy(RefreshLeewayIT::assertInvalidGrant);
    assertThat(refreshTokenRows(server, login.userId())).as("the first token and one child").isEqualTo(2);
    return byStatus.get(200).get(0);
  }

  /** Strict (race window 0): every loser counts as reuse, so the winner's new tokens die with the family. */
  static void assertStrictRace(TestServer server) throws Exception {
    Login login = login(server);
    TestHttp.Response winner = race(server, login);
    assertThat(winner.text("refresh_token")).startsWith("kwr_");
    assertInvalidGrant(refresh(server.http(), winner.text("refresh_token")));
    String access = winner.text("access_token");
    Fixtures.eventually(1_000, () -> server.http().get("/api/v1/me", Auth.bearer(access)).status() == 401);
    JsonNode reused = server.http().get("/api/v1/audit?event=token.refresh_reused&subject=" + login.userId(), server.owner())
        .json().path("events");
    assertThat(reused.size()).as("reuse audited").isPositive();
    assertThat(reused.get(0).path("detail").asText()).isEqualTo("family revoked");
  }

  @Test
  void refreshWhenReusedWithinLeewayThenNewPairAndFamilyKept() {
    try (TestServer server = TestServer.start(c -> c.withTokens(c.tokens().withReuseLeeway(Duration.ofSeconds(30))))) {
      TestHttp http = server.http();
      String key = http.post("/api/v1/keys", server.owner(), Map.of("name", "leeway")).text("key");
      String first = http.post("/auth/api-key", Auth.NONE, Map.of("apiKey", key)).text("refresh_token");
      TestHttp.Response a = refresh(http, first);
      TestHttp.Response retry = refresh(http, first);
      assertThat(a.status()).isEqualTo(200);
      assertThat(retry.status()).as("a retry within the leeway gets a new pair").isEqualTo(200);
      assertThat(retry.text("refresh_token")).isNotEqualTo(a.text("refresh_token"));
      assertThat(refresh(http, a.text("refresh_token")).status()).as("the family stays good").isEqualTo(200);
      assertThat(http.get("/api/v1/me", Auth.bearer(retry.text("access_token"))).status()).isEqualTo(200);
    }
  }

  @Test
  void refreshWhenReusedAfterTheRaceWindowWithoutLeewayThenFamilyRevoked() throws Exception {
    try (TestServer server = TestServer.start()) {
      TestHttp http = server.http();
      String key = http.post("/api/v1/keys", server.owner(), Map.of("name", "strict")).text("key");
      String first = http.post("/auth/api-key", Auth.NONE, Map.of("apiKey", key)).text("refresh_token");
      TestHttp.Response a = refresh(http, first);
      assertThat(a.status()).isEqualTo(200);
      Thread.sleep(2_200); // past the 2 s concurrent-retry window
      assertThat(refresh(http, first).status()).isEqualTo(400);
      assertThat(refresh(http, a.text("refresh_token")).status()).as("the whole family is revoked").isEqualTo(400);
    }
  }

  @Test
  void refreshWhen20ConcurrentWithDefaultRaceWindowThenOneWinsAndItsTokensStayGood() throws Exception {
    try (TestServer server = TestServer.start()) {
      Login login = login(server);
      TestHttp.Response winner = race(server, login);
      // The losers were concurrent retries, not theft: the family is kept.
      assertThat(server.http().get("/api/v1/me", Auth.bearer(winner.text("access_token"))).status()).isEqualTo(200);
      assertThat(refresh(server.http(), winner.text("refresh_token")).status()).isEqualTo(200);
      assertThat(server.http().get("/api/v1/audit?event=token.refresh_reused&subject=" + login.userId(), server.owner())
          .json().path("events").size()).isZero();
    }
  }

  @Test
  void refreshWhen20ConcurrentWithRaceWindowZeroThenOneWinsAndTheFamilyIsRevoked() throws Exception {
    try (TestServer server = TestServer.start(c -> c.withTokens(c.tokens().withRaceWindow(Duration.ZERO)))) {
      assertStrictRace(server);
    }
  }

  @Test
  void refreshWhenSpentTokenPresentedAgainAtOnceThenKeptWithinTheWindowAndRevokedWhenStrict() {
    try (TestServer server = TestServer.start()) {
      Login login = login(server);
      TestHttp.Response a = refresh(server.http(), login.refreshToken());
      assertInvalidGrant(refresh(server.http(), login.refreshToken()));
      assertThat(refresh(server.http(), a.text("refresh_token")).status()).as("within 2 s: family kept").isEqualTo(200);
    }
    try (TestServer server = TestServer.start(c -> c.withTokens(c.tokens().withRaceWindow(Duration.ZERO)))) {
      Login login = login(server);
      TestHttp.Response a = refresh(server.http(), login.refreshToken());
      assertInvalidGrant(refresh(server.http(), login.refreshToken()));
      assertInvalidGrant(refresh(server.http(), a.text("refresh_token")));
      assertThat(server.http().get("/api/v1/me", Auth.bearer(a.text("access_token"))).status()).isEqualTo(401);
    }
  }

  @Test
  void refreshWhenRaceWindowLongerThanDefaultThenALaterReuseIsStillOnlyRefused() throws Exception {
    try (TestServer server = TestServer.start(c -> c.withTokens(c.tokens().withRaceWindow(Duration.ofSeconds(10))))) {
      Login login = login(server);
      TestHttp.Response a = refresh(server.http(), login.refreshToken());
      Thread.sleep(2_300); // past the default window, within the configured one
      assertInvalidGrant(refresh(server.http(), login.refreshToken()));
      assertThat(refresh(server.http(), a.text("refresh_token")).status()).as("family kept").isEqualTo(200);
    }
  }
}
