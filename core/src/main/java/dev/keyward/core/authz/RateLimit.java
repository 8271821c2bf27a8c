package dev.keyward.core.authz;

import dev.keyward.core.error.KeywardException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A key's rate limit: at most {@code limit} calls per window of {@code periodSeconds}, the window
 * starting with the first call it counts (wire form {@code {"limit":N,"periodSeconds":S}}).
 *
 * @param limit 1 to 1,000,000 calls
 * @param periodSeconds 1 to 86,400 seconds (one day)
 */
public record RateLimit(int limit, int periodSeconds) {
  public static final int MAX_LIMIT = 1_000_000;
  public static final int MAX_PERIOD_SECONDS = 86_400;

  /** @throws KeywardException 400 naming {@code rateLimit.limit} or {@code rateLimit.periodSeconds} */
  public RateLimit {
    WholeNumbers.inRange("rateLimit.limit", limit, 1, MAX_LIMIT);
    WholeNumbers.inRange("rateLimit.periodSeconds", periodSeconds, 1, MAX_PERIOD_SECONDS);
  }

  /**
   * Reads the wire form; both members are required.
   *
   * @param field the request field, such as {@code rateLimit}; errors name {@code field.limit} or
   *     {@code field.periodSeconds}
   */
  public static RateLimit parse(String field, @Nullable Number limit, @Nullable Number periodSeconds) {
    int l = (int) WholeNumbers.inRange(field + ".limit", required(field + ".limit", limit), 1, MAX_LIMIT);
    int p = (int) WholeNumbers.inRange(field + ".periodSeconds", required(field + ".periodSeconds", periodSeconds), 1, MAX_PERIOD_SECONDS);
    return new RateLimit(l, p);
  }

  public Duration period() {
    return Duration.ofSeconds(periodSeconds);
  }

  private static Number required(String field, @Nullable Number value) {
    if (value == null) {
      throw KeywardException.invalidField(field, "Required: a whole number");
    }
    return value;
  }
}
