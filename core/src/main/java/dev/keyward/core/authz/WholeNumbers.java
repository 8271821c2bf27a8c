package dev.keyward.core.authz;

import dev.keyward.core.error.KeywardException;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Whole numbers from a JSON body, whatever type its parser chose for them ({@code Integer},
 * {@code Long}, {@code BigInteger}, {@code Double}, {@code BigDecimal}): {@code 1e3} is 1000,
 * {@code 1.5}, {@code NaN} and anything out of range are a 400 naming the field.
 */
final class WholeNumbers {
  private WholeNumbers() {}

  /** {@code value} as a long between {@code min} and {@code max} inclusive. */
  static long inRange(String field, Number value, long min, long max) {
    BigDecimal exact;
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      exact = BigDecimal.valueOf(value.longValue());
    } else if (value instanceof BigInteger b) {
      exact = new BigDecimal(b);
    } else if (value instanceof BigDecimal d) {
      exact = d;
    } else if (Double.isFinite(value.doubleValue())) {
      exact = new BigDecimal(value.doubleValue());
    } else {
      throw outOfRange(field, min, max);
    }
    if (exact.signum() != 0 && exact.stripTrailingZeros().scale() > 0) {
      throw KeywardException.invalidField(field, "Must be a whole number from " + min + " to " + max);
    }
    if (exact.compareTo(BigDecimal.valueOf(min)) < 0 || exact.compareTo(BigDecimal.valueOf(max)) > 0) {
      throw outOfRange(field, min, max);
    }
    return exact.longValueExact();
  }

  private static KeywardException outOfRange(String field, long min, long max) {
    return KeywardException.invalidField(field, "Must be a whole number from " + min + " to " + max);
  }
}
