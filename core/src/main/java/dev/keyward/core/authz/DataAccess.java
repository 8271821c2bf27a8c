package dev.keyward.core.authz;

import java.util.Locale;
import java.util.Optional;

/**
 * How much of the customer's data a key may touch: {@code none} (default), {@code read} or
 * {@code read_write}. A route may require read or read-write access.
 */
public enum DataAccess {
  NONE,
  READ,
  READ_WRITE;

  /** True when a key with this access may do what {@code needed} asks. */
  public boolean permits(DataAccess needed) {
    return this.compareTo(needed) >= 0;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The access for a wire name ({@code none}, {@code read}, {@code read_write}), exact case. */
  public static Optional<DataAccess> fromWire(String text) {
    for (DataAccess d : values()) {
      if (d.wireName().equals(text)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }
}
