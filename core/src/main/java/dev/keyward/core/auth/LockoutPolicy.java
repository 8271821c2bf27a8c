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
 */
public record LockoutPolicy(int maxFailures, Duration window, Duration duration, Mode mode) {
  /** The longest a temporary lock grows to. */
  public static final Duration MAX_DURATION = Duration.ofHours(24);

  public static final LockoutPolicy DEFAULTS =
      new LockoutPolicy(10, Duration.ofMinutes(15), Duration.ofMinutes(15), Mode.TEMPORARY);

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
