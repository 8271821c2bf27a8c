package dev.keyward.core.auth;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * When too many wrong passwords lock an account, and for how long.
 *
 * @param maxFailures failed password attempts within {@code window} that lock the account (default 10)
 * @param window how long failures keep counting from the first one (default 15 minutes)
 * @param duration how long a temporary lock lasts the first time; the k-th lock in a row lasts
 *     {@code duration × k}, at most {@link #MAX_DURATION} (default 15 minutes)
 * @param mode temporary locks, or locks only an admin lifts
 * @param quickLoginInterval two failures closer together than this lock the account for
 *     {@code quickLoginWait} even below {@code maxFailures}: a person does not mistype twice within
 *     a second, a guessing script does (default 1 second; zero turns the check off)
 * @param quickLoginWait how long such a quick-login lock lasts (default 60 seconds). It neither
 *     counts as one of the locks in a row nor ever becomes permanent, and the failures before it
 *     go on counting towards {@code maxFailures} (Keycloak's brute-force detector does the same)
 * @param permanentAfter in temporary mode, the number of temporary locks in a row after which the
 *     next lock lasts until an admin unlocks (the {@code (k+1)}-th is permanent); 0 (default)
 *     means never. "In a row": since the last successful login or unlock
 * @see <a href="https://github.com/keycloak/keycloak/blob/main/services/src/main/java/org/keycloak/services/managers/DefaultBruteForceProtector.java">Keycloak's brute-force protector</a>
 */
public record LockoutPolicy(int maxFailures, Duration window, Duration duration, Mode mode,
    Duration quickLoginInterval, Duration quickLoginWait, int permanentAfter) {
  /** The longest a temporary lock grows to. */
  public static final Duration MAX_DURATION = Duration.ofHours(24);
  /** Default quick-login check: two failures within this time lock the account for {@link #QUICK_LOGIN_WAIT}. */
  public static final Duration QUICK_LOGIN_INTERVAL = Duration.ofMillis(1000);
  public static final Duration QUICK_LOGIN_WAIT = Duration.ofSeconds(60);

  public static final LockoutPolicy DEFAULTS = new LockoutPolicy(10, Duration.ofMinutes(15), Duration.ofMinutes(15),
      Mode.TEMPORARY, QUICK_LOGIN_INTERVAL, QUICK_LOGIN_WAIT, 0);

  /** How a lock ends. */
  public enum Mode {
    /** The lock ends by itself after its duration (which grows on repeat). */
    TEMPORARY("temporary"),
    /** Only an admin (API or CLI) lifts the lock. */
    UNTIL_UNLOCKED("until-unlocked");

    private final String wireName;

    Mode(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }

    /** Parses {@code temporary} or {@code until-unlocked} (case-insensitive, {@code _} allowed). */
    public static Optional<Mode> parse(String text) {
      String t = text.strip().toLowerCase(Locale.ROOT).replace('_', '-');
      for (Mode m : values()) {
        if (m.wireName.equals(t)) {
          return Optional.of(m);
        }
      }
      return Optional.empty();
    }
  }

  /** A policy that only counts failures: no quick-login check, no escalation to permanent locks. */
  public LockoutPolicy(int maxFailures, Duration window, Duration duration, Mode mode) {
    this(maxFailures, window, duration, mode, Duration.ZERO, QUICK_LOGIN_WAIT, 0);
  }

  public LockoutPolicy {
    if (maxFailures < 1) {
      throw new IllegalArgumentException("The lockout threshold must be at least 1 failed attempt");
    }
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("The lockout window must be positive");
    }
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("The lockout duration must be positive");
    }
    if (quickLoginInterval.isNegative()) {
      throw new IllegalArgumentException("The quick-login interval must not be negative (zero turns the check off)");
    }
    if (quickLoginWait.isNegative() || quickLoginWait.isZero() || quickLoginWait.compareTo(MAX_DURATION) > 0) {
      throw new IllegalArgumentException("The quick-login wait must be positive and at most 24 hours");
    }
    if (permanentAfter < 0) {
      throw new IllegalArgumentException("The number of temporary locks before a permanent one must not be negative (0: never)");
    }
    if (permanentAfter > 0 && mode != Mode.TEMPORARY) {
      throw new IllegalArgumentException("Permanent locks after temporary ones need the temporary mode; until-unlocked locks are permanent at once");
    }
  }

  /** The same policy with the quick-login check set (a zero interval turns it off). */
  public LockoutPolicy withQuickLogin(Duration interval, Duration wait) {
    return new LockoutPolicy(maxFailures, window, duration, mode, interval, wait, permanentAfter);
  }

  /** The same policy where the lock after {@code temporaryLocks} temporary ones is permanent (0: never). */
  public LockoutPolicy withPermanentAfter(int temporaryLocks) {
    return new LockoutPolicy(maxFailures, window, duration, mode, quickLoginInterval, quickLoginWait, temporaryLocks);
  }

  /** Whether two failures {@code apart} apart trigger a quick-login lock. */
  public boolean isQuickLogin(Duration apart) {
    return !quickLoginInterval.isZero() && apart.compareTo(quickLoginInterval) < 0;
  }

  /** Whether the {@code lockNumber}-th lock in a row lasts until an admin unlocks. */
  public boolean isPermanent(int lockNumber) {
    return mode == Mode.UNTIL_UNLOCKED || (permanentAfter > 0 && lockNumber > permanentAfter);
  }

  /** How long the {@code lockNumber}-th lock in a row lasts (temporary mode). */
  public Duration lockDuration(int lockNumber) {
    long factor = Math.max(1, lockNumber);
    if (duration.compareTo(MAX_DURATION.dividedBy(factor)) > 0) {
      return MAX_DURATION;
    }
    Duration d = duration.multipliedBy(factor);
    return d.compareTo(MAX_DURATION) > 0 ? MAX_DURATION : d;
  }
}
