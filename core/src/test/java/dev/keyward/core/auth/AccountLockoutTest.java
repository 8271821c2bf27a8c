package dev.keyward.core.auth;

import static dev.keyward.core.testing.KeywardAssertions.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.core.audit.AuditEvent;
import dev.keyward.core.error.ErrorCode;
import dev.keyward.core.error.KeywardException;
import dev.keyward.core.principal.UserService;
import dev.keyward.core.secret.Secret;
import dev.keyward.core.testing.TestKeyward;
import java.time.Duration;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** Lockout through the authenticator (KC-01, KC-02, KC-05, KC-06, KC-07, KC-08, KC-09, KC-10, KC-13, ASVS-03). */
class AccountLockoutTest {
  private static final LockoutPolicy TEMPORARY =
      new LockoutPolicy(3, Duration.ofMinutes(15), Duration.ofMinutes(15), LockoutPolicy.Mode.TEMPORARY);
  private final TestKeyward k = TestKeyward.start(TEMPORARY);
  private final UserService.CreatedUser bot = k.createUser("bot@example.com");
  private final Secret password = Objects.requireNonNull(bot.password());
  private final String email = bot.member().user().email();

  private void wrong(int times) {
    for (int i = 0; i < times; i++) {
      Secret guess = Secret.of("wrong password " + i);
      assertFails(() -> k.login(email, guess), ErrorCode.INVALID_CREDENTIALS);
    }
  }

  @Test
  void authenticateWhenThresholdReachedThenRightPasswordRefusedWithAccountLocked() {
    wrong(3);
    KeywardException e = assertFails(() -> k.login(email, password), ErrorCode.ACCOUNT_LOCKED);
    assertThat(e.publicMessage()).contains("locked").contains("until " + k.clock().instant().plus(Duration.ofMinutes(15)));
    assertThat(e.retryAfter()).isEqualTo(Duration.ofMinutes(15));
    k.clock().advance(Duration.ofMinutes(10).plusMillis(1));
    assertThat(assertFails(() -> k.login(email, password), ErrorCode.ACCOUNT_LOCKED).retryAfter())
        .as("whole seconds until the end, rounded up").isEqualTo(Duration.ofSeconds(300));
    assertFails(() -> k.login(email, Secret.of("wrong again")), ErrorCode.ACCOUNT_LOCKED);
    assertThat(k.lockout().status(bot.member().user().id()).locked()).isTrue();
  }

  @Test
  void authenticateWhenLoginCachedThenLockStillRefusesAtOnce() {
    k.login(email, password); // cached for an hour in TestKeyward
    wrong(3);
    assertFails(() -> k.login(email, password), ErrorCode.ACCOUNT_LOCKED);
  }

  @Test
  void authenticateWhenLockedThenAttemptsDoNotExtendAndLockEndsOnTime() {
    wrong(3);
    k.clock().advance(Duration.ofMinutes(14));
    for (int i = 0; i < 5; i++) {
      assertFails(() -> k.login(email, Secret.of("still guessing")), ErrorCode.ACCOUNT_LOCKED);
    }
    assertThat(k.loginAttempts().find(bot.member().user().id()).orElseThrow().failures()).isEqualTo(3);
    k.clock().advance(Duration.ofMinutes(1));
    assertThat(k.login(email, password).userId()).isEqualTo(bot.member().user().id());
    assertThat(k.loginAttempts().find(bot.member().user().id())).isEmpty();
  }

  @Test
  void authenticateWhenFailuresAlternateWithSuccessThenNeverLocked() {
    for (int i = 0; i < 5; i++) {
      wrong(2);
      k.login(email, password);
    }
    assertThat(k.lockout().status(bot.member().user().id()).locked()).isFalse();
  }

  @Test
  void authenticateWhenEmailCaseDiffersThenSameCounter() {
    assertFails(() -> k.login(email.toUpperCase(java.util.Locale.ROOT), Secret.of("x1")), ErrorCode.INVALID_CREDENTIALS);
    assertFails(() -> k.login("Bot@Example.com", Secret.of("x2")), ErrorCode.INVALID_CREDENTIALS);
    assertFails(() -> k.login(email, Secret.of("x3")), ErrorCode.INVALID_CREDENTIALS);
    assertFails(() -> k.login(email, password), ErrorCode.ACCOUNT_LOCKED);
  }

  @Test
  void authenticateWhenEmailUnknownThenNothingRecorded() {
    for (int i = 0; i < 5; i++) {
      assertFails(() -> k.login("nobody@example.com", Secret.of("guess")), ErrorCode.INVALID_CREDENTIALS);
    }
    assertThat(k.loginAttempts().size()).isZero();
  }

