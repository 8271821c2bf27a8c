package dev.keyward.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.keyward.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server restarts (same port, same data) while a client is in use: calls during the outage
 * fail clearly or wait for it within the retries, and afterwards the same login goes on: the
 * access token still verifies, the refresh token still refreshes.
 */
class RestartIT {
  private static final Duration ACCESS = Duration.ofSeconds(6);
  private static final Duration REFRESH = Duration.ofMinutes(5);

  @Test
  void callsWhenServerRestartedThenUnavailableMeanwhileAndTheSameLoginAfterwards(@TempDir Path data) throws Exception {
    TestServer first = Servers.restart(data, 0, ACCESS, REFRESH);
    int port = first.port();
    Servers.Account bot = Servers.programmatic(first, "admin");
    KeywardClient client = Keyward.client(first.http().base()).apiKey(bot.key()).refreshSkew(Duration.ofSeconds(1))
        .retries(1, Duration.ofMillis(100), Duration.ofSeconds(1)).build();
    long signedIn = System.nanoTime();
    assertThat(client.me().userId()).isEqualTo(bot.id());
    first.close();

    UnavailableException down = catchThrowableOfType(UnavailableException.class, client::me);
    assertThat(down).isNotNull();
    assertThat(down.status()).isZero();
    assertThat(down.error()).isEqualTo("connection_failed");
    assertThat(down.getMessage()).isEqualTo("Keyward could not be reached (GET /api/v1/me) (connection_failed)");

    try (TestServer second = Servers.restart(data, port, ACCESS, REFRESH)) {
      assertThat(client.me().userId()).as("the access token of before the restart").isEqualTo(bot.id());
      assertThat(Servers.refreshRows(second, bot.id())).as("no new sign-in").isEqualTo(new Servers.RefreshRows(1, 1));
      long renewal = signedIn + Duration.ofMillis(5_300).toNanos(); // 6 s lifetime, renewed 1 s before
      Thread.sleep(Math.max(0, (renewal - System.nanoTime()) / 1_000_000));
      assertThat(client.me().userId()).isEqualTo(bot.id());
      assertThat(Servers.refreshRows(second, bot.id())).as("refreshed with the refresh token of before")
          .isEqualTo(new Servers.RefreshRows(2, 1));
    }
  }

  @Test
  void callWhenServerComesBackWithinTheRetriesThenSucceeds(@TempDir Path data) throws Exception {
    TestServer first = Servers.restart(data, 0, ACCESS, REFRESH);
    int port = first.port();
    Servers.Account bot = Servers.programmatic(first, "admin");
    KeywardClient client = Keyward.client(first.http().base()).apiKey(bot.key())
        .retries(8, Duration.ofMillis(250), Duration.ofSeconds(2)).build();
    client.me();
    first.close();

    AtomicReference<TestServer> second = new AtomicReference<>();
    CompletableFuture<Void> restart = CompletableFuture.runAsync(() -> {
      try {
        Thread.sleep(700);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      second.set(Servers.restart(data, port, ACCESS, REFRESH));
    });
    try {
      assertThat(client.keys().list()).as("answered once the server is back").isNotEmpty();
    } finally {
      restart.join();
      second.get().close();
    }
  }
}
