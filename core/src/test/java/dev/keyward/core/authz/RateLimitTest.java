package dev.keyward.core.authz;

import static dev.keyward.core.testing.KeywardAssertions.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.core.error.ErrorCode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Rate limit values and whole numbers from JSON (BAD-46). */
class RateLimitTest {
  @Test
  void constructorWhenBoundsThenAcceptedAndOneBeyondRefused() {
    assertThat(new RateLimit(1, 1).period()).isEqualTo(Duration.ofSeconds(1));
    assertThat(new RateLimit(1_000_000, 86_400).period()).isEqualTo(Duration.ofDays(1));
    assertThat(assertFails(() -> new RateLimit(0, 60), ErrorCode.INVALID_REQUEST).field()).isEqualTo("rateLimit.limit");
    assertThat(assertFails(() -> new RateLimit(1_000_001, 60), ErrorCode.INVALID_REQUEST).field()).isEqualTo("rateLimit.limit");
    assertThat(assertFails(() -> new RateLimit(-1, 60), ErrorCode.INVALID_REQUEST).field()).isEqualTo("rateLimit.limit");
    assertThat(assertFails(() -> new RateLimit(10, 0), ErrorCode.INVALID_REQUEST).field()).isEqualTo("rateLimit.periodSeconds");
    assertThat(assertFails(() -> new RateLimit(10, 86_401), ErrorCode.INVALID_REQUEST).field()).isEqualTo("rateLimit.periodSeconds");
  }

  @Test
  void parseWhenJsonNumberTypesThenWholeValuesAccepted() {
    assertThat(RateLimit.parse("rateLimit", 100, 60L)).isEqualTo(new RateLimit(100, 60));
    assertThat(RateLimit.parse("rateLimit", 1e3, new BigDecimal("60.000"))).isEqualTo(new RateLimit(1_000, 60));
    assertThat(RateLimit.parse("rateLimit", BigInteger.TEN, 1.0)).isEqualTo(new RateLimit(10, 1));
  }

  @Test
  void parseWhenNotWholeOrOutOfRangeOrMissingThenFieldNamed() {
    assertThat(assertFails(() -> RateLimit.parse("rateLimit", 1.5, 60), ErrorCode.INVALID_REQUEST).field()).isEqualTo("rateLimit.limit");
    assertThat(assertFails(() -> RateLimit.parse("rateLimit", Double.NaN, 60), ErrorCode.INVALID_REQUEST).field()).isEqualTo("rateLimit.limit");
    assertThat(assertFails(() -> RateLimit.parse("rateLimit", Double.POSITIVE_INFINITY, 60), ErrorCode.INVALID_REQUEST).field()).isEqualTo("rateLimit.limit");
    assertThat(assertFails(() -> RateLimit.parse("rateLimit", 1_000_000_000, 60), ErrorCode.INVALID_REQUEST).publicMessage())
        .isEqualTo("Must be a whole number from 1 to 1000000");
    assertThat(assertFails(() -> RateLimit.parse("rateLimit", new BigInteger("99999999999999999999999"), 60), ErrorCode.INVALID_REQUEST).field())
        .isEqualTo("rateLimit.limit");
    assertThat(assertFails(() -> RateLimit.parse("rateLimit", 10, -60), ErrorCode.INVALID_REQUEST).field()).isEqualTo("rateLimit.periodSeconds");
    assertThat(assertFails(() -> RateLimit.parse("rateLimit", 10, new BigDecimal("0.5")), ErrorCode.INVALID_REQUEST).field())
        .isEqualTo("rateLimit.periodSeconds");
    assertThat(assertFails(() -> RateLimit.parse("rateLimit", null, 60), ErrorCode.INVALID_REQUEST).field()).isEqualTo("rateLimit.limit");
    assertThat(assertFails(() -> RateLimit.parse("rateLimit", 10, null), ErrorCode.INVALID_REQUEST).field()).isEqualTo("rateLimit.periodSeconds");
  }

  @Test
  void inRangeWhenZeroWithScaleThenZero() {
    assertThat(WholeNumbers.inRange("quota", new BigDecimal("0.000"), 0, 10)).isZero();
    assertThat(WholeNumbers.inRange("quota", -0.0, 0, 10)).isZero();
    assertThat(WholeNumbers.inRange("quota", 1e12, 0, 1_000_000_000_000L)).isEqualTo(1_000_000_000_000L);
  }
}
