package dev.keyward.client.model;

import java.time.Duration;

/** At most {@code limit} calls per {@code periodSeconds}, counted per key on each node. */
public record RateLimit(long limit, long periodSeconds) {
  public static RateLimit of(long limit, Duration period) {
    return new RateLimit(limit, period.toSeconds());
  }
}
