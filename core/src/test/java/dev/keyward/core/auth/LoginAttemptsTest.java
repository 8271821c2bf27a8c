package dev.keyward.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The lockout policy as pure transitions (KC-02, KC-03, KC-04, KC-06) on a clock the test moves. */
class LoginAttemptsTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  private final MutableClock clock = new MutableClock(T0);
  private final LockoutPolicy policy = new LockoutPolicy(3, Duration.ofMinutes(15), Duration.ofMinutes(15), LockoutPolicy.Mode.TEMPORARY);

  private LoginAttempts fail(LoginAttempts a, int times) {
    LoginAttempts r = a;
    for (int i = 0; i < times; i++) {
      r = r.afterFailure(clock.instant(), policy);
    }
    return r;
  }

  @Test
  void afterFailureWhenBelowThresholdThenCountedNotLocked() {
    LoginAttempts a = fail(LoginAttempts.NONE, 2);
    assertThat(a.failures()).isEqualTo(2);
    assertThat(a.windowStart()).isEqualTo(T0);
    assertThat(a.isLocked(clock.instant())).isFalse();
    assertThat(a.isClean()).isFalse();
  }

  @Test
  void afterFailureWhenThresholdReachedThenLockedForDuration() {
    LoginAttempts a = fail(LoginAttempts.NONE, 3);
    assertThat(a.isLocked(T0)).isTrue();
    assertThat(a.lockedUntil()).isEqualTo(T0.plus(Duration.ofMinutes(15)));
    assertThat(a.lockCount()).isEqualTo(1);
    assertThat(LoginAttempts.NONE.lockedBy(a)).isTrue();
  }

  @Test
  void isLockedWhenDurationPassedThenUnlocked() {
    LoginAttempts a = fail(LoginAttempts.NONE, 3);
    clock.advance(Duration.ofMinutes(15).minusMillis(1));
    assertThat(a.isLocked(clock.instant())).isTrue();
    clock.advance(Duration.ofMillis(1));
    assertThat(a.isLocked(clock.instant())).isFalse();
  }

  @Test
  void afterFailureWhenWindowPassedThenCountStartsAgain() {
    LoginAttempts a = fail(LoginAttempts.NONE, 2);
    clock.advance(Duration.ofMinutes(15));
    a = fail(a, 1);
    assertThat(a.failures()).isEqualTo(1);
    assertThat(a.windowStart()).isEqualTo(clock.instant());
    a = fail(a, 1);
    assertThat(a.isLocked(clock.instant())).isFalse();
  }

  @Test
  void afterFailureWhenAlreadyLockedThenCountedButLockNeitherExtendedNorRepeated() {
    LoginAttempts locked = fail(LoginAttempts.NONE, 3);
    clock.advance(Duration.ofMinutes(10));
    LoginAttempts raced = fail(locked, 5);
    assertThat(raced.failures()).isEqualTo(8);
    assertThat(raced.lockedUntil()).isEqualTo(locked.lockedUntil());
    assertThat(raced.lockCount()).isEqualTo(1);
    assertThat(locked.lockedBy(raced)).isFalse();
  }

  @Test
  void afterFailureWhenLockedAgainAfterExpiryThenDurationGrowsWithLockCount() {
    LoginAttempts a = fail(LoginAttempts.NONE, 3);
    clock.advance(Duration.ofMinutes(15));
    a = fail(a, 3);
    assertThat(a.lockCount()).isEqualTo(2);
    assertThat(a.lockedUntil()).isEqualTo(clock.instant().plus(Duration.ofMinutes(30)));
    clock.advance(Duration.ofMinutes(30));
    a = fail(a, 3);
    assertThat(a.lockedUntil()).isEqualTo(clock.instant().plus(Duration.ofMinutes(45)));
  }

  @Test
  void lockDurationWhenManyLocksThenCappedAtOneDay() {
    assertThat(policy.lockDuration(1)).isEqualTo(Duration.ofMinutes(15));
    assertThat(policy.lockDuration(96)).isEqualTo(Duration.ofHours(24));
    assertThat(policy.lockDuration(97)).isEqualTo(LockoutPolicy.MAX_DURATION);
    assertThat(policy.lockDuration(Integer.MAX_VALUE)).isEqualTo(LockoutPolicy.MAX_DURATION);
  }

  @Test
  void afterFailureWhenUntilUnlockedModeThenPermanentLockThatTimeNeverLifts() {
    LockoutPolicy permanent = new LockoutPolicy(3, Duration.ofMinutes(15), Duration.ofMinutes(15), LockoutPolicy.Mode.UNTIL_UNLOCKED);
    LoginAttempts a = LoginAttempts.NONE;
    for (int i = 0; i < 3; i++) {
      a = a.afterFailure(T0, permanent);
    }
    assertThat(a.permanent()).isTrue();
    assertThat(a.lockedUntil()).isNull();
    assertThat(a.isLocked(T0.plus(Duration.ofDays(3650)))).isTrue();
  }

  @Test
  void constructorWhenThresholdOrTimesNotPositiveThenRejected() {
    assertThatThrownBy(() -> new LockoutPolicy(0, Duration.ofMinutes(1), Duration.ofMinutes(1), LockoutPolicy.Mode.TEMPORARY))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LockoutPolicy(1, Duration.ZERO, Duration.ofMinutes(1), LockoutPolicy.Mode.TEMPORARY))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LockoutPolicy(1, Duration.ofMinutes(1), Duration.ofSeconds(-1), LockoutPolicy.Mode.TEMPORARY))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void modeParseWhenWireNamesThenParsedAndOthersEmpty() {
    assertThat(LockoutPolicy.Mode.parse("temporary")).contains(LockoutPolicy.Mode.TEMPORARY);
    assertThat(LockoutPolicy.Mode.parse("UNTIL_UNLOCKED")).contains(LockoutPolicy.Mode.UNTIL_UNLOCKED);
    assertThat(LockoutPolicy.Mode.parse("until-unlocked")).contains(LockoutPolicy.Mode.UNTIL_UNLOCKED);
    assertThat(LockoutPolicy.Mode.parse("forever")).isEmpty();
  }
}
