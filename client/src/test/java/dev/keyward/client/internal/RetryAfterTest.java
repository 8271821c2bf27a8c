package dev.keyward.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading how long an answer asks to wait (RFC 9110 §10.2.3, and the gateway's RateLimit-Reset). */
class RetryAfterTest {
  private static final Clock NOW = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);

  private static HttpHeaders headers(Map<String, List<String>> map) {
    return HttpHeaders.of(map, (n, v) -> true);
  }

  @Test
  void ofWhenSecondsThenThatLong() {
    assertThat(RetryAfter.of(headers(Map.of("Retry-After", List.of("5"))), NOW)).contains(Duration.ofSeconds(5));
    assertThat(RetryAfter.of(headers(Map.of("Retry-After", List.of(" 0 "))), NOW)).contains(Duration.ZERO);
  }

  @Test
  void ofWhenHttpDateThenUntilThenAndNeverNegative() {
    assertThat(RetryAfter.of(headers(Map.of("Retry-After", List.of("Mon, 23 Nov 2026 10:00:30 GMT"))), NOW)).contains(Duration.ofSeconds(30));
    assertThat(RetryAfter.of(headers(Map.of("Retry-After", List.of("Mon, 23 Nov 2026 09:00:00 GMT"))), NOW)).contains(Duration.ZERO);
  }

  @Test
  void ofWhenOnlyRateLimitResetThenItsSeconds() {
    assertThat(RetryAfter.of(headers(Map.of("RateLimit-Reset", List.of("2"))), NOW)).contains(Duration.ofSeconds(2));
    assertThat(RetryAfter.of(headers(Map.of("Retry-After", List.of("1"), "RateLimit-Reset", List.of("9"))), NOW))
        .as("Retry-After wins").contains(Duration.ofSeconds(1));
  }

  @Test
  void ofWhenGarbageOrAbsentThenNothing() {
    assertThat(RetryAfter.of(headers(Map.of("Retry-After", List.of("-1"))), NOW)).isEmpty();
    assertThat(RetryAfter.of(headers(Map.of("Retry-After", List.of("soon"))), NOW)).isEmpty();
    assertThat(RetryAfter.of(headers(Map.of("Retry-After", List.of("99999999999"))), NOW)).isEmpty();
    assertThat(RetryAfter.of(headers(Map.of()), NOW)).isEmpty();
  }
}