  @Test
  void authenticateWhenLockedThenApiKeysStillWork() {
    wrong(3);
    assertThat(k.authenticate(bot.defaultKey().secret()).userId()).isEqualTo(bot.member().user().id());
  }

  @Test
  void byPasswordWhenGrantPathsMixedThenOneCounterLocksEverywhere() {
    assertFails(() -> k.authenticator().byPassword(email, Secret.of("grant 1"), null, TestKeyward.IP), ErrorCode.INVALID_CREDENTIALS);
    wrong(1);
    assertFails(() -> k.authenticator().byPassword(email, Secret.of("grant 2"), "default", TestKeyward.IP), ErrorCode.INVALID_CREDENTIALS);
    assertFails(() -> k.authenticator().byPassword(email, password, null, TestKeyward.IP), ErrorCode.ACCOUNT_LOCKED);
    assertFails(() -> k.login(email, password), ErrorCode.ACCOUNT_LOCKED);
  }

  @Test
  void failedWhenLockSetThenAuditedOnceWithIp() {
    wrong(3);
    assertFails(() -> k.login(email, Secret.of("while locked")), ErrorCode.ACCOUNT_LOCKED);
    var locked = k.audit().events(AuditEvent.USER_LOCKED, k.defaultTenantId());
    assertThat(locked).hasSize(1);
    assertThat(locked.get(0).subjectId()).isEqualTo(bot.member().user().id());
    assertThat(locked.get(0).ip()).isEqualTo(TestKeyward.IP);
    assertThat(locked.get(0).actorId()).isNull();
    assertThat(k.audit().events(AuditEvent.AUTH_FAILED, k.defaultTenantId())).hasSize(3);
  }

  @Test
  void unlockWhenAdminThenLoginWorksAndUnlockAudited() {
    wrong(3);
    Actor owner = k.owner();
    k.lockout().unlock(owner, bot.member().user().id());
    assertThat(k.login(email, password).userId()).isEqualTo(bot.member().user().id());
    var unlocked = k.audit().events(AuditEvent.USER_UNLOCKED, k.defaultTenantId());
    assertThat(unlocked).singleElement().satisfies(e -> {
      assertThat(e.actorId()).isEqualTo(owner.userId());
      assertThat(e.subjectId()).isEqualTo(bot.member().user().id());
    });
  }

  @Test
  void unlockWhenUnknownIdOrNotAdminThenNotFoundOrForbidden() {
    assertFails(() -> k.lockout().unlock(k.owner(), "usr_unknown"), ErrorCode.NOT_FOUND);
    assertFails(() -> k.lockout().unlock(k.owner(), k.generator().id("usr")), ErrorCode.NOT_FOUND);
    UserService.CreatedUser other = k.createUser("other@example.com");
    assertFails(() -> k.lockout().unlock(k.signedIn(other), bot.member().user().id()), ErrorCode.FORBIDDEN);
  }

  @Test
  void authenticateWhenUntilUnlockedModeThenOnlyUnlockLifts() {
    TestKeyward p = TestKeyward.start(new LockoutPolicy(2, Duration.ofMinutes(15), Duration.ofMinutes(15), LockoutPolicy.Mode.UNTIL_UNLOCKED));
    UserService.CreatedUser u = p.createUser("perm@example.com");
    Secret pw = Objects.requireNonNull(u.password());
    String mail = u.member().user().email();
    assertFails(() -> p.login(mail, Secret.of("a")), ErrorCode.INVALID_CREDENTIALS);
    assertFails(() -> p.login(mail, Secret.of("b")), ErrorCode.INVALID_CREDENTIALS);
    p.clock().advance(Duration.ofDays(30));
    KeywardException e = assertFails(() -> p.login(mail, pw), ErrorCode.ACCOUNT_LOCKED);
    assertThat(e.publicMessage()).contains("an admin must unlock it");
    assertThat(e.retryAfter()).as("no end to wait for").isNull();
    assertThat(p.lockout().status(u.member().user().id())).isEqualTo(new AccountLockout.LockStatus(true, null));
    assertThat(p.lockout().unlockByEmail("PERM@example.com", "cli")).isTrue();
    assertThat(p.login(mail, pw).userId()).isEqualTo(u.member().user().id());
    assertThat(p.lockout().unlockByEmail("nobody@example.com", "cli")).isFalse();
  }

