package dev.keyward.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.keyward.server.testing.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A server whose store is gone answers 503 with Retry-After: 5; the client waits as asked, within its limit. */
class UnavailableIT {
  @Test
  void callWhenStoreUnreachableThenRetriedAfterRetryAfterThenUnavailableException() throws Exception {
    try (TestServer server = Servers.start(Duration.ofMinutes(5), Duration.ofMinutes(5));
        CountingProxy proxy = CountingProxy.to(server.http().base())) {
      Servers.Account bot = Servers.programmatic(server, "admin");
      KeywardClient patient = Keyward.client(proxy.base()).apiKey(bot.key()).retries(1, Duration.ofMillis(100), Duration.ofSeconds(6)).build();
      KeywardClient hurried = Keyward.client(proxy.base()).apiKey(bot.key()).retries(3, Duration.ofMillis(100), Duration.ofSeconds(1)).build();
      patient.keys().list();
      hurried.keys().list();
      server.server().services().database().dataSource().close();

      long start = System.nanoTime();
      UnavailableException waited = catchThrowableOfType(UnavailableException.class, () -> patient.keys().list());
      long waitedMillis = (System.nanoTime() - start) / 1_000_000;
      assertThat(waited).isNotNull();
      assertThat(waited.status()).isEqualTo(503);
      assertThat(waited.error()).isEqualTo("unavailable");
      assertThat(waited.retryAfter()).contains(Duration.ofSeconds(5));
      assertThat(waitedMillis).as("waited the 5 s asked, once").isBetween(4_900L, 9_000L);
      assertThat(proxy.statuses("GET /api/v1/keys")).containsExactly(200, 200, 503, 503);

      start = System.nanoTime();
      UnavailableException atOnce = catchThrowableOfType(UnavailableException.class, () -> hurried.keys().list());
      assertThat(atOnce).isNotNull();
      assertThat(atOnce.retryAfter()).contains(Duration.ofSeconds(5));
      assertThat((System.nanoTime() - start) / 1_000_000).as("5 s is more than it may wait: no retry").isLessThan(2_000L);
      assertThat(proxy.statuses("GET /api/v1/keys")).hasSize(5);
    }
  }
}
