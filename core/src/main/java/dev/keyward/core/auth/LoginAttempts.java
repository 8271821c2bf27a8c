package dev.keyward.core.auth;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The failed-password record of one account: failures in the current window, and the lock if
 * there is one. Transitions are pure functions of the current time and the {@link LockoutPolicy};
 * the store applies them atomically.
 *
 * @param failures wrong passwords counted in the current window
 * @param windowStart when the current window began (its first failure), or null
 * @param lockedUntil end of the current or last temporary lock, or null
 * @param lockCount locks in a row since the last successful login or unlock (temporary locks grow with it)
 * @param permanent locked until an admin unlocks
 */
public record LoginAttempts(int failures, @Nullable Instant windowStart, @Nullable Instant lockedUntil, int lockCount, boolean permanent) {
  /** An account with no failure recorded. */
  public static final LoginAttempts NONE = new LoginAttempts(0, null, null, 0, false);

  /** Whether a password login is refused now, right password or not. */
  public boolean isLocked(Instant now) {
    return permanent || (lockedUntil != null && now.isBefore(lockedUntil));
  }

  /** Whether a successful login has anything to clear. */
  public boolean isClean() {
    return failures == 0 && lockCount == 0 && !permanent && lockedUntil == null;
  }

  /**
   * The record after one more wrong password. Every wrong password that was compared is counted,
   * but one that raced past the lock check while the account was being locked neither extends
   * nor repeats the lock (attempts refused by the lock check never get here).
   */
  public LoginAttempts afterFailure(Instant now, LockoutPolicy policy) {
    if (isLocked(now)) {
      return new LoginAttempts(failures + 1, windowStart, lockedUntil, lockCount, permanent);
    }
    boolean lockEnded = lockedUntil != null; // a lock that has run out starts a new window
    boolean windowOver = windowStart == null || !now.isBefore(windowStart.plus(policy.window()));
    int count = lockEnded || windowOver ? 1 : failures + 1;
    Instant start = lockEnded || windowOver ? now : windowStart;
    if (count < policy.maxFailures()) {
      return new LoginAttempts(count, start, null, lockCount, false);
    }
    int locks = lockCount + 1;
    if (policy.mode() == LockoutPolicy.Mode.UNTIL_UNLOCKED) {
      return new LoginAttempts(count, start, null, locks, true);
    }
    return new LoginAttempts(count, start, now.plus(policy.lockDuration(locks)), locks, false);
  }

  /** Whether {@code after} is a lock that {@code this} was not. */
  public boolean lockedBy(LoginAttempts after) {
    return after.lockCount > lockCount;
  }
}
