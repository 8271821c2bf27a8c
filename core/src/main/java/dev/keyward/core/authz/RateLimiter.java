package dev.keyward.core.authz;

import java.time.Duration;
import java.time.Instant;

/**
 * Counts the calls of each key against its {@link RateLimit}. {@link LocalRateLimiter} counts in
 * the memory of one node; an implementation over a shared store (several nodes, one count) answers
 * through the same method.
 */
public interface RateLimiter {
  /**
   * Takes one call from {@code keyId}'s allowance under {@code limit}. When the limit given for a
   * key differs from the one its count was started with, counting starts again under the new one.
   */
  Result tryConsume(String keyId, RateLimit limit);

  /**
   * What {@link #tryConsume} would answer now, without counting a call: for explanations. {@code
   * allowed} says whether a call would be admitted.
   */
  Result peek(String keyId, RateLimit limit);

  /**
   * Gives back the call {@code counted} took, for a call refused after it was counted (its quota
   * was used up), so that a refused call consumes nothing. Only while the window it was counted
   * in lasts: a new window starts whole anyway, and must not get more than the limit.
   *
   * @param counted what {@link #tryConsume} answered for that call ({@code allowed})
   */
  void giveBack(String keyId, RateLimit limit, Result counted);

  /**
   * The outcome, with what the {@code RateLimit-Limit}, {@code RateLimit-Remaining} and {@code
   * RateLimit-Reset} headers report.
   *
   * @param allowed whether this call was counted and may proceed
   * @param limit the limit applied
   * @param remaining calls left in the current window after this one
   * @param resetAt when the allowance is whole again; for a refused call, also the first moment a
   *     retry can succeed
   */
  record Result(boolean allowed, int limit, long remaining, Instant resetAt) {
    /** Whole seconds from {@code now} until {@link #resetAt}, rounded up, never negative. */
    public long secondsUntilReset(Instant now) {
      Duration d = Duration.between(now, resetAt);
      if (d.isNegative() || d.isZero()) {
        return 0;
      }
      return d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
    }
  }
}
