package dev.keyward.server.gateway;

import dev.keyward.core.authz.Cors;
import dev.keyward.core.authz.DecisionCode;
import dev.keyward.server.http.ErrorResponses;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Locale;

/**
 * CORS preflights ({@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method})
 * on routed paths, answered by the gateway without calling the upstream and without data.
 *
 * <p>A preflight carries no credential (browsers never send {@code Authorization} on one), so it
 * cannot be checked against a key's allowed callers: it is answered for any well-formed web
 * origin, and the real call that follows is decided with the key's caller rules. An allowed call
 * then carries {@code Access-Control-Allow-Origin} for that origin; a refused one carries none, so
 * the browser withholds the answer from the page. What a preflight reveals is only which methods
 * a path routes, which the route table's 405 answers say anyway.
 */
final class Preflight {
  private Preflight() {}

  /** True for a CORS preflight. */
  static boolean isPreflight(ServerRequest req) {
    return req.prologue().method().text().equals("OPTIONS")
        && req.headers().contains(HeaderNames.ORIGIN)
        && req.headers().contains(HeaderNames.ACCESS_CONTROL_REQUEST_METHOD);
  }

  /**
   * Answers a preflight for a path that routes {@code allow}: 204 with the CORS headers, or 403
   * when the origin is not a web origin.
   */
  static void answer(ServerResponse res, String origin, String allow) {
    if (!Cors.isEchoable(origin)) {
      ErrorResponses.refusal(res, DecisionCode.ORIGIN_NOT_ALLOWED.status(),
          DecisionCode.ORIGIN_NOT_ALLOWED.name().toLowerCase(Locale.ROOT),
          "The Origin header is not a web origin (scheme://host[:port])");
      return;
    }
    res.status(Status.NO_CONTENT_204);
    res.headers().set(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    res.headers().add(HeaderNames.VARY, "Origin");
    res.headers().set(HeaderNames.ACCESS_CONTROL_ALLOW_METHODS, allow);
    res.headers().set(HeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, Cors.ALLOW_HEADERS);
    res.headers().set(HeaderNames.ACCESS_CONTROL_MAX_AGE, Integer.toString(Cors.MAX_AGE_SECONDS));
    res.headers().set(HeaderNames.CACHE_CONTROL, "no-store");
    res.send();
  }
}
