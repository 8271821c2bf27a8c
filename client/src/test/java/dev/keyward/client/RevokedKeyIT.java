package dev.keyward.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.keyward.server.testing.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A key revoked while a client uses it: the client stops with a clear exception, not a retry loop. */
class RevokedKeyIT {
  @Test
  void callWhenKeyRevokedThenAuthenticationExceptionSayingTheKeyWasRefused() throws Exception {
    try (TestServer server = Servers.start(Duration.ofMinutes(5), Duration.ofMinutes(5));
        CountingProxy proxy = CountingProxy.to(server.http().base())) {
      Servers.Account bot = Servers.programmatic(server, "admin");
      KeywardClient client = Servers.client(proxy.base(), bot.key(), Duration.ZERO);
      assertThat(client.me().userId()).isEqualTo(bot.id());

      assertThat(server.http().post("/api/v1/keys/" + bot.keyId() + "/revoke", server.owner(), Map.of()).status()).isEqualTo(200);
      AuthenticationException refused = null;
      long deadline = System.currentTimeMillis() + 3_000; // revocations reach access tokens within a second
      while (refused == null && System.currentTimeMillis() < deadline) {
        refused = catchThrowableOfType(AuthenticationException.class, client::me);
        Thread.sleep(100);
      }

      assertThat(refused).as("refused within 3 s").isNotNull();
      assertThat(refused.getMessage()).startsWith("Keyward refused the client's API key (unknown, expired or revoked")
          .doesNotContain(bot.key());
      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.error()).isEqualTo("invalid_grant");
      assertThat(refused.serverMessage()).isEqualTo("The credentials are invalid, expired or revoked");
      assertThat(refused.requestId()).isPresent();
      assertThat(proxy.statuses("GET /api/v1/me")).endsWith(401);
      assertThat(proxy.statuses("POST /auth/refresh")).as("the refresh token died with the key").containsExactly(400);
      assertThat(proxy.statuses("POST /auth/api-key")).containsExactly(200, 400);

      int before = proxy.count("POST /auth/api-key");
      assertThat(catchThrowableOfType(AuthenticationException.class, client::me)).as("every later call too").isNotNull();
      assertThat(proxy.count("POST /auth/api-key")).as("one sign-in attempt per call, no loop").isEqualTo(before + 1);
    }
  }
}
