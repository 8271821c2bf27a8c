package dev.keyward.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The lockout policy as pure transitions (KC-02…KC-07) on a clock the test moves. */
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

  // ----- KC-05: two failures less than the quick-login interval apart lock even below the threshold -----

  private final LockoutPolicy quick = policy.withQuickLogin(Duration.ofMillis(1000), Duration.ofSeconds(60));

  private LoginAttempts failQuick(LoginAttempts a) {
    return a.afterFailure(clock.instant(), quick);
  }

  @Test
  void afterFailureWhenTwoFailuresWithinQuickLoginIntervalThenLockedForQuickLoginWaitBelowThreshold() {
    LoginAttempts first = failQuick(LoginAttempts.NONE);
    assertThat(first.isLocked(clock.instant())).isFalse();
    assertThat(first.lastFailure()).isEqualTo(T0);
    clock.advance(Duration.ofMillis(999));
    LoginAttempts second = failQuick(first);
    assertThat(second.failures()).isEqualTo(2).isLessThan(quick.maxFailures());
    assertThat(second.lockedUntil()).isEqualTo(clock.instant().plus(Duration.ofSeconds(60)));
    assertThat(second.isQuickLock(quick)).isTrue();
    assertThat(second.lockCount()).as("a quick-login lock is not one of the locks in a row").isZero();
    assertThat(second.permanent()).isFalse();
    assertThat(first.lockedBy(second)).isTrue();
    clock.advance(Duration.ofSeconds(60).minusMillis(1));
    assertThat(second.isLocked(clock.instant())).isTrue();
    clock.advance(Duration.ofMillis(1));
    assertThat(second.isLocked(clock.instant())).isFalse();
  }

  @Test
  void afterFailureWhenFailuresAtLeastQuickLoginIntervalApartThenNoQuickLock() {
    LoginAttempts a = failQuick(LoginAttempts.NONE);
    clock.advance(Duration.ofMillis(1000));
    a = failQuick(a);
    assertThat(a.failures()).isEqualTo(2);
    assertThat(a.isLocked(clock.instant())).isFalse();
    assertThat(a.lockedUntil()).isNull();
  }

  @Test
  void afterFailureWhenQuickLoginCheckOffThenBackToBackFailuresOnlyCount() {
    LoginAttempts a = fail(LoginAttempts.NONE, 2);
    assertThat(policy.quickLoginInterval()).isZero();
    assertThat(a.isLocked(clock.instant())).isFalse();
    assertThat(LockoutPolicy.DEFAULTS.quickLoginInterval()).isEqualTo(Duration.ofMillis(1000));
    assertThat(LockoutPolicy.DEFAULTS.quickLoginWait()).isEqualTo(Duration.ofSeconds(60));
    assertThat(LockoutPolicy.DEFAULTS.permanentAfter()).isZero();
  }

  @Test
  void afterFailureWhenQuickLockEndedThenFailuresBeforeItStillCountTowardsThreshold() {
    LoginAttempts a = failQuick(failQuick(LoginAttempts.NONE)); // quick lock at 2 failures
    clock.advance(Duration.ofSeconds(60));
    a = failQuick(a);
    assertThat(a.failures()).as("the window goes on after a quick-login lock").isEqualTo(3);
    assertThat(a.windowStart()).isEqualTo(T0);
    assertThat(a.isQuickLock(quick)).isFalse();
    assertThat(a.isLocked(clock.instant())).as("3 reached: the threshold lock").isTrue();
    assertThat(a.lockedUntil()).isEqualTo(clock.instant().plus(Duration.ofMinutes(15)));
    assertThat(a.lockCount()).isEqualTo(1);
  }

  @Test
  void afterFailureWhenFailuresRacePastQuickLockToThresholdThenThresholdLockApplies() {
    LoginAttempts quickLocked = failQuick(failQuick(LoginAttempts.NONE));
    LoginAttempts raced = failQuick(quickLocked);
    assertThat(raced.failures()).isEqualTo(3);
    assertThat(raced.lockedUntil()).isEqualTo(T0.plus(Duration.ofMinutes(15)));
    assertThat(raced.lockCount()).isEqualTo(1);
    assertThat(quickLocked.lockedBy(raced)).as("the threshold lock is a new lock").isTrue();
    LoginAttempts more = failQuick(raced);
    assertThat(more.lockedUntil()).isEqualTo(raced.lockedUntil());
    assertThat(raced.lockedBy(more)).isFalse();
  }

  @Test
  void afterFailureWhenThresholdLockShorterThanQuickLockThenTheLongerEndStays() {
    LockoutPolicy shortLocks = new LockoutPolicy(3, Duration.ofMinutes(15), Duration.ofSeconds(10), LockoutPolicy.Mode.TEMPORARY)
        .withQuickLogin(Duration.ofMillis(1000), Duration.ofSeconds(60));
    LoginAttempts quickLocked = LoginAttempts.NONE.afterFailure(T0, shortLocks).afterFailure(T0, shortLocks);
    LoginAttempts raced = quickLocked.afterFailure(T0, shortLocks);
    assertThat(raced.lockedUntil()).isEqualTo(T0.plusSeconds(60));
    assertThat(raced.lockCount()).isEqualTo(1);
    assertThat(quickLocked.lockedBy(raced)).isTrue();
  }

  @Test
  void afterFailureWhenUntilUnlockedModeThenQuickLockStillTemporary() {
    LockoutPolicy perm = new LockoutPolicy(5, Duration.ofMinutes(15), Duration.ofMinutes(15), LockoutPolicy.Mode.UNTIL_UNLOCKED)
        .withQuickLogin(Duration.ofMillis(1000), Duration.ofSeconds(60));
    LoginAttempts a = LoginAttempts.NONE.afterFailure(T0, perm).afterFailure(T0, perm);
    assertThat(a.permanent()).isFalse();
    assertThat(a.lockedUntil()).isEqualTo(T0.plusSeconds(60));
  }

  // ----- KC-07: the (K+1)-th lock in a row is permanent -----

  @Test
  void afterFailureWhenMoreLocksInARowThanPermanentAfterThenPermanent() {
    LockoutPolicy twoThenPermanent = policy.withPermanentAfter(2);
    LoginAttempts a = LoginAttempts.NONE;
    for (int lock = 1; lock <= 2; lock++) {
      for (int i = 0; i < 3; i++) {
        a = a.afterFailure(clock.instant(), twoThenPermanent);
      }
      assertThat(a.permanent()).as("lock %d is temporary", lock).isFalse();
      assertThat(a.lockedUntil()).isEqualTo(clock.instant().plus(Duration.ofMinutes(15L * lock)));
      clock.advance(Duration.ofMinutes(15L * lock));
    }
    LoginAttempts before = a;
    for (int i = 0; i < 3; i++) {
      a = a.afterFailure(clock.instant(), twoThenPermanent);
    }
    assertThat(a.permanent()).as("the third lock is permanent").isTrue();
    assertThat(a.lockCount()).isEqualTo(3);
    assertThat(a.lockedUntil()).isNull();
    assertThat(a.isLocked(clock.instant().plus(Duration.ofDays(3650)))).isTrue();
    assertThat(before.lockedBy(a)).isTrue();
    assertThat(a.lockedBy(a.afterFailure(clock.instant(), twoThenPermanent))).isFalse();
  }

  @Test
  void afterFailureWhenPermanentAfterZeroThenNeverPermanent() {
    LoginAttempts a = LoginAttempts.NONE;
    for (int lock = 1; lock <= 20; lock++) {
      for (int i = 0; i < 3; i++) {
        a = a.afterFailure(clock.instant(), policy);
      }
      assertThat(a.permanent()).isFalse();
      clock.advance(policy.lockDuration(lock));
    }
    assertThat(a.lockCount()).isEqualTo(20);
  }

  @Test
  void afterFailureWhenQuickLocksRepeatThenTheyNeverMakeALockPermanent() {
    LockoutPolicy quickThenPermanent = quick.withPermanentAfter(1);
    LoginAttempts a = LoginAttempts.NONE;
    for (int round = 0; round < 5; round++) {
      a = a.afterFailure(clock.instant(), quickThenPermanent);
      clock.advance(Duration.ofMillis(500));
      a = a.afterFailure(clock.instant(), quickThenPermanent);
      assertThat(a.isQuickLock(quickThenPermanent)).as("round %d", round).isTrue();
      assertThat(a.permanent()).isFalse();
      clock.advance(quickThenPermanent.window()); // the lock and the window end: the threshold is never reached
    }
    assertThat(a.lockCount()).isZero();
  }

  @Test
  void constructorWhenThresholdOrTimesNotPositiveThenRejected() {
    assertThatThrownBy(() -> new LockoutPolicy(0, Duration.ofMinutes(1), Duration.ofMinutes(1), LockoutPolicy.Mode.TEMPORARY))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LockoutPolicy(1, Duration.ZERO, Duration.ofMinutes(1), LockoutPolicy.Mode.TEMPORARY))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LockoutPolicy(1, Duration.ofMinutes(1), Duration.ofSeconds(-1), LockoutPolicy.Mode.TEMPORARY))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> policy.withQuickLogin(Duration.ofMillis(-1), Duration.ofSeconds(60)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("quick-login interval");
    assertThatThrownBy(() -> policy.withQuickLogin(Duration.ofMillis(1000), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("quick-login wait");
    assertThatThrownBy(() -> policy.withQuickLogin(Duration.ofMillis(1000), Duration.ofHours(25)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("quick-login wait");
    assertThatThrownBy(() -> policy.withPermanentAfter(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LockoutPolicy(3, Duration.ofMinutes(1), Duration.ofMinutes(1), LockoutPolicy.Mode.UNTIL_UNLOCKED)
        .withPermanentAfter(2)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("temporary mode");
  }

  @Test
  void modeParseWhenWireNamesThenParsedAndOthersEmpty() {
    assertThat(LockoutPolicy.Mode.parse("temporary")).contains(LockoutPolicy.Mode.TEMPORARY);
    assertThat(LockoutPolicy.Mode.parse("UNTIL_UNLOCKED")).contains(LockoutPolicy.Mode.UNTIL_UNLOCKED);
    assertThat(LockoutPolicy.Mode.parse("until-unlocked")).contains(LockoutPolicy.Mode.UNTIL_UNLOCKED);
    assertThat(LockoutPolicy.Mode.parse("forever")).isEmpty();
  }
}
