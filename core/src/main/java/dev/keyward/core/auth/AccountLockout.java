package dev.keyward.core.auth;

import dev.keyward.core.audit.AuditEvent;
import dev.keyward.core.audit.Auditor;
import dev.keyward.core.error.ErrorCode;
import dev.keyward.core.error.KeywardException;
import dev.keyward.core.principal.Emails;
import dev.keyward.core.principal.Member;
import dev.keyward.core.principal.UserStore;
import dev.keyward.core.secret.SecretGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Locks an account after too many wrong passwords ({@link LockoutPolicy}), on every password path
 * (HTTP Basic, the password and client-credentials grants, partner sign-in): they all go through
 * {@link Authenticator}, so they share one counter per account. API keys and access tokens are
 * not affected: lockout is about guessing passwords. Counting happens in the store, so a lock
 * holds across restarts and on every node; an admin lifts it with {@link #unlock}.
 */
public final class AccountLockout {
  private final LoginAttemptStore attempts;
  private final UserStore users;
  private final Auditor auditor;
  private final Clock clock;
  private final LockoutPolicy policy;
  /**
   * Accounts last read with no failure and no lock, reused for {@link #CLEAN_FOR}: a password
   * login of a clean account costs no store read, and a lock set on another node is still seen
   * within that time (below the one-second bound every change must meet). Failures on this node
   * drop the entry at once.
   */
  private final com.github.benmanes.caffeine.cache.Cache<String, Boolean> clean =
      com.github.benmanes.caffeine.cache.Caffeine.newBuilder().expireAfterWrite(CLEAN_FOR).maximumSize(100_000).build();
  static final Duration CLEAN_FOR = Duration.ofMillis(800);

  public AccountLockout(LoginAttemptStore attempts, UserStore users, Auditor auditor, Clock clock, LockoutPolicy policy) {
    this.attempts = attempts;
    this.users = users;
    this.auditor = auditor;
    this.clock = clock;
    this.policy = policy;
  }

  /** Whether an account is locked now, and until when (null: until an admin unlocks it). */
  public record LockStatus(boolean locked, @Nullable Instant lockedUntil) {
    public static final LockStatus UNLOCKED = new LockStatus(false, null);
  }

  public LockoutPolicy policy() {
    return policy;
  }

  /**
   * Refuses a locked account before its password is compared (one indexed read); returns the
   * record, which {@link #succeeded} uses to skip a write when there is nothing to clear.
   */
  LoginAttempts requireNotLocked(String userId) {
    if (clean.getIfPresent(userId) != null) {
      return LoginAttempts.NONE;
    }
    LoginAttempts current = attempts.find(userId).orElse(LoginAttempts.NONE);
    Instant now = clock.instant();
    if (current.isLocked(now)) {
      throw locked(current, now);
    }
    if (current.isClean()) {
      clean.put(userId, Boolean.TRUE);
    }
    return current;
  }

  /** Counts a wrong password of an existing account; locks it (and audits the lock) at the threshold. */
  void failed(UserStore.Login login, @Nullable String ip) {
    clean.invalidate(login.user().id());
    Instant now = clock.instant();
    LoginAttemptStore.Transition t = attempts.update(login.user().id(), a -> a.afterFailure(now, policy));
    if (t.before().lockedBy(t.after())) {
      LoginAttempts a = t.after();
      String why = a.isQuickLock(policy)
          ? "after failed password attempts less than " + policy.quickLoginInterval().toMillis() + " ms apart"
          : "after " + a.failures() + " failed password attempts";
      String detail = a.permanent()
          ? why + "; until an admin unlocks it" + (a.lockCount() > 1 ? " (lock " + a.lockCount() + " in a row)" : "")
          : why + "; until " + a.lockedUntil();
      for (UserStore.TenantRoles m : login.memberships()) {
        auditor.recordBy(m.tenantId(), AuditEvent.USER_LOCKED, null, ip, "user", login.user().id(), detail);
      }
    }
  }

  /** A right password resets the failure count (a lock set meanwhile by a concurrent attempt stays). */
  void succeeded(String userId, LoginAttempts seen) {
    if (!seen.isClean()) {
      attempts.clearUnlessLocked(userId, clock.instant());
    }
  }

  public LockStatus status(String userId) {
    LoginAttempts a = attempts.find(userId).orElse(LoginAttempts.NONE);
    Instant now = clock.instant();
    return a.isLocked(now) ? new LockStatus(true, a.permanent() ? null : a.lockedUntil()) : LockStatus.UNLOCKED;
  }

  /**
   * {@code POST /api/v1/users/{id}/unlock}: clears failures and lock of a user of the admin's
   * tenant (others are not found). Takes effect at once on every node: the lock is read on each
   * password login.
   */
  public Member unlock(Actor actor, String userId) {
    Access.requireAdmin(actor);
    if (!SecretGenerator.looksLikeId(userId, "usr")) {
      throw KeywardException.notFound("User");
    }
    Member member = users.findMember(actor.tenantId(), userId).orElseThrow(() -> KeywardException.notFound("User"));
    boolean had = attempts.clear(userId);
    auditor.record(actor.tenantId(), AuditEvent.USER_UNLOCKED, actor, "user", userId, had ? null : "was not locked");
    return member;
  }

  /** The CLI's unlock, by email; false when no account has that email. */
  public boolean unlockByEmail(String email, String detail) {
    Optional<UserStore.Login> login = users.findLogin(Emails.lookupForm(email));
    if (login.isEmpty()) {
      return false;
    }
    String userId = login.get().user().id();
    attempts.clear(userId);
    for (UserStore.TenantRoles m : login.get().memberships()) {
      auditor.recordBy(m.tenantId(), AuditEvent.USER_UNLOCKED, null, null, "user", userId, detail);
    }
    return true;
  }

  /**
   * The refusal of a locked account. A temporary lock says when it ends, in the message and as
   * {@link KeywardException#retryAfter()} (whole seconds, rounded up); a permanent one neither.
   */
  private KeywardException locked(LoginAttempts a, Instant now) {
    Instant until = a.lockedUntil();
    if (a.permanent() || until == null) {
      return new KeywardException(ErrorCode.ACCOUNT_LOCKED,
          "The account is locked after too many failed password attempts; an admin must unlock it");
    }
    String why = a.isQuickLock(policy) ? "failed password attempts in quick succession" : "too many failed password attempts";
    long millis = Duration.between(now, until).toMillis();
    Duration retryAfter = Duration.ofSeconds(Math.max(1, (millis + 999) / 1000));
    return KeywardException.retryLater(ErrorCode.ACCOUNT_LOCKED, "The account is locked after " + why + " until " + until, retryAfter);
  }
}
