package dev.keyward.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyward.client.AccountLockedException;
import dev.keyward.client.AuthenticationException;
import dev.keyward.client.ConflictException;
import dev.keyward.client.ForbiddenException;
import dev.keyward.client.InvalidRequestException;
import dev.keyward.client.KeywardError;
import dev.keyward.client.KeywardException;
import dev.keyward.client.NotFoundException;
import dev.keyward.client.RateLimitedException;
import dev.keyward.client.UnavailableException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import org.jspecify.annotations.Nullable;

/** Turns refusals and failed exchanges into the client's typed exceptions; the one place that does. */
public final class Errors {
  private Errors() {}

  /**
   * A refusal: the body's {@code error} and {@code message} (or RFC 6749's
   * {@code error_description}), {@code request_id}, {@code field} and the {@code Retry-After}.
   */
  public static KeywardException from(HttpResponse<byte[]> response, Clock clock) {
    int status = response.statusCode();
    String error = null;
    String message = null;
    String requestId = response.headers().firstValue("X-Request-Id").orElse(null);
    String field = null;
    try {
      JsonNode body = Json.tree(response.body());
      error = text(body, "error");
      message = text(body, "message");
      if (message == null) {
        message = text(body, "error_description");
      }
      String id = text(body, "request_id");
      requestId = id != null ? id : requestId;
      field = text(body, "field");
    } catch (KeywardException notJson) {
      // not a Keyward error body (e.g. a proxy's page): the status speaks alone
    }
    KeywardError detail = new KeywardError(status, error != null ? error : "http_" + status,
        message != null ? message : "Keyward answered HTTP " + status, requestId, field,
        RetryAfter.of(response.headers(), clock).orElse(null));
    return of(detail, null);
  }

  /** A failure to get an answer. */
  public static UnavailableException from(IOException e, String what) {
    String code;
    String message;
    if (e instanceof HttpTimeoutException) {
      code = "timeout";
      message = "Keyward did not answer in time (" + what + ")";
    } else if (e instanceof ConnectException) {
      code = "connection_failed";
      message = "Keyward could not be reached (" + what + ")";
    } else {
      code = "connection_failed";
      message = "The connection to Keyward failed (" + what + "): " + e.getClass().getSimpleName();
    }
    return new UnavailableException(KeywardError.local(code, message), e);
  }

  public static UnavailableException interrupted(InterruptedException e) {
    Thread.currentThread().interrupt();
    return new UnavailableException(KeywardError.local("interrupted", "Interrupted while waiting for Keyward"), e);
  }

  static KeywardException of(KeywardError d, @Nullable Throwable cause) {
    KeywardException byCode = switch (d.error()) {
      case "invalid_grant", "invalid_client", "unauthorized_client", "invalid_token" -> new AuthenticationException(d, cause);
      case "invalid_request", "invalid_scope", "unsupported_grant_type" -> new InvalidRequestException(d, cause);
      case "temporarily_unavailable" -> new UnavailableException(d, cause);
      default -> null;
    };
    if (byCode != null) {
      return byCode;
    }
    return switch (d.status()) {
      case 400, 413, 415, 422, 431 -> new InvalidRequestException(d, cause);
      case 401 -> new AuthenticationException(d, cause);
      case 403 -> new ForbiddenException(d, cause);
      case 404 -> new NotFoundException(d, cause);
      case 409 -> new ConflictException(d, cause);
      case 423 -> new AccountLockedException(d, cause);
      case 429 -> new RateLimitedException(d, cause);
      case 502, 503, 504 -> new UnavailableException(d, cause);
      default -> new KeywardException(d, cause);
    };
  }

  private static @Nullable String text(JsonNode body, String name) {
    JsonNode v = body.get(name);
    return v != null && v.isTextual() ? v.asText() : null;
  }
}
