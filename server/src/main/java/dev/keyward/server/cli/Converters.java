package dev.keyward.server.cli;

import dev.keyward.server.api.KeyBodies;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option values people type: durations such as {@code 90}, {@code 15m}, {@code 24h}, {@code 7d}, and rate limits. */
final class Converters {
  private Converters() {}

  /** A duration in whole seconds: a number of seconds, or a number followed by s, m, h or d. */
  static final class Seconds implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
      return seconds(value);
    }
  }

  /** {@code LIMIT/PERIOD}: e.g. {@code 100/60s} or {@code 5000/1h}: at most LIMIT calls per PERIOD. */
  static final class RateLimit implements ITypeConverter<KeyBodies.RateLimitBody> {
    @Override
    public KeyBodies.RateLimitBody convert(String value) {
      int slash = value.indexOf('/');
      if (slash < 1) {
        throw new TypeConversionException("'" + value + "' is not a rate limit: write LIMIT/PERIOD, e.g. 100/60s or 5000/1h");
      }
      long limit;
      try {
        limit = Long.parseLong(value.substring(0, slash).strip());
      } catch (NumberFormatException e) {
        throw new TypeConversionException("'" + value + "' is not a rate limit: LIMIT must be a whole number, e.g. 100/60s");
      }
      return new KeyBodies.RateLimitBody(limit, seconds(value.substring(slash + 1)));
    }
  }

  static long seconds(String value) {
    String v = value.strip().toLowerCase(Locale.ROOT);
    long unit = 1;
    if (!v.isEmpty() && Character.isLetter(v.charAt(v.length() - 1))) {
      unit = switch (v.charAt(v.length() - 1)) {
        case 's' -> 1;
        case 'm' -> 60;
        case 'h' -> 3600;
        case 'd' -> 86_400;
        default -> throw new TypeConversionException("'" + value + "' is not a duration: use seconds, or a number with s, m, h or d");
      };
      v = v.substring(0, v.length() - 1);
    }
    try {
      long n = Long.parseLong(v);
      if (n < 0) {
        throw new TypeConversionException("'" + value + "' is negative");
      }
      return Math.multiplyExact(n, unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new TypeConversionException("'" + value + "' is not a duration: use seconds, or a number with s, m, h or d (e.g. 24h)");
    }
  }
}
