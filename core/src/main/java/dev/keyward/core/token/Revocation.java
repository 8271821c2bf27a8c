package dev.keyward.core.token;

import java.time.Instant;

/**
 * A revocation every node must apply to the access tokens it accepts: one token ({@code jti}),
 * every token of an API key, of a refresh family, or every token of a user issued before
 * {@code at} (password reset, removal).
 */
public record Revocation(Kind kind, String subject, Instant at) {
  public enum Kind {
    TOKEN,
    KEY,
    FAMILY,
    USER
  }
}
