package dev.keyward.server.gateway;

import dev.keyward.core.authz.Decision;
import dev.keyward.core.authz.DecisionCode;
import dev.keyward.core.authz.DecisionRequest;
import dev.keyward.core.authz.Decisions;
import dev.keyward.core.authz.WebOrigin;
import dev.keyward.core.error.KeywardException;
import dev.keyward.server.http.Authn;
import dev.keyward.server.http.ClientAddress;
import dev.keyward.server.http.ErrorResponses;
import dev.keyward.server.http.RequestIssuer;
import dev.keyward.server.http.TenantHosts;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.RequestException;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The gateway: the last handler of the routing, for every request that is not one of Keyward's
 * own routes. It asks the decision function, then refuses with a JSON answer (the upstream is
 * never reached) or forwards the request to the upstream and streams the answer back; see {@code
 * docs/gateway.md} for every header and status.
 */
public final class Gateway implements Handler {
  /** Path prefixes Keyward answers itself; an unknown path under them is Keyward's 404, never forwarded. */
  private static final List<String> OWN_PREFIXES = List.of("/api/v1/", "/auth/", "/oauth/", "/.well-known/", "/health/");
  private static final Set<String> OWN_PATHS = Set.of("/api/v1", "/auth", "/oauth", "/.well-known", "/health",
      "/metrics", "/openapi.json");

  /** Answers of known length up to this size are read whole and sent in one write. */
  private static final int SMALL_ANSWER = 8 * 1024;
  private static final int STREAM_BUFFER = 16 * 1024;

  private final Decisions decisions;
  private final Upstream upstream;
  private final RoutedMethods routes;
  private final ClientAddress addresses;
  private final @Nullable TenantHosts tenantHosts;
  private final RequestIssuer issuer;
  private final Clock clock;

  /**
   * @param decisions the decision function
   * @param upstream the API's base URL
   * @param timeout how long to wait for the upstream to connect, and then for each read
   * @param routes the methods routed per path, for CORS preflights
   * @param addresses who the caller is behind trusted proxies, as for every other door
   * @param tenantHosts host names that name a tenant, when configured
   * @param issuer the issuer access tokens must name, as for every other door
   */
  public Gateway(Decisions decisions, URI upstream, Duration timeout, RoutedMethods routes, ClientAddress addresses,
      @Nullable TenantHosts tenantHosts, RequestIssuer issuer, Clock clock) {
    this.decisions = decisions;
    this.upstream = new Upstream(upstream, timeout);
    this.routes = routes;
    this.addresses = addresses;
    this.tenantHosts = tenantHosts;
    this.issuer = issuer;
    this.clock = clock;
  }

  /** The upstream's base URL, for the start-up line. */
  public String upstream() {
    return upstream.describe();
  }

