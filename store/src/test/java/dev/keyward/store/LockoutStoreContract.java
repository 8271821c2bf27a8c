package dev.keyward.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.core.auth.LockoutPolicy;
import dev.keyward.core.auth.LoginAttemptStore;
import dev.keyward.core.auth.LoginAttempts;
import dev.keyward.core.principal.User;
import dev.keyward.core.secret.SecretGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The lockout store (failed attempts and locks), run on every engine: KC-12, REL-12, KC-11, KC-05. */
public abstract class LockoutStoreContract {
  static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  static final LockoutPolicy FIVE = new LockoutPolicy(5, Duration.ofMinutes(15), Duration.ofMinutes(15), LockoutPolicy.Mode.TEMPORARY);
  static final LockoutPolicy FIVE_QUICK = FIVE.withQuickLogin(Duration.ofSeconds(1), Duration.ofSeconds(60));
  final SecretGenerator ids = new SecretGenerator();
  @SuppressWarnings("NullAway.Init")
  Database db;

  protected abstract Database open();

  @BeforeEach
  void openDatabase() {
    db = open();
  }

  @AfterEach
  void disposeDatabase() {
    TestDatabases.dispose(db);
  }

  String user(String email) {
    User u = new User(ids.id("usr"), email, "Name", true, T0);
    db.users().insert(u, "hash", T0);
    return u.id();
  }

  LoginAttemptStore.Transition fail(LoginAttemptStore store, String userId, Instant at) {
    return fail(store, userId, at, FIVE);
  }

  LoginAttemptStore.Transition fail(LoginAttemptStore store, String userId, Instant at, LockoutPolicy policy) {
    return store.update(userId, a -> a.afterFailure(at, policy));
  }

  /** Fires {@code attempts} failures at once from 16 threads; returns how many of them set a lock. */
  int parallelFailures(String userId, int attempts, LockoutPolicy policy) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<LoginAttemptStore.Transition>> done = new ArrayList<>();
      for (int i = 0; i < attempts; i++) {
        Callable<LoginAttemptStore.Transition> work = () -> {
          start.await();
          return fail(db.loginAttempts(), userId, T0, policy);
        };
        done.add(pool.submit(work));
      }
      start.countDown();
      int locks = 0;
      for (Future<LoginAttemptStore.Transition> f : done) {
        LoginAttemptStore.Transition t = f.get(60, TimeUnit.SECONDS);
        if (t.before().lockedBy(t.after())) {
          locks++;
        }
      }
      return locks;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void updateWhenFirstFailureThenRowCreatedWithEveryField() {
    String u = user("a@acme.test");
    assertThat(db.loginAttempts().find(u)).isEmpty();
    LoginAttemptStore.Transition t = fail(db.loginAttempts(), u, T0);
    assertThat(t.before()).isEqualTo(LoginAttempts.NONE);
    assertThat(t.after()).isEqualTo(new LoginAttempts(1, T0, null, 0, false, T0));
    assertThat(db.loginAttempts().find(u)).contains(t.after());
  }

  @Test
  void updateWhenFieldsSetThenReadBackExactly() {
    String u = user("a@acme.test");
    LoginAttempts locked = new LoginAttempts(7, T0, T0.plusSeconds(900), 3, false, T0.plusMillis(1234));
    db.loginAttempts().update(u, a -> locked);
    assertThat(db.loginAttempts().find(u)).contains(locked);
    LoginAttempts permanent = new LoginAttempts(2, null, null, 1, true, null);
    LoginAttemptStore.Transition t = db.loginAttempts().update(u, a -> permanent);
    assertThat(t.before()).isEqualTo(locked);
    assertThat(db.loginAttempts().find(u)).contains(permanent);
  }

