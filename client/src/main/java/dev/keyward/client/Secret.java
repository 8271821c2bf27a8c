package dev.keyward.client;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A secret value (an API key, a password, a token): {@link #toString()} never shows it, so that a
 * record holding one, a log line or an exception message cannot leak it by accident. Read it with
 * {@link #reveal()} where it must be used.
 *
 * @since 0.1.0
 */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  /**
   * Wraps a secret.
   *
   * @throws IllegalArgumentException when it is empty or blank
   */
  public static Secret of(String value) {
    Objects.requireNonNull(value, "secret");
    if (value.isBlank()) {
      throw new IllegalArgumentException("A secret cannot be empty");
    }
    return new Secret(value);
  }

  /** The secret itself. */
  public String reveal() {
    return value;
  }

  /** Compares in constant time (for equal lengths). */
  @Override
  public boolean equals(Object o) {
    return o instanceof Secret other
        && MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8), other.value.getBytes(StandardCharsets.UTF_8));
  }

  /** Only the length takes part: a hash of the value would tell something about it. */
  @Override
  public int hashCode() {
    return value.length();
  }

  @Override
  public String toString() {
    return "Secret[redacted]";
  }
}