  /** True for a path that Keyward answers itself (matched on the raw and on the decoded path). */
  public static boolean isKeywardPath(String path) {
    if (OWN_PATHS.contains(path)) {
      return true;
    }
    for (String prefix : OWN_PREFIXES) {
      if (path.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void handle(ServerRequest req, ServerResponse res) {
    String rawPath = req.prologue().uriPath().rawPath();
    if (isKeywardPath(rawPath) || isKeywardPath(req.path().path())) {
      res.next();
      return;
    }
    List<String> origins = req.headers().all(HeaderNames.ORIGIN, List::of);
    if (origins.size() > 1) {
      throw KeywardException.invalidField("Origin", "Send at most one Origin header");
    }
    String origin = WebOrigin.ofCall(origins.isEmpty() ? null : origins.get(0), req.headers().first(HeaderNames.REFERER).orElse(null));
    if (origin != null && Preflight.isPreflight(req)) {
      String allow = routes.allow(rawPath);
      if (allow != null) {
        Preflight.answer(res, origin, allow);
        return;
      }
      // Not a routed path: the decision answers (404 or 400), without CORS headers.
    }
    refuseOverrides(req);
    String method = req.prologue().method().text();
    Decision decision = decisions.decide(new DecisionRequest(
        req.headers().all(HeaderNames.AUTHORIZATION, List::of),
        method.equals("HEAD") ? "GET" : method,
        rawPath,
        null,
        null,
        origin,
        addresses.of(req),
        Authn.requestedTenant(req, tenantHosts),
        false,
        issuer.of(req)));
    DecisionAnswers.rateLimit(res, decision, clock.instant());
    if (!decision.allowed()) {
      DecisionAnswers.refuse(res, decision, req.headers().contains(HeaderNames.AUTHORIZATION), clock.instant());
      return;
    }
    if (!forwardsAsIs(rawPath)) {
      // The decision refuses these forms itself; this keeps "the path forwarded is the path decided
      // on" true whatever decides: the upstream client would rewrite them.
      ErrorResponses.refusal(res, DecisionCode.BAD_PATH.status(), "bad_path",
          "The path is refused: it has '.' or '..' segments, an empty segment or a ';'");
      return;
    }
    forward(req, res, decision, origin);
  }

  /**
   * True when the upstream client sends {@code rawPath} unchanged: it resolves {@code .} and
   * {@code ..} segments, merges empty segments and drops {@code ;} parameters.
   */
  static boolean forwardsAsIs(String rawPath) {
    if (rawPath.indexOf(';') >= 0 || rawPath.contains("//")) {
      return false;
    }
    int start = 1;
    while (start <= rawPath.length()) {
      int end = rawPath.indexOf('/', start);
      if (end < 0) {
        end = rawPath.length();
      }
      int length = end - start;
      if ((length == 1 && rawPath.charAt(start) == '.') || (length == 2 && rawPath.startsWith("..", start))) {
        return false;
      }
      start = end + 1;
    }
    return true;
  }

  /**
   * Refuses what would make the upstream act on another method or path than the one decided on
   * (SECURITY-TESTS BAD-44): {@code X-HTTP-Method-Override} and its kin, {@code X-Original-URL}
   * and {@code X-Rewrite-URL}, and a {@code _method} query parameter. Refused rather than dropped:
   * dropped, the upstream would silently do something else than the caller asked for.
   */
  private static void refuseOverrides(ServerRequest req) {
    String header = ForwardedHeaders.overrideHeader(req.headers());
    if (header != null) {
      throw KeywardException.invalidField(header, "The gateway does not accept " + header
          + ": send the real method and path, which is what is decided on");
    }
    for (String name : req.query().names()) {
      if (name.equalsIgnoreCase("_method")) {
        throw KeywardException.invalidField("_method", "The gateway does not accept a '_method' parameter: send the real method");
      }
    }
  }

  private void forward(ServerRequest req, ServerResponse res, Decision decision, @Nullable String origin) {
    Method method = req.prologue().method();
    String peer = ClientAddress.peer(req);
    ForwardedHeaders.Caller caller = new ForwardedHeaders.Caller(peer, addresses.isTrusted(peer), req.isSecure(),
        decision.principal());
    String query = req.prologue().query().rawValue();
    String target = req.prologue().uriPath().rawPath() + (query.isEmpty() ? "" : "?" + query);
    boolean hasBody = req.content().hasEntity();
    OptionalLong length = req.headers().contentLength();
    HttpClientResponse answer;
    try {
      answer = upstream.send(method, target, out -> ForwardedHeaders.toUpstream(req.headers(), out, caller),
          hasBody ? req.content().inputStream() : null, length.isPresent() ? length.getAsLong() : -1);
    } catch (Upstream.CallerGone e) {
      if (e.getCause() instanceof RequestException tooLarge) {
        throw tooLarge; // e.g. 413: the body is over the limit
      }
      throw new CloseConnectionException("the caller's request body could not be read", e);
    }
    try (answer) {
      int status = answer.status().code();
      res.status(answer.status());
      ForwardedHeaders.toCaller(answer.headers(), res.headers());
      DecisionAnswers.rateLimit(res, decision, clock.instant());
      if (origin != null) {
        DecisionAnswers.allowOrigin(res, origin, decision);
      }
      OptionalLong answerLength = answer.headers().contentLength();
      if (method == Method.HEAD || status == 204 || status == 304 || status < 200) {
        // No body follows; a HEAD answer keeps the length the GET would have.
        if (method == Method.HEAD && answerLength.isPresent()) {
          res.headers().contentLength(answerLength.getAsLong());
        }
        res.send();
        return;
      }
      if (answerLength.isPresent() && answerLength.getAsLong() <= SMALL_ANSWER) {
        // A small answer of known length goes out in one write, read into a buffer of its size.
        res.send(readSmall(answer.inputStream(), (int) answerLength.getAsLong()));
        return;
      }
      if (answerLength.isPresent()) {
        res.headers().contentLength(answerLength.getAsLong());
      }
      stream(answer.inputStream(), res.outputStream());
    }
  }

  private static byte[] readSmall(InputStream in, int length) {
    byte[] body;
    try {
      body = in.readNBytes(length);
    } catch (IOException | RuntimeException e) {
      throw new CloseConnectionException("the upstream's answer broke off", e);
    }
    if (body.length < length) {
      throw new CloseConnectionException("the upstream's answer broke off after " + body.length + " of " + length + " bytes");
    }
    try {
      // Reading on to the end lets the client see the answer consumed and keep the connection.
      if (in.read() >= 0) {
        throw new CloseConnectionException("the upstream sent more than its Content-Length");
      }
    } catch (IOException e) {
      throw new CloseConnectionException("the upstream's answer broke off", e);
    }
    return body;
  }

  /**
   * Copies the upstream's body to the caller as it arrives, flushing whenever no more is waiting.
   * If the upstream fails half-way, the caller's connection is closed rather than the answer ended
   * normally: a truncated body must not look complete.
   */
  private static void stream(InputStream in, OutputStream out) {
    byte[] buffer = new byte[STREAM_BUFFER];
    try {
      while (true) {
        int n = in.read(buffer);
        if (n < 0) {
          break;
        }
        out.write(buffer, 0, n);
        if (in.available() == 0) {
          out.flush();
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new CloseConnectionException("the upstream's answer broke off", e);
    }
    try {
      out.close();
    } catch (IOException e) {
      throw new CloseConnectionException("the caller went away", e);
    }
  }
}
