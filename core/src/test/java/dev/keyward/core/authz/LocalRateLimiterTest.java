package dev.keyward.core.authz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.core.authz.RateLimiter.Result;
import dev.keyward.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** In-memory rate limits: windows, reset times, changed limits, bounded memory and no over-admission. */
class LocalRateLimiterTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  private final MutableClock clock = new MutableClock(T0);
  private final LocalRateLimiter limiter = new LocalRateLimiter(clock, LocalRateLimiter.DEFAULT_MAX_KEYS);

  @Test
  void tryConsumeWhenWithinLimitThenAllowedWithRemainingAndResetAtWindowEnd() {
    RateLimit limit = new RateLimit(3, 60);
    assertThat(limiter.tryConsume("k1", limit)).isEqualTo(new Result(true, 3, 2, T0.plusSeconds(60)));
    clock.advance(Duration.ofSeconds(10));
    assertThat(limiter.tryConsume("k1", limit)).isEqualTo(new Result(true, 3, 1, T0.plusSeconds(60)));
    assertThat(limiter.tryConsume("k1", limit)).isEqualTo(new Result(true, 3, 0, T0.plusSeconds(60)));
  }

  @Test
  void tryConsumeWhenLimitReachedThenRefusedUntilTheWindowEndsThenWholeAgain() {
    RateLimit limit = new RateLimit(2, 60);
    limiter.tryConsume("k1", limit);
    limiter.tryConsume("k1", limit);
    Result refused = limiter.tryConsume("k1", limit);
    assertThat(refused).isEqualTo(new Result(false, 2, 0, T0.plusSeconds(60)));
    assertThat(refused.secondsUntilReset(clock.instant())).isEqualTo(60);

    clock.advance(Duration.ofSeconds(60).minusMillis(1));
    Result stillRefused = limiter.tryConsume("k1", limit);
    assertThat(stillRefused.allowed()).isFalse();
    assertThat(stillRefused.secondsUntilReset(clock.instant())).isEqualTo(1);

    clock.advance(Duration.ofMillis(1));
    assertThat(limiter.tryConsume("k1", limit)).isEqualTo(new Result(true, 2, 1, T0.plusSeconds(120)));
  }

  @Test
  void giveBackWhenWithinTheWindowThenTheCallIsNotCounted() {
    RateLimit limit = new RateLimit(2, 60);
    Result first = limiter.tryConsume("k1", limit);
    limiter.giveBack("k1", limit, first);
    assertThat(limiter.peek("k1", limit).remaining()).isEqualTo(2);
    assertThat(limiter.tryConsume("k1", limit)).isEqualTo(new Result(true, 2, 1, T0.plusSeconds(60)));
    assertThat(limiter.tryConsume("k1", limit)).isEqualTo(new Result(true, 2, 0, T0.plusSeconds(60)));
    assertThat(limiter.tryConsume("k1", limit).allowed()).isFalse();
  }

  @Test
  void giveBackWhenWindowEndedLimitChangedOrCallRefusedThenNothingAdded() {
    RateLimit limit = new RateLimit(2, 60);
    Result old = limiter.tryConsume("k1", limit);
    clock.advance(Duration.ofSeconds(60));
    limiter.tryConsume("k1", limit);
    limiter.giveBack("k1", limit, old); // counted in the window before: the new one gets nothing extra
    assertThat(limiter.tryConsume("k1", limit).remaining()).isZero();
    assertThat(limiter.tryConsume("k1", limit).allowed()).isFalse();

    Result refused = limiter.tryConsume("k1", limit);
    limiter.giveBack("k1", limit, refused); // nothing was taken
    assertThat(limiter.tryConsume("k1", limit).allowed()).isFalse();

    Result underOld = limiter.tryConsume("k2", limit);
    RateLimit changed = new RateLimit(1, 60);
    assertThat(limiter.tryConsume("k2", changed).allowed()).isTrue();
    limiter.giveBack("k2", limit, underOld); // the count started again under another limit
    assertThat(limiter.tryConsume("k2", changed).allowed()).isFalse();
    limiter.giveBack("unknown", limit, underOld);
    assertThat(limiter.trackedKeys()).isEqualTo(2);
  }

  @Test
  void tryConsumeWhenDifferentKeysThenCountedApart() {
    RateLimit one = new RateLimit(1, 60);
    assertThat(limiter.tryConsume("a", one).allowed()).isTrue();
    assertThat(limiter.tryConsume("a", one).allowed()).isFalse();
    assertThat(limiter.tryConsume("b", one).allowed()).isTrue();
    assertThat(limiter.trackedKeys()).isEqualTo(2);
  }

  @Test
  void tryConsumeWhenLimitChangedThenNewBucketUnderTheNewLimit() {
    limiter.tryConsume("k1", new RateLimit(1, 60));
    assertThat(limiter.tryConsume("k1", new RateLimit(1, 60)).allowed()).isFalse();
    Result raised = limiter.tryConsume("k1", new RateLimit(5, 60));
    assertThat(raised).isEqualTo(new Result(true, 5, 4, T0.plusSeconds(60)));
    Result lowered = limiter.tryConsume("k1", new RateLimit(5, 10));
    assertThat(lowered).isEqualTo(new Result(true, 5, 4, T0.plusSeconds(10)));
  }

  @Test
  void trackedKeysWhenIdleForOnePeriodThenDropped() {
    for (int i = 0; i < 10_000; i++) {
      limiter.tryConsume("key-" + i, new RateLimit(10, 1));
    }
    limiter.tryConsume("slow", new RateLimit(10, 3_600));
    assertThat(limiter.trackedKeys()).isEqualTo(10_001);
    clock.advance(Duration.ofSeconds(1));
    assertThat(limiter.trackedKeys()).isEqualTo(1);
    clock.advance(Duration.ofHours(1));
    assertThat(limiter.trackedKeys()).isZero();
  }

  @Test
  void trackedKeysWhenMoreKeysThanTheBoundThenBounded() {
    LocalRateLimiter small = new LocalRateLimiter(clock, 100);
    for (int i = 0; i < 1_000; i++) {
      small.tryConsume("key-" + i, new RateLimit(10, 3_600));
    }
    assertThat(small.trackedKeys()).isLessThanOrEqualTo(100);
  }

  @Test
  void tryConsumeWhenSixteenThreadsRaceThenExactlyTheLimitAdmitted() throws Exception {
    RateLimit limit = new RateLimit(1_000, 60);
    int threads = 16;
    int attempts = 5_000;
    AtomicBoolean stop = new AtomicBoolean();
    // Time moves during the race, but stays inside the window.
    Thread ticker = new Thread(() -> {
      while (!stop.get() && clock.instant().isBefore(T0.plusSeconds(59))) {
        clock.advance(Duration.ofMillis(1));
        Thread.onSpinWait();
      }
    });
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> admitted = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        admitted.add(pool.submit(() -> {
          start.await();
          int n = 0;
          for (int i = 0; i < attempts; i++) {
            n += limiter.tryConsume("shared", limit).allowed() ? 1 : 0;
          }
          return n;
        }));
      }
      ticker.start();
      start.countDown();
      int total = 0;
      for (Future<Integer> f : admitted) {
        total += f.get();
      }
      assertThat(total).isEqualTo(1_000);
    } finally {
      stop.set(true);
      ticker.join();
      pool.shutdownNow();
    }
    assertThat(clock.instant()).isBefore(T0.plusSeconds(60));
  }

  @Test
  void tryConsumeWhenManyKeysRaceOnFirstUseThenEachKeyAdmitsExactlyItsLimit() throws Exception {
    RateLimit limit = new RateLimit(7, 60);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<int[]>> results = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        results.add(pool.submit(() -> {
          int[] perKey = new int[50];
          for (int round = 0; round < 20; round++) {
            for (int k = 0; k < 50; k++) {
              perKey[k] += limiter.tryConsume("key-" + k, limit).allowed() ? 1 : 0;
            }
          }
          return perKey;
        }));
      }
      int[] totals = new int[50];
      for (Future<int[]> f : results) {
        int[] perKey = f.get();
        for (int k = 0; k < 50; k++) {
          totals[k] += perKey[k];
        }
      }
      assertThat(totals).containsOnly(7);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void secondsUntilResetWhenPastOrFractionalThenRoundedUpNeverNegative() {
    Result r = new Result(true, 1, 0, T0.plusMillis(1_500));
    assertThat(r.secondsUntilReset(T0)).isEqualTo(2);
    assertThat(r.secondsUntilReset(T0.plusMillis(500))).isEqualTo(1);
    assertThat(r.secondsUntilReset(T0.plusSeconds(5))).isZero();
  }
}
