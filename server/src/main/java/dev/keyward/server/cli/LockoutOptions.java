package dev.keyward.server.cli;

import dev.keyward.core.auth.LockoutPolicy;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Account-lockout settings of {@code serve}. */
public final class LockoutOptions {
  @Option(names = "--lockout-max-failures", defaultValue = "${env:KEYWARD_LOCKOUT_MAX_FAILURES:-10}", description = "Failed password attempts within the window that lock an account (KEYWARD_LOCKOUT_MAX_FAILURES; default ${DEFAULT-VALUE}).")
  int maxFailures = 10;

  @Option(names = "--lockout-window", defaultValue = "${env:KEYWARD_LOCKOUT_WINDOW:-900}", description = "Seconds during which failures count, from the first (KEYWARD_LOCKOUT_WINDOW; default ${DEFAULT-VALUE}).")
  long windowSeconds = 900;

  @Option(names = "--lockout-duration", defaultValue = "${env:KEYWARD_LOCKOUT_DURATION:-900}", description = "Seconds a temporary lock lasts; the n-th lock in a row lasts n times as long, at most 24 h (KEYWARD_LOCKOUT_DURATION; default ${DEFAULT-VALUE}).")
  long durationSeconds = 900;

  @Option(names = "--lockout-mode", defaultValue = "${env:KEYWARD_LOCKOUT_MODE:-temporary}", description = "temporary, or until-unlocked: only an admin unlocks (KEYWARD_LOCKOUT_MODE; default ${DEFAULT-VALUE}).")
  String mode = "temporary";

  @Option(names = "--lockout-quick-login-interval", defaultValue = "${env:KEYWARD_LOCKOUT_QUICK_LOGIN_INTERVAL:-1000}", description = "Milliseconds: two failures closer together than this lock the account for the quick-login wait, even below the threshold; 0 turns the check off (KEYWARD_LOCKOUT_QUICK_LOGIN_INTERVAL; default ${DEFAULT-VALUE}).")
  long quickLoginIntervalMillis = 1000;

  @Option(names = "--lockout-quick-login-wait", defaultValue = "${env:KEYWARD_LOCKOUT_QUICK_LOGIN_WAIT:-60}", description = "Seconds a quick-login lock lasts (KEYWARD_LOCKOUT_QUICK_LOGIN_WAIT; default ${DEFAULT-VALUE}).")
  long quickLoginWaitSeconds = 60;

  @Option(names = "--lockout-permanent-after", defaultValue = "${env:KEYWARD_LOCKOUT_PERMANENT_AFTER:-0}", description = "Temporary locks in a row after which the next lock lasts until an admin unlocks; 0 means never (KEYWARD_LOCKOUT_PERMANENT_AFTER; default ${DEFAULT-VALUE}; temporary mode only).")
  int permanentAfter;

  LockoutPolicy policy() {
    LockoutPolicy.Mode m = LockoutPolicy.Mode.parse(mode).orElseThrow(() ->
        new IllegalArgumentException("--lockout-mode must be temporary or until-unlocked"));
    if (maxFailures < 1 || maxFailures > 1_000_000) {
      throw new IllegalArgumentException("--lockout-max-failures must be between 1 and 1000000");
    }
    if (windowSeconds < 1 || windowSeconds > 31_536_000) {
      throw new IllegalArgumentException("--lockout-window must be between 1 and 31536000 seconds");
    }
    if (durationSeconds < 1 || durationSeconds > 86_400) {
      throw new IllegalArgumentException("--lockout-duration must be between 1 and 86400 seconds");
    }
    if (quickLoginIntervalMillis < 0 || quickLoginIntervalMillis > 60_000) {
      throw new IllegalArgumentException("--lockout-quick-login-interval must be between 0 (off) and 60000 milliseconds");
    }
    if (quickLoginWaitSeconds < 1 || quickLoginWaitSeconds > 86_400) {
      throw new IllegalArgumentException("--lockout-quick-login-wait must be between 1 and 86400 seconds");
    }
    if (permanentAfter < 0 || permanentAfter > 1000) {
      throw new IllegalArgumentException("--lockout-permanent-after must be between 0 (never) and 1000");
    }
    if (permanentAfter > 0 && m != LockoutPolicy.Mode.TEMPORARY) {
      throw new IllegalArgumentException("--lockout-permanent-after needs --lockout-mode temporary (until-unlocked locks are permanent at once)");
    }
    return new LockoutPolicy(maxFailures, Duration.ofSeconds(windowSeconds), Duration.ofSeconds(durationSeconds), m,
        Duration.ofMillis(quickLoginIntervalMillis), Duration.ofSeconds(quickLoginWaitSeconds), permanentAfter);
  }
}