  @Test
  void clearUnlessLockedWhenNotLockedThenRowGoneAndWhenLockedThenKept() {
    String free = user("free@acme.test");
    String locked = user("locked@acme.test");
    String permanent = user("perm@acme.test");
    fail(db.loginAttempts(), free, T0);
    db.loginAttempts().update(locked, a -> new LoginAttempts(5, T0, T0.plusSeconds(60), 1, false, T0));
    db.loginAttempts().update(permanent, a -> new LoginAttempts(5, T0, null, 1, true, T0));

    db.loginAttempts().clearUnlessLocked(free, T0);
    db.loginAttempts().clearUnlessLocked(locked, T0.plusSeconds(59));
    db.loginAttempts().clearUnlessLocked(permanent, T0.plusSeconds(3600));

    assertThat(db.loginAttempts().find(free)).isEmpty();
    assertThat(db.loginAttempts().find(locked)).isPresent();
    assertThat(db.loginAttempts().find(permanent)).isPresent();
    db.loginAttempts().clearUnlessLocked(locked, T0.plusSeconds(60));
    assertThat(db.loginAttempts().find(locked)).isEmpty();
  }

  @Test
  void clearWhenLockedThenGoneAndTrueAndWhenNothingThenFalse() {
    String u = user("a@acme.test");
    db.loginAttempts().update(u, a -> new LoginAttempts(5, T0, null, 1, true, T0));
    assertThat(db.loginAttempts().clear(u)).isTrue();
    assertThat(db.loginAttempts().find(u)).isEmpty();
    assertThat(db.loginAttempts().clear(u)).isFalse();
  }

  @Test
  void deleteUserWhenRecordExistsThenRecordGoesWithIt() {
    String u = user("a@acme.test");
    fail(db.loginAttempts(), u, T0);
    db.users().deleteUser(u);
    assertThat(db.loginAttempts().find(u)).isEmpty();
  }

  @Test
  void updateWhenFiftyParallelFailuresWithThresholdFiveThenLockedOnceAndEveryFailureCounted() throws Exception {
    String u = user("target@acme.test");
    int attempts = 50;
    assertThat(parallelFailures(u, attempts, FIVE)).as("exactly one attempt set the lock").isEqualTo(1);

    LoginAttempts a = db.loginAttempts().find(u).orElseThrow();
    assertThat(a.failures()).isEqualTo(attempts);
    assertThat(a.lockCount()).isEqualTo(1);
    assertThat(a.isLocked(T0)).isTrue();
    assertThat(a.lockedUntil()).isEqualTo(T0.plus(Duration.ofMinutes(15)));
    assertThat(a.lastFailure()).isEqualTo(T0);
  }

  @Test
  void updateWhenFiftyParallelFailuresWithQuickLoginCheckThenQuickLockThenThresholdLockNotTheShorterOne() throws Exception {
    // The second failure sets the 60 s quick-login lock; the failures that raced past it reach the
    // threshold, whose 15-minute lock then applies: a burst never gets away with the shorter lock.
    String u = user("burst@acme.test");
    assertThat(parallelFailures(u, 50, FIVE_QUICK)).as("the quick lock, then the threshold lock").isEqualTo(2);

    LoginAttempts a = db.loginAttempts().find(u).orElseThrow();
    assertThat(a.failures()).isEqualTo(50);
    assertThat(a.lockCount()).isEqualTo(1);
    assertThat(a.isQuickLock(FIVE_QUICK)).isFalse();
    assertThat(a.lockedUntil()).isEqualTo(T0.plus(Duration.ofMinutes(15)));
  }

  @Test
  void updateWhenFailuresAlternateBetweenTwoNodesThenOneCounterLocksAtExactlyN() {
    String u = user("target@acme.test");
    Database other = TestDatabases.another(db);
    try {
      for (int i = 1; i <= 5; i++) {
        LoginAttemptStore store = i % 2 == 0 ? other.loginAttempts() : db.loginAttempts();
        LoginAttemptStore.Transition t = fail(store, u, T0.plusSeconds(i));
        assertThat(t.after().failures()).isEqualTo(i);
        assertThat(t.after().isLocked(T0.plusSeconds(i))).isEqualTo(i == 5);
      }
      assertThat(other.loginAttempts().find(u).orElseThrow().isLocked(T0.plusSeconds(6))).isTrue();
      assertThat(db.loginAttempts().clear(u)).isTrue();
      assertThat(other.loginAttempts().find(u)).isEmpty();
    } finally {
      other.close();
    }
  }
}
