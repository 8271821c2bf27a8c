package dev.keyward.server.http;

import dev.keyward.core.error.ErrorCode;
import dev.keyward.core.error.KeywardException;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place that sets an error status and writes an error body:
 * {@code {"error","message","request_id"}} (plus {@code "field"} when the error concerns one).
 * 401 answers carry the Bearer and Basic challenges, refusals that end by themselves (a
 * temporary account lock, an outage) {@code Retry-After}; unexpected failures answer a bare 500
 * with only the request id, and the stack trace is logged under that id.
 */
public final class ErrorResponses {
  private static final Logger LOG = Logger.getLogger(ErrorResponses.class.getName());
  private static final String NODE = Long.toString(new SecureRandom().nextInt(Integer.MAX_VALUE), 36);
  private static final AtomicLong SEQUENCE = new AtomicLong();
  static final String REALM = "keyward";

  private ErrorResponses() {}

  public static String newRequestId() {
    return NODE + "-" + Long.toString(SEQUENCE.incrementAndGet(), 36);
  }

  /**
   * The challenges of a 401 (RFC 6750 §3, RFC 7617): Bearer, with {@code error="invalid_token"}
   * only when the call sent a credential, and Basic.
   */
  public static void challenge(ServerResponse res, boolean credentialSent) {
    res.header(HeaderNames.WWW_AUTHENTICATE,
        credentialSent ? "Bearer realm=\"" + REALM + "\", error=\"invalid_token\"" : "Bearer realm=\"" + REALM + "\"",
        "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
  }

  /** Renders a refusal. */
  public static void send(ServerResponse res, KeywardException e) {
    ErrorCode code = e.code();
    String requestId = newRequestId();
    if (code.status() == 401) {
      challenge(res, code == ErrorCode.INVALID_CREDENTIALS);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", code.wireName());
    body.put("message", e.publicMessage());
    if (e.field() != null) {
      body.put("field", e.field());
    }
    body.put("request_id", requestId);
    if (code == ErrorCode.UNAVAILABLE) {
      res.header(HeaderNames.RETRY_AFTER, "5");
    } else if (e.retryAfter() != null) {
      // e.g. a temporarily locked account: whole seconds until the lock ends (RFC 9110 §10.2.3)
      long millis = e.retryAfter().toMillis();
      res.header(HeaderNames.RETRY_AFTER, Long.toString(Math.max(1, (millis + 999) / 1000)));
    }
    if (code.status() >= 500) {
      LOG.log(Level.WARNING, "request " + requestId + ": " + code.wireName() + ": " + e.getMessage(), e.getCause());
    }
    write(res, code.status(), body, requestId);
  }

  /**
   * Renders a refusal of the decision function at the gateway: {@code {"error","message","request_id"}}
   * with {@code error} the decision code. The caller sets the headers that go with it first
   * ({@code WWW-Authenticate}, {@code Retry-After}, {@code Allow}).
   */
  public static void refusal(ServerResponse res, int status, String error, String message) {
    refusal(res, status, error, message, Map.of());
  }

  /** A refusal with more fields after {@code error} and {@code message} (e.g. the permission a 403 lacked). */
  public static void refusal(ServerResponse res, int status, String error, String message, Map<String, String> more) {
    String requestId = newRequestId();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", error);
    body.put("message", message);
    body.putAll(more);
    body.put("request_id", requestId);
    write(res, status, body, requestId);
  }

  /** Renders an unexpected failure: nothing about it reaches the caller but the request id. */
  public static void sendInternal(ServerResponse res, Throwable t) {
    String requestId = newRequestId();
    LOG.log(Level.SEVERE, "request " + requestId + " failed", t);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", ErrorCode.INTERNAL_ERROR.wireName());
    body.put("message", "Internal error; quote the request id when reporting it");
    body.put("request_id", requestId);
    write(res, 500, body, requestId);
  }

  private static void write(ServerResponse res, int status, Map<String, Object> body, String requestId) {
    if (res.isSent()) {
      return;
    }
    res.status(Status.create(status));
    res.header(Bodies.JSON_TYPE);
    res.header(HeaderNames.CACHE_CONTROL, "no-store");
    res.header("X-Request-Id", requestId);
    res.send(Json.write(body));
  }

  /**
   * Renders an OAuth error in the RFC 6749 §5.2 shape. {@code invalid_client} answers 401 with a
   * Basic challenge only when the client authenticated with the Authorization header.
   */
  public static void oauth(ServerResponse res, dev.keyward.core.token.OAuthException e) {
    int status = e.code() == dev.keyward.core.token.OAuthException.Code.INVALID_CLIENT && !e.basicChallenge() ? 400 : e.status();
    if (status == 401) {
      res.header(HeaderNames.WWW_AUTHENTICATE, e.code() == dev.keyward.core.token.OAuthException.Code.INVALID_TOKEN
          ? "Bearer realm=\"" + REALM + "\", error=\"invalid_token\""
          : "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
    }
    if (status == 503) {
      res.header(HeaderNames.RETRY_AFTER, "5");
    }
    String requestId = newRequestId();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", e.code().wireName());
    body.put("error_description", e.description());
    body.put("request_id", requestId); // beyond RFC 6749 §5.2, as on every other error: the id support asks for
    if (res.isSent()) {
      return;
    }
    res.status(Status.create(status));
    res.header(Bodies.JSON_TYPE);
    res.header(HeaderNames.CACHE_CONTROL, "no-store");
    res.header(HeaderNames.PRAGMA, "no-cache");
    res.header("X-Request-Id", requestId);
    res.send(Json.write(body));
  }

  /** Error handlers for the routing: every exception ends here. */
  public static void keyward(ServerRequest req, ServerResponse res, KeywardException e) {
    send(res, e);
  }

  public static void unexpected(ServerRequest req, ServerResponse res, Throwable t) {
    if (t instanceof KeywardException k) {
      send(res, k);
    } else if (t instanceof io.helidon.http.RequestException re && re.status().code() < 500) {
      send(res, fromStatus(re.status().code(), String.valueOf(re.getMessage())));
    } else {
      sendInternal(res, t);
    }
  }

  /**
   * JSON bodies for the errors the HTTP layer answers before routing (bad request lines, bodies
   * over the size limit, oversized headers).
   */
  public static DirectHandlers directHandlers() {
    DirectHandler handler = new DirectHandler() {
      @Override
      public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
          io.helidon.http.ServerResponseHeaders headers, String message) {
        KeywardException e = fromStatus(status.code(), message);
        Map<String, Object> body = new LinkedHashMap<>();
        String requestId = newRequestId();
        body.put("error", e.code().wireName());
        body.put("message", e.publicMessage());
        body.put("request_id", requestId);
        return TransportResponse.builder()
            .status(status)
            .headers(headers)
            .header(HeaderNames.CONTENT_TYPE, "application/json; charset=utf-8")
            .header(HeaderNames.CONNECTION, "close")
            .header(HeaderNames.create("X-Request-Id"), requestId)
            .keepAlive(false)
            .entity(Json.write(body))
            .build();
      }
    };
    DirectHandlers.Builder builder = DirectHandlers.builder();
    for (DirectHandler.EventType t : DirectHandler.EventType.values()) {
      builder.addHandler(t, handler);
    }
    return builder.build();
  }

  static KeywardException fromStatus(int status, String message) {
    return switch (status) {
      case 413 -> new KeywardException(ErrorCode.PAYLOAD_TOO_LARGE, "The request body is too large");
      case 431 -> new KeywardException(ErrorCode.HEADERS_TOO_LARGE, "The request headers are too large");
      case 404 -> KeywardException.notFound("Resource");
      case 405 -> new KeywardException(ErrorCode.METHOD_NOT_ALLOWED, "Method not allowed");
      case 415 -> new KeywardException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type");
      default -> status >= 500
          ? new KeywardException(ErrorCode.INTERNAL_ERROR, "Internal error")
          : KeywardException.invalid("Bad request: the HTTP request could not be parsed");
    };
  }
}
