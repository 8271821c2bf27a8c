package dev.keyward.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.client.model.Me;
import dev.keyward.server.testing.TestHttp;
import dev.keyward.server.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The token life cycle against a real server with short lifetimes: sign in once, refresh before
 * expiry, sign in again when the refresh token is refused, resend once after a 401 for an expired
 * token. A proxy in between counts what reaches the server. Every log line of the client is
 * captured at the finest level and checked for secrets.
 */
class TokenRefreshIT {
  private static final Logger CLIENT_LOG = Logger.getLogger("dev.keyward.client");
  private final List<String> logged = new CopyOnWriteArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord r) {
      logged.add(r.getMessage() + " " + (r.getParameters() == null ? "" : List.of(r.getParameters())));
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private Level before;

  @BeforeEach
  void captureLogs() {
    before = CLIENT_LOG.getLevel();
    CLIENT_LOG.setLevel(Level.ALL);
    CLIENT_LOG.addHandler(capture);
  }

  @AfterEach
  void stopCapture() {
    CLIENT_LOG.removeHandler(capture);
    CLIENT_LOG.setLevel(before);
  }

  @Test
  void callsWhenTokenDueThenRefreshedBeforeExpiryWithoutANewSignIn() throws Exception {
    try (TestServer server = Servers.start(Duration.ofSeconds(3), Duration.ofMinutes(5));
        CountingProxy proxy = CountingProxy.to(server.http().base())) {
      Servers.Account bot = Servers.programmatic(server, "admin");
      KeywardClient client = Servers.client(proxy.base(), bot.key(), Duration.ofSeconds(1));

      Me me = client.me();
      assertThat(me.userId()).isEqualTo(bot.id());
      assertThat(me.credential().type()).isEqualTo("access_token");
      String first = client.accessToken();
      assertThat(client.me().userId()).isEqualTo(bot.id());
      assertThat(proxy.count("POST /auth/api-key")).as("one sign-in").isEqualTo(1);
      assertThat(proxy.count("POST /auth/refresh")).isZero();

      Thread.sleep(2_300); // past the renewal point (3 s - 1 s), before the expiry
      assertThat(client.me().userId()).isEqualTo(bot.id());
      assertThat(client.accessToken()).isNotEqualTo(first);
      assertThat(proxy.statuses("POST /auth/refresh")).containsExactly(200);
      assertThat(proxy.count("POST /auth/api-key")).isEqualTo(1);
      assertThat(proxy.statuses("GET /api/v1/me")).as("never refused").containsOnly(200);
      assertThat(Servers.refreshRows(server, bot.id())).isEqualTo(new Servers.RefreshRows(2, 1));
      assertNoSecretLogged(bot.key(), first, client.accessToken());
      assertThat(logged).anyMatch(l -> l.contains("refreshed"));
    }
  }

  @Test
  void callWhenServerRefusesTheTokenAsExpiredThenRefreshedAndResentOnce() throws Exception {
    MutableClock clock = new MutableClock();
    try (TestServer server = Servers.start(Duration.ofSeconds(2), Duration.ofMinutes(5));
        CountingProxy proxy = CountingProxy.to(server.http().base())) {
      Servers.Account bot = Servers.programmatic(server, "admin");
      KeywardClient client = Keyward.client(proxy.base()).apiKey(bot.key()).refreshSkew(Duration.ZERO).clock(clock).build();
      String first = client.accessToken();

      clock.shift(Duration.ofSeconds(-30)); // the client's clock falls behind: it thinks its token still good
      Thread.sleep(2_500);
      assertThat(client.me().userId()).isEqualTo(bot.id());

      assertThat(proxy.statuses("GET /api/v1/me")).as("refused once, then accepted").containsExactly(401, 200);
      assertThat(proxy.bearerTokens("GET /api/v1/me")).hasSize(2).contains(first);
      assertThat(proxy.statuses("POST /auth/refresh")).containsExactly(200);
      assertThat(proxy.count("POST /auth/api-key")).isEqualTo(1);
      assertNoSecretLogged(bot.key(), first, client.accessToken());
    }
  }

  @Test
  void refreshWhenRefreshTokenExpiredThenSignsInAgainWithTheKey() throws Exception {
    try (TestServer server = Servers.start(Duration.ofSeconds(2), Duration.ofSeconds(3));
        CountingProxy proxy = CountingProxy.to(server.http().base())) {
      Servers.Account bot = Servers.programmatic(server, "admin");
      KeywardClient client = Servers.client(proxy.base(), bot.key(), Duration.ZERO);
      client.me();

      Thread.sleep(3_500); // both the access and the refresh token have expired
      assertThat(client.me().userId()).isEqualTo(bot.id());

      assertThat(proxy.statuses("POST /auth/refresh")).as("refused: expired").containsExactly(400);
      assertThat(proxy.statuses("POST /auth/api-key")).as("then a fresh sign-in").containsExactly(200, 200);
      assertThat(proxy.statuses("GET /api/v1/me")).containsOnly(200);
      assertThat(logged).anyMatch(l -> l.contains("Refresh token refused"));
      assertNoSecretLogged(bot.key(), client.accessToken());
    }
  }

  @Test
  void signInWhenProgrammaticUserPasswordThenTokensAndRefreshLikeAKey() throws Exception {
    try (TestServer server = Servers.start(Duration.ofSeconds(2), Duration.ofMinutes(5));
        CountingProxy proxy = CountingProxy.to(server.http().base())) {
      Servers.Account bot = Servers.programmatic(server, "admin");
      KeywardClient client = Keyward.client(proxy.base()).basic(bot.email(), bot.password()).refreshSkew(Duration.ofMillis(500)).build();
      assertThat(client.me().credential().type()).isEqualTo("access_token");
      Thread.sleep(1_700);
      assertThat(client.me().email()).isEqualTo(bot.email());
      assertThat(proxy.statuses("POST /api/v1/token")).containsExactly(200);
      assertThat(proxy.statuses("POST /auth/refresh")).containsExactly(200);
      assertThat(client.toString()).contains(bot.email()).doesNotContain(bot.password());
      assertNoSecretLogged(bot.password(), client.accessToken());
    }
  }

  @Test
  void signInWhenPersonPasswordAndGrantOffThenClearAuthenticationException() {
    try (TestServer server = Servers.start(Duration.ofMinutes(1), Duration.ofMinutes(5))) {
      KeywardClient client = Keyward.client(server.http().base()).basic(TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD).build();
      assertThatThrownBy(client::me)
          .isInstanceOf(AuthenticationException.class)
          .hasMessageStartingWith("Keyward does not let this user sign in with a password")
          .hasMessageNotContaining(TestServer.ADMIN_PASSWORD)
          .satisfies(e -> {
            AuthenticationException a = (AuthenticationException) e;
            assertThat(a.status()).isEqualTo(400);
            assertThat(a.error()).isEqualTo("unauthorized_client");
            assertThat(a.serverMessage()).isEqualTo("The password grant is not enabled for people in this tenant");
            assertThat(a.requestId()).isPresent();
          });
    }
  }

  @Test
  void signInWhenKeyUnknownThenAuthenticationExceptionWithoutTheKey() {
    try (TestServer server = Servers.start(Duration.ofMinutes(1), Duration.ofMinutes(5))) {
      String unknown = Servers.programmatic(server).key().substring(0, 20) + "x".repeat(37);
      KeywardClient client = Servers.client(server.http().base(), unknown, Duration.ZERO);
      assertThatThrownBy(client::me)
          .isInstanceOf(AuthenticationException.class)
          .hasMessageStartingWith("Keyward refused the client's API key")
          .hasMessageNotContaining(unknown)
          .extracting(e -> ((KeywardException) e).error()).isEqualTo("invalid_grant");
      assertNoSecretLogged(unknown);
    }
  }

  private void assertNoSecretLogged(String... secrets) {
    for (String line : logged) {
      for (String s : secrets) {
        assertThat(line).doesNotContain(s);
      }
    }
  }

  static TestHttp.Response revoke(TestServer server, String keyId) {
    return server.http().post("/api/v1/keys/" + keyId + "/revoke", server.owner(), Map.of());
  }
}
