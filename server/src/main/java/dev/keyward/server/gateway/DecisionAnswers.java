package dev.keyward.server.gateway;

import dev.keyward.core.auth.Authenticator;
import dev.keyward.core.authz.Cors;
import dev.keyward.core.authz.Decision;
import dev.keyward.core.authz.DecisionCode;
import dev.keyward.core.error.ErrorCode;
import dev.keyward.server.http.ErrorResponses;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * How a decision shows on the gateway's answers: rate-limit headers on every answer that has a
 * limit, the refusal body and headers, and CORS headers on allowed browser calls.
 */
final class DecisionAnswers {
  static final HeaderName RATE_LIMIT_LIMIT = HeaderNames.create("RateLimit-Limit");
  static final HeaderName RATE_LIMIT_REMAINING = HeaderNames.create("RateLimit-Remaining");
  static final HeaderName RATE_LIMIT_RESET = HeaderNames.create("RateLimit-Reset");


  private DecisionAnswers() {}

  /** {@code RateLimit-Limit}, {@code -Remaining} and {@code -Reset} (seconds), when the decision has a limit. */
  static void rateLimit(ServerResponse res, Decision d, Instant now) {
    Decision.Limit limit = d.rateLimit();
    if (limit == null) {
      return;
    }
    res.headers().set(RATE_LIMIT_LIMIT, Long.toString(limit.limit()));
    res.headers().set(RATE_LIMIT_REMAINING, Long.toString(Math.max(0, limit.remaining())));
    res.headers().set(RATE_LIMIT_RESET, Long.toString(secondsUntil(now, limit.resetAt())));
  }

  /**
   * Answers a refusal: {@code {"error": <code>, "message", "request_id"}} with the code's status,
   * {@code WWW-Authenticate} on 401, {@code Retry-After} when rate limited, {@code Allow} on 405.
   * A missing, unknown, wrong, expired or revoked credential gets one answer, the same as the
   * Java filter's and the admin API's: {@code invalid_credentials}, with RFC 6750's
   * {@code error="invalid_token"} only when a credential was sent (§3.1).
   *
   * @param credentialSent whether the call carried an {@code Authorization} header
   */
  static void refuse(ServerResponse res, Decision d, boolean credentialSent, Instant now) {
    DecisionCode code = d.code();
    String error = code.name().toLowerCase(Locale.ROOT);
    String message = d.message();
    switch (code) {
      case NOT_FOUND, EXPIRED, REVOKED -> {
        error = ErrorCode.INVALID_CREDENTIALS.wireName();
        message = Authenticator.MISSING_OR_INVALID_MESSAGE;
        ErrorResponses.challenge(res, credentialSent);
      }
      case RATE_LIMITED -> {
        Decision.Limit limit = d.rateLimit();
        res.headers().set(HeaderNames.RETRY_AFTER,
            Long.toString(limit == null ? 1 : Math.max(1, secondsUntil(now, limit.resetAt()))));
      }
      case METHOD_NOT_ALLOWED -> {
        if (!d.allow().isEmpty()) {
          res.headers().set(HeaderNames.ALLOW, d.allowHeader());
        }
      }
      case FORBIDDEN -> {
        ErrorResponses.refusal(res, code.status(), error, message, d.lacking());
        return;
      }
      default -> {
        // the status and body say it all
      }
    }
    ErrorResponses.refusal(res, code.status(), error, message);
  }

  /**
   * An allowed browser call: the origin echoed (never {@code *}: the decision checked it against
   * the key's allowed callers), {@code Vary: Origin}, and the rate-limit headers made readable.
   */
  static void allowOrigin(ServerResponse res, String origin, Decision d) {
    res.headers().set(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    res.headers().add(HeaderNames.VARY, "Origin");
    if (d.rateLimit() != null) {
      res.headers().set(HeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, Cors.EXPOSE_HEADERS);
    }
  }

  /** Whole seconds from {@code now} until {@code then}, rounded up; 0 when past. */
  static long secondsUntil(Instant now, Instant then) {
    long millis = Duration.between(now, then).toMillis();
    return millis <= 0 ? 0 : (millis + 999) / 1000;
  }
}
