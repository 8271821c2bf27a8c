package dev.keyward.core.secret;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * A secret value (an API key, a password) that must never be printed. {@link #toString()} is
 * redacted; comparison is constant-time. Deliberately not a record: a record's {@code toString}
 * would print its components.
 */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  public static Secret of(String value) {
    return new Secret(value);
  }

  /** The secret itself; call only where it is hashed or shown once to its owner. */
  public String reveal() {
    return value;
  }

  public int length() {
    return value.length();
  }

  /** Constant-time equality. */
  public boolean matches(Secret other) {
    return MessageDigest.isEqual(
        value.getBytes(StandardCharsets.UTF_8), other.value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "Secret[redacted]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret s && matches(s);
  }

  @Override
  public int hashCode() {
    return 0; // no information about the value leaks through hashing
  }
}
