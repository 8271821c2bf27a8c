package dev.keyward.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.server.testing.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * 50 threads sharing one client across several token lifetimes: one sign-in, then exactly one
 * refresh per expiry, every refresh accepted (a refresh token is single use: a second concurrent
 * refresh would be refused), and no call ever refused. Counted where the server receives them.
 */
class ConcurrencyIT {
  @Test
  void callsWhenFiftyThreadsShareAClientThenOneSignInAndOneRefreshPerExpiry() throws Exception {
    try (TestServer server = Servers.start(Duration.ofSeconds(3), Duration.ofMinutes(5));
        CountingProxy proxy = CountingProxy.to(server.http().base())) {
      Servers.Account bot = Servers.programmatic(server, "admin");
      KeywardClient client = Servers.client(proxy.base(), bot.key(), Duration.ofSeconds(1));

      int threads = 50;
      CountDownLatch go = new CountDownLatch(1);
      AtomicInteger calls = new AtomicInteger();
      List<Throwable> failures = new CopyOnWriteArrayList<>();
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(7_000);
      List<Future<?>> running = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        running.add(pool.submit(() -> {
          go.await();
          while (System.nanoTime() < end) {
            try {
              assertThat(client.me().userId()).isEqualTo(bot.id());
              calls.incrementAndGet();
            } catch (Throwable t) {
              failures.add(t);
            }
            Thread.sleep(20);
          }
          return null;
        }));
      }
      go.countDown(); // all 50 start at once, with no token yet
      for (Future<?> f : running) {
        f.get(60, TimeUnit.SECONDS);
      }
      pool.shutdown();

      assertThat(failures).isEmpty();
      assertThat(proxy.statuses("POST /auth/api-key")).as("one sign-in for 50 threads").containsExactly(200);
      List<Integer> refreshes = proxy.statuses("POST /auth/refresh");
      assertThat(refreshes).as("renewed every 2 s over 7 s").hasSizeBetween(2, 4).containsOnly(200);
      assertThat(proxy.bearerTokens("GET /api/v1/me")).as("one token per lifetime: each refresh used by all")
          .hasSize(refreshes.size() + 1);
      assertThat(proxy.statuses("GET /api/v1/me")).as("no call refused, none resent").hasSize(calls.get()).containsOnly(200);
      assertThat(Servers.refreshRows(server, bot.id())).isEqualTo(new Servers.RefreshRows(refreshes.size() + 1, 1));
    }
  }
}
