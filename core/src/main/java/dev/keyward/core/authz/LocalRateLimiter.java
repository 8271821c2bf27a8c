package dev.keyward.core.authz;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Instant;

/**
 * Rate limits counted in this node's memory: one Bucket4j token bucket per key, holding {@code
 * limit} tokens and refilled to full once per period (a fixed window that starts with the key's
 * first counted call), so that {@code remaining} and {@code resetAt} mean exactly what the
 * {@code RateLimit-*} headers say. Buckets are lock-free: concurrent calls never admit more than
 * the limit.
 *
 * <p>Memory stays bounded: a bucket left alone for one period is full again, indistinguishable
 * from a new one, so it is dropped then; and at most {@code maxKeys} buckets are kept (past that,
 * the least useful are evicted, which restarts those keys' windows: size it above the number of
 * keys active within one period).
 */
public final class LocalRateLimiter implements RateLimiter {
  /** The default bound on the number of keys counted at once. */
  public static final long DEFAULT_MAX_KEYS = 1_000_000;

  private final Clock clock;
  private final TimeMeter time;
  private final Cache<String, Counter> counters;

  /** One key's bucket and the limit it was built for. */
  private record Counter(RateLimit limit, Bucket bucket) {}

  /** A limiter on the system clock, counting at most {@link #DEFAULT_MAX_KEYS} keys at once. */
  public LocalRateLimiter() {
    this(Clock.systemUTC(), DEFAULT_MAX_KEYS);
  }

  /** A limiter on {@code clock}: buckets and their expiry follow it, so tests can move time. */
  public LocalRateLimiter(Clock clock, long maxKeys) {
    this.clock = clock;
    this.time = new ClockTimeMeter(clock);
    this.counters = Caffeine.newBuilder()
        .maximumSize(maxKeys)
        .expireAfter(Expiry.accessing((String key, Counter c) -> c.limit().period()))
        .ticker(time::currentTimeNanos)
        .executor(Runnable::run)
        .build();
  }

  @Override
  public Result tryConsume(String keyId, RateLimit limit) {
    Counter counter = counters.getIfPresent(keyId);
    if (counter == null || !counter.limit().equals(limit)) {
      counter = counters.asMap().compute(keyId,
          (k, old) -> old != null && old.limit().equals(limit) ? old : new Counter(limit, newBucket(limit)));
    }
    ConsumptionProbe probe = counter.bucket().tryConsumeAndReturnRemaining(1);
    long wait = probe.isConsumed() ? probe.getNanosToWaitForReset() : probe.getNanosToWaitForRefill();
    Instant resetAt = clock.instant().plusNanos(wait);
    return new Result(probe.isConsumed(), limit.limit(), probe.getRemainingTokens(), resetAt);
  }

  @Override
  public Result peek(String keyId, RateLimit limit) {
    Counter counter = counters.getIfPresent(keyId);
    if (counter == null || !counter.limit().equals(limit)) {
      return new Result(true, limit.limit(), limit.limit(), clock.instant().plus(limit.period()));
    }
    long available = counter.bucket().getAvailableTokens();
    Instant resetAt = clock.instant().plusNanos(counter.bucket().estimateAbilityToConsume(limit.limit()).getNanosToWaitForRefill());
    return new Result(available > 0, limit.limit(), available, resetAt);
  }

  /**
   * Puts the token back into the key's bucket while the window it was taken in lasts ({@code
   * resetAt} of a consumed probe is that window's end: one refill fills the bucket). The bucket
   * caps its tokens at the limit, so a window never admits more than the limit. Left open: a
   * window ending in the instant between the check and the refund, with calls already admitted in
   * the new one, lets that window admit one call more; it takes a refusal for a used-up quota in
   * that same instant, after which the key's calls are refused by their quota anyway.
   */
  @Override
  public void giveBack(String keyId, RateLimit limit, Result counted) {
    Counter counter = counters.getIfPresent(keyId);
    if (!counted.allowed() || counter == null || !counter.limit().equals(limit) || !clock.instant().isBefore(counted.resetAt())) {
      return;
    }
    counter.bucket().addTokens(1);
  }

  /** How many keys are being counted now (after dropping idle ones): for metrics and tests. */
  public long trackedKeys() {
    counters.cleanUp();
    return counters.estimatedSize();
  }

  private Bucket newBucket(RateLimit limit) {
    return Bucket.builder()
        .addLimit(b -> b.capacity(limit.limit()).refillIntervally(limit.limit(), limit.period()))
        .withCustomTimePrecision(time)
        .build();
  }

  /** Bucket4j's time source, read from the clock the limiter was given. */
  private record ClockTimeMeter(Clock clock) implements TimeMeter {
    @Override
    public long currentTimeNanos() {
      Instant now = clock.instant();
      return Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano());
    }

    @Override
    public boolean isWallClockBased() {
      return true;
    }
  }
}