  @Test
  void authenticateWhenTwoWrongPasswordsWithinQuickLoginIntervalThenLockedForTheWaitAndAudited() {
    TestKeyward q = TestKeyward.start(TEMPORARY.withQuickLogin(Duration.ofMillis(1000), Duration.ofSeconds(60)));
    UserService.CreatedUser u = q.createUser("quick@example.com");
    Secret pw = Objects.requireNonNull(u.password());
    String mail = u.member().user().email();
    assertFails(() -> q.login(mail, Secret.of("guess 1")), ErrorCode.INVALID_CREDENTIALS);
    q.clock().advance(Duration.ofMillis(400));
    assertFails(() -> q.login(mail, Secret.of("guess 2")), ErrorCode.INVALID_CREDENTIALS);

    KeywardException e = assertFails(() -> q.login(mail, pw), ErrorCode.ACCOUNT_LOCKED);
    assertThat(e.publicMessage()).contains("quick succession").contains("until " + q.clock().instant().plus(Duration.ofSeconds(60)));
    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(60));
    assertThat(q.lockout().status(u.member().user().id()))
        .isEqualTo(new AccountLockout.LockStatus(true, q.clock().instant().plus(Duration.ofSeconds(60))));
    var locked = q.audit().events(AuditEvent.USER_LOCKED, q.defaultTenantId());
    assertThat(locked).singleElement().satisfies(ev -> assertThat(ev.detail()).contains("less than 1000 ms apart"));

    q.clock().advance(Duration.ofSeconds(60));
    assertThat(q.login(mail, pw).userId()).isEqualTo(u.member().user().id());
    assertThat(q.loginAttempts().find(u.member().user().id())).as("a success clears the record").isEmpty();
  }

  @Test
  void authenticateWhenWrongPasswordsSlowerThanQuickLoginIntervalThenOnlyTheThresholdLocks() {
    TestKeyward q = TestKeyward.start(TEMPORARY.withQuickLogin(Duration.ofMillis(1000), Duration.ofSeconds(60)));
    UserService.CreatedUser u = q.createUser("slow@example.com");
    String mail = u.member().user().email();
    for (int i = 0; i < 2; i++) {
      assertFails(() -> q.login(mail, Secret.of("guess")), ErrorCode.INVALID_CREDENTIALS);
      q.clock().advance(Duration.ofMillis(1000));
    }
    assertThat(q.login(mail, Objects.requireNonNull(u.password())).userId()).isEqualTo(u.member().user().id());
  }

  @Test
  void authenticateWhenMoreTemporaryLocksThanAllowedThenPermanentUntilUnlockWhichClearsTheCount() {
    TestKeyward p = TestKeyward.start(new LockoutPolicy(2, Duration.ofMinutes(15), Duration.ofMinutes(1), LockoutPolicy.Mode.TEMPORARY)
        .withPermanentAfter(1));
    UserService.CreatedUser u = p.createUser("escalate@example.com");
    Secret pw = Objects.requireNonNull(u.password());
    String mail = u.member().user().email();
    String id = u.member().user().id();
    Runnable twoWrong = () -> {
      assertFails(() -> p.login(mail, Secret.of("a")), ErrorCode.INVALID_CREDENTIALS);
      assertFails(() -> p.login(mail, Secret.of("b")), ErrorCode.INVALID_CREDENTIALS);
    };
    twoWrong.run();
    assertThat(assertFails(() -> p.login(mail, pw), ErrorCode.ACCOUNT_LOCKED).retryAfter()).isEqualTo(Duration.ofMinutes(1));
    p.clock().advance(Duration.ofMinutes(1));
    twoWrong.run();
    KeywardException e = assertFails(() -> p.login(mail, pw), ErrorCode.ACCOUNT_LOCKED);
    assertThat(e.publicMessage()).contains("an admin must unlock it");
    assertThat(e.retryAfter()).isNull();
    p.clock().advance(Duration.ofDays(365));
    assertFails(() -> p.login(mail, pw), ErrorCode.ACCOUNT_LOCKED);
    assertThat(p.lockout().status(id)).isEqualTo(new AccountLockout.LockStatus(true, null));
    var locks = p.audit().events(AuditEvent.USER_LOCKED, p.defaultTenantId());
    assertThat(locks).hasSize(2);
    assertThat(locks.get(1).detail()).contains("until an admin unlocks it").contains("lock 2 in a row");

    p.lockout().unlock(p.owner(), id);
    assertThat(p.login(mail, pw).userId()).isEqualTo(id);
    // The unlock cleared the locks in a row: the next lock is the first again, temporary.
    twoWrong.run();
    assertThat(assertFails(() -> p.login(mail, pw), ErrorCode.ACCOUNT_LOCKED).retryAfter()).isEqualTo(Duration.ofMinutes(1));
  }
}
