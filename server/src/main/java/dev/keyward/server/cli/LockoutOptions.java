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
    return new LockoutPolicy(maxFailures, Duration.ofSeconds(windowSeconds), Duration.ofSeconds(durationSeconds), m);
  }
}
