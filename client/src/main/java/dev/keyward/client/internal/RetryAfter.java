package dev.keyward.client.internal;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * How long an answer asks the caller to wait: {@code Retry-After} (RFC 9110 §10.2.3: seconds or
 * an HTTP date), else {@code RateLimit-Reset} (seconds until the rate-limit window resets, as
 * Keyward's gateway sends it).
 */
public final class RetryAfter {
  private RetryAfter() {}

  public static Optional<Duration> of(HttpHeaders headers, Clock clock) {
    Optional<Duration> retryAfter = headers.firstValue("Retry-After").flatMap(v -> parse(v, clock));
    if (retryAfter.isPresent()) {
      return retryAfter;
    }
    return headers.firstValue("RateLimit-Reset").flatMap(RetryAfter::seconds);
  }

  static Optional<Duration> parse(String value, Clock clock) {
    Optional<Duration> seconds = seconds(value);
    if (seconds.isPresent()) {
      return seconds;
    }
    try {
      ZonedDateTime at = ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
      Duration d = Duration.between(clock.instant(), at.toInstant());
      return Optional.of(d.isNegative() ? Duration.ZERO : d);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static Optional<Duration> seconds(String value) {
    String v = value.strip();
    if (v.isEmpty() || v.length() > 9 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
  }
}
