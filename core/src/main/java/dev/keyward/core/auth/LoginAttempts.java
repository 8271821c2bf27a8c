package dev.keyward.core.auth;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The failed-password record of one account: failures in the current window, and the lock if
 * there is one. Transitions are pure functions of the current time and the {@link LockoutPolicy};
 * the store applies them atomically.
 *
 * <p>Two kinds of lock: the threshold lock ({@code maxFailures} failures in the window; temporary,
 * growing with the locks in a row, or permanent) and the quick-login lock (two failures closer
 * than the policy's quick-login interval, below the threshold; always temporary). Which one is in
 * force follows from the count: a threshold lock is only ever set at {@code maxFailures} or more.
 *
 * @param failures wrong passwords counted in the current window
 * @param windowStart when the current window began (its first failure), or null
 * @param lockedUntil end of the current or last temporary lock, or null
 * @param lockCount threshold locks in a row since the last successful login or unlock (temporary
 *     locks grow with it, and it decides when a lock becomes permanent)
 * @param permanent locked until an admin unlocks
 * @param lastFailure when the last wrong password was counted, or null (the quick-login check)
 */
public record LoginAttempts(int failures, @Nullable Instant windowStart, @Nullable Instant lockedUntil, int lockCount,
    boolean permanent, @Nullable Instant lastFailure) {
  /** An account with no failure recorded. */
  public static final LoginAttempts NONE = new LoginAttempts(0, null, null, 0, false, null);

  /** Whether a password login is refused now, right password or not. */
  public boolean isLocked(Instant now) {
    return permanent || (lockedUntil != null && now.isBefore(lockedUntil));
  }

  /** Whether a successful login has anything to clear. */
  public boolean isClean() {
    return failures == 0 && lockCount == 0 && !permanent && lockedUntil == null;
  }

  /** Whether the lock in force (or the last one) is a quick-login lock rather than a threshold lock. */
  public boolean isQuickLock(LockoutPolicy policy) {
    return !permanent && lockedUntil != null && failures < policy.maxFailures();
  }

  /**
   * The record after one more wrong password. Every wrong password that was compared is counted,
   * but one that raced past the lock check while the account was being locked neither extends
   * nor repeats the lock (attempts refused by the lock check never get here) — unless the lock is
   * a quick-login lock and the count reaches the threshold: then the threshold lock applies, as it
   * would have had the attempts come one after the other.
   */
  public LoginAttempts afterFailure(Instant now, LockoutPolicy policy) {
    if (isLocked(now)) {
      int count = failures + 1;
      if (isQuickLock(policy) && count >= policy.maxFailures()) {
        LoginAttempts threshold = thresholdLock(count, windowStart == null ? now : windowStart, now, policy);
        Instant quickEnd = lockedUntil;
        Instant thresholdEnd = threshold.lockedUntil;
        if (thresholdEnd != null && quickEnd != null && quickEnd.isAfter(thresholdEnd)) {
          return new LoginAttempts(count, threshold.windowStart, quickEnd, threshold.lockCount, false, now);
        }
        return threshold;
      }
      return new LoginAttempts(count, windowStart, lockedUntil, lockCount, permanent, now);
    }
    // A threshold lock that has run out starts a new window; a quick-login lock does not: the
    // failures before it still count towards the threshold.
    boolean thresholdLockEnded = lockedUntil != null && failures >= policy.maxFailures();
    boolean windowOver = windowStart == null || !now.isBefore(windowStart.plus(policy.window()));
    boolean fresh = thresholdLockEnded || windowOver;
    int count = fresh ? 1 : failures + 1;
    Instant start = fresh || windowStart == null ? now : windowStart;
    if (count >= policy.maxFailures()) {
      return thresholdLock(count, start, now, policy);
    }
    Instant last = lastFailure;
    if (last != null && policy.isQuickLogin(Duration.between(last, now))) {
      return new LoginAttempts(count, start, now.plus(policy.quickLoginWait()), lockCount, false, now);
    }
    return new LoginAttempts(count, start, null, lockCount, false, now);
  }

  private LoginAttempts thresholdLock(int count, Instant start, Instant now, LockoutPolicy policy) {
    int locks = lockCount + 1;
    if (policy.isPermanent(locks)) {
      return new LoginAttempts(count, start, null, locks, true, now);
    }
    return new LoginAttempts(count, start, now.plus(policy.lockDuration(locks)), locks, false, now);
  }

  /**
   * Whether {@code after} is a lock that {@code this} was not: a new lock (threshold or quick-login),
   * a threshold lock replacing a quick-login one, or a permanent one.
   */
  public boolean lockedBy(LoginAttempts after) {
    if (after.permanent) {
      return !permanent;
    }
    return after.lockCount > lockCount || (after.lockedUntil != null && !after.lockedUntil.equals(lockedUntil));
  }
}
