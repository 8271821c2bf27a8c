package dev.keyward.filter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyward.core.auth.Principal;
import dev.keyward.core.authz.Cors;
import dev.keyward.core.authz.Decision;
import dev.keyward.core.authz.DecisionCode;
import dev.keyward.core.authz.WebOrigin;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Keyward in front of a servlet application: every request is decided before it reaches the
 * application. A refused request gets a JSON error ({@code {"error","message"}}) with the
 * decision's status and never reaches the chain; an allowed one continues with the caller known:
 * {@link HttpServletRequest#getUserPrincipal()} is a {@link KeywardRequest.KeywardUser}, {@link
 * HttpServletRequest#isUserInRole} answers from the caller's Keyward roles, and the attributes
 * {@value #PRINCIPAL_ATTRIBUTE} and {@value #DECISION_ATTRIBUTE} hold the principal and the
 * decision. A public route of the route table (called without a credential) continues with the
 * request as it is and only the decision attribute.
 *
 * <p>Configured either by constructing it with a {@link Decider}, or by init parameters:
 * {@value #URL_PARAM} (the Keyward server), {@value #CREDENTIAL_PARAM} or {@value
 * #CREDENTIAL_ENV_PARAM} (the service credential, or the name of the environment variable that
 * holds it), optionally {@value #TIMEOUT_PARAM} and {@value #CONNECT_TIMEOUT_PARAM}
 * (milliseconds), and {@value #TRUSTED_PROXIES_PARAM} (comma-separated addresses or CIDR ranges
 * whose {@code X-Forwarded-For} is believed; without it the client address is the peer's).
 */
public class KeywardFilter implements Filter {
  public static final String URL_PARAM = "keyward.url";
  public static final String CREDENTIAL_PARAM = "keyward.credential";
  public static final String CREDENTIAL_ENV_PARAM = "keyward.credentialEnv";
  public static final String TIMEOUT_PARAM = "keyward.timeoutMillis";
  public static final String CONNECT_TIMEOUT_PARAM = "keyward.connectTimeoutMillis";
  public static final String TRUSTED_PROXIES_PARAM = "keyward.trustedProxies";

  /** Request attribute: the caller, a {@link Principal}. */
  public static final String PRINCIPAL_ATTRIBUTE = "keyward.principal";
  /** Request attribute: the whole {@link Decision} (permission, resource, rate limit, quota). */
  public static final String DECISION_ATTRIBUTE = "keyward.decision";
  /** The header a caller names the tenant with, as on Keyward itself. */
  public static final String TENANT_HEADER = "X-Keyward-Tenant";

  static final String JSON_TYPE = "application/json; charset=utf-8";
  static final String REALM = "keyward";
  /** One answer for unknown, malformed, expired and revoked credentials alike: no oracle. */
  static final String INVALID_CREDENTIALS_MESSAGE = dev.keyward.core.auth.Authenticator.MISSING_OR_INVALID_MESSAGE;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger LOG = Logger.getLogger(KeywardFilter.class.getName());

  private final Map<String, String> environment;
  private @Nullable Decider decider;
  private ClientAddress clientAddress;

  /** For containers: configured by init parameters. */
  public KeywardFilter() {
    this.environment = System.getenv();
    this.clientAddress = ClientAddress.PEER;
  }

  /** Programmatic: decides with {@code decider}; the client address is the peer's. */
  public KeywardFilter(Decider decider) {
    this(decider, List.of());
  }

  /**
   * Programmatic, behind proxies: {@code X-Forwarded-For} is believed from peers inside {@code
   * trustedProxies} (addresses or CIDR ranges).
   *
   * @throws IllegalArgumentException naming the first entry that is not an address or range
   */
  public KeywardFilter(Decider decider, List<String> trustedProxies) {
    this.environment = System.getenv();
    this.decider = decider;
    this.clientAddress = ClientAddress.trusting(TRUSTED_PROXIES_PARAM, trustedProxies);
  }

  /** For tests: init parameters, with environment variables read from {@code environment}. */
  KeywardFilter(Map<String, String> environment) {
    this.environment = environment;
    this.clientAddress = ClientAddress.PEER;
  }

  @Override
  public void init(FilterConfig config) throws ServletException {
    try {
      String proxies = config.getInitParameter(TRUSTED_PROXIES_PARAM);
      if (proxies != null) {
        clientAddress = ClientAddress.trusting(TRUSTED_PROXIES_PARAM, splitList(proxies));
      }
      if (decider == null) {
        decider = remoteFrom(config);
      }
    } catch (IllegalArgumentException e) {
      throw new ServletException("Keyward filter '" + config.getFilterName() + "': " + e.getMessage());
    }
  }

  private Decider remoteFrom(FilterConfig config) {
    String url = config.getInitParameter(URL_PARAM);
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("set the init parameter " + URL_PARAM + " to the Keyward server's address");
    }
    String credential = config.getInitParameter(CREDENTIAL_PARAM);
    String envName = config.getInitParameter(CREDENTIAL_ENV_PARAM);
    if (credential != null && envName != null) {
      throw new IllegalArgumentException("set either " + CREDENTIAL_PARAM + " or " + CREDENTIAL_ENV_PARAM + ", not both");
    }
    if (envName != null) {
      credential = environment.get(envName.strip());
      if (credential == null || credential.isBlank()) {
        throw new IllegalArgumentException("the environment variable " + envName.strip()
            + " (named by " + CREDENTIAL_ENV_PARAM + ") is not set");
      }
    }
    if (credential == null || credential.isBlank()) {
      throw new IllegalArgumentException("set " + CREDENTIAL_PARAM + " (a service credential holding keyward:verify) or "
          + CREDENTIAL_ENV_PARAM + " (the name of an environment variable holding it)");
    }
    URI base;
    try {
      base = URI.create(url.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(URL_PARAM + " is not a URL", e);
    }
    RemoteDecider.Builder b = RemoteDecider.builder(base, credential);
    Duration timeout = millis(config, TIMEOUT_PARAM);
    if (timeout != null) {
      b.timeout(timeout);
    }
    Duration connect = millis(config, CONNECT_TIMEOUT_PARAM);
    if (connect != null) {
      b.connectTimeout(connect);
    }
    return b.build();
  }

  private static @Nullable Duration millis(FilterConfig config, String name) {
    String v = config.getInitParameter(name);
    if (v == null) {
      return null;
    }
    try {
      long ms = Long.parseLong(v.strip());
      if (ms <= 0 || ms > 600_000) {
        throw new IllegalArgumentException(name + " must be between 1 and 600000 milliseconds, not " + ms);
      }
      return Duration.ofMillis(ms);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number of milliseconds", e);
    }
  }

  private static List<String> splitList(String text) {
    return java.util.Arrays.stream(text.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
    if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
      throw new ServletException("The Keyward filter decides HTTP requests only");
    }
    Decider d = decider;
    if (d == null) {
      throw new ServletException("The Keyward filter was not initialised");
    }
    List<String> tenants = headers(request, TENANT_HEADER);
    if (tenants.size() > 1) {
      refuse(response, 400, "invalid_request", "Send at most one " + TENANT_HEADER + " header", null);
      return;
    }
    String origin = WebOrigin.ofCall(request.getHeader("Origin"), request.getHeader("Referer"));
    String tenant = tenants.isEmpty() ? null : tenants.get(0);
    if (origin != null && isPreflight(request) && preflight(d, request, response, origin, tenant)) {
      return;
    }
    Question question = new Question(
        headers(request, "Authorization"),
        request.getMethod().equals("HEAD") ? "GET" : request.getMethod(),
        request.getRequestURI(),
        origin,
        clientAddress.of(request),
        tenant,
        null,
        null);
    Verdict verdict = decide(d, question);
    Decision decision = verdict.decision();
    if (decision != null && decision.rateLimit() != null) {
      rateLimitHeaders(response, decision.rateLimit());
    }
    if (!verdict.allowed() || decision == null) {
      refuse(response, verdict, !question.authorization().isEmpty());
      return;
    }
    if (origin != null) {
      // An allowed browser call, as the gateway answers it: the origin echoed (never '*': the
      // decision checked it against the key's allowed callers) and the rate-limit headers readable.
      response.setHeader("Access-Control-Allow-Origin", origin);
      response.addHeader("Vary", "Origin");
      if (decision.rateLimit() != null) {
        response.setHeader("Access-Control-Expose-Headers", Cors.EXPOSE_HEADERS);
      }
    }
    request.setAttribute(DECISION_ATTRIBUTE, decision);
    Principal principal = decision.principal();
    if (principal == null) {
      // A public route: allowed without a credential, so there is no caller to name.
      chain.doFilter(request, response);
      return;
    }
    request.setAttribute(PRINCIPAL_ATTRIBUTE, principal);
    chain.doFilter(new KeywardRequest(request, principal), response);
  }

  private static Verdict decide(Decider d, Question question) {
    try {
      return d.decide(question);
    } catch (RuntimeException e) {
      // A Decider answers rather than throws; one that throws anyway still refuses the call. Its
      // message may hold what it was asked (credentials included): only where it failed is logged.
      StackTraceElement[] at = e.getStackTrace();
      LOG.log(Level.WARNING, "The Keyward decider threw " + e.getClass().getName()
          + (at.length > 0 ? " at " + at[0] : "") + "; refusing the call");
      return new Verdict.Unavailable("the decider threw " + e.getClass().getSimpleName());
    }
  }

  /** A CORS preflight: {@code OPTIONS} with {@code Origin} and {@code Access-Control-Request-Method}. */
  static boolean isPreflight(HttpServletRequest request) {
    return request.getMethod().equals("OPTIONS") && request.getHeader("Origin") != null
        && request.getHeader("Access-Control-Request-Method") != null;
  }

  /**
   * Answers a CORS preflight from the route table, as the gateway does: a preflight carries no
   * credential, so the decision is asked which methods the path routes (an {@code OPTIONS} it
   * does not route is refused with them). A path that routes them gets 204 with the CORS headers,
   * without reaching the application; one that routes none, or routes {@code OPTIONS} itself, is
   * decided as any call. A browser still sends the real call with its credential, decided then.
   *
   * @return whether the preflight was answered
   */
  private static boolean preflight(Decider d, HttpServletRequest request, HttpServletResponse response, String origin,
      @Nullable String tenant) throws IOException {
    Verdict routes = decide(d, new Question(List.of(), "OPTIONS", request.getRequestURI(), null, null, tenant, null, null));
    Decision decision = routes.decision();
    if (decision == null || decision.code() != DecisionCode.METHOD_NOT_ALLOWED || decision.allow().isEmpty()) {
      return false;
    }
    if (!Cors.isEchoable(origin)) {
      refuse(response, DecisionCode.ORIGIN_NOT_ALLOWED.status(), Verdict.wireName(DecisionCode.ORIGIN_NOT_ALLOWED),
          "The Origin header is not a web origin (scheme://host[:port])", null);
      return true;
    }
    response.setStatus(204);
    response.setHeader("Access-Control-Allow-Origin", origin);
    response.addHeader("Vary", "Origin");
    response.setHeader("Access-Control-Allow-Methods", decision.allowHeader());
    response.setHeader("Access-Control-Allow-Headers", Cors.ALLOW_HEADERS);
    response.setHeader("Access-Control-Max-Age", Integer.toString(Cors.MAX_AGE_SECONDS));
    response.setHeader("Cache-Control", "no-store");
    return true;
  }

  /** Every value of a header; none when the container does not let filters read it. */
  static List<String> headers(HttpServletRequest request, String name) {
    Enumeration<String> values = request.getHeaders(name);
    return values == null ? List.of() : Collections.list(values);
  }

  private static void refuse(HttpServletResponse response, Verdict verdict, boolean credentialSent) throws IOException {
    Decision decision = verdict.decision();
    if (decision == null) {
      if (verdict instanceof Verdict.Unavailable) {
        response.setHeader("Retry-After", "5");
      }
      refuse(response, verdict.status(), verdict.error(), verdict.message(),
          verdict instanceof Verdict.Rejected r && r.field() != null ? Map.of("field", r.field()) : null);
      return;
    }
    DecisionCode code = decision.code();
    switch (code) {
      case NOT_FOUND, EXPIRED, REVOKED -> {
        // RFC 6750 §3.1: no error code when no credential was sent.
        response.addHeader("WWW-Authenticate",
            credentialSent ? "Bearer realm=\"" + REALM + "\", error=\"invalid_token\"" : "Bearer realm=\"" + REALM + "\"");
        response.addHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
        refuse(response, 401, "invalid_credentials", INVALID_CREDENTIALS_MESSAGE, null);
      }
      case RATE_LIMITED -> {
        Decision.Limit limit = decision.rateLimit();
        if (limit != null) {
          response.setHeader("Retry-After", Long.toString(Math.max(1, secondsUntil(limit.resetAt()))));
        }
        refuse(response, code.status(), Verdict.wireName(code), decision.message(), null);
      }
      case METHOD_NOT_ALLOWED -> {
        if (!decision.allow().isEmpty()) {
          response.setHeader("Allow", decision.allowHeader());
        }
        refuse(response, code.status(), Verdict.wireName(code), decision.message(), null);
      }
      case FORBIDDEN -> refuse(response, code.status(), Verdict.wireName(code), decision.message(), decision.lacking());
      default -> refuse(response, code.status(), Verdict.wireName(code), decision.message(), null);
    }
  }

  private static void refuse(HttpServletResponse response, int status, String error, String message,
      @Nullable Map<String, String> extra) throws IOException {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("error", error);
    body.put("message", message);
    if (extra != null) {
      body.putAll(extra);
    }
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings always writes", e);
    }
    response.setStatus(status);
    response.setHeader("Content-Type", JSON_TYPE);
    response.setHeader("Cache-Control", "no-store");
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
    response.flushBuffer();
  }

  /** The {@code RateLimit-*} fields (draft-ietf-httpapi-ratelimit-headers): reset in seconds from now. */
  private static void rateLimitHeaders(HttpServletResponse response, Decision.Limit limit) {
    response.setHeader("RateLimit-Limit", Long.toString(limit.limit()));
    response.setHeader("RateLimit-Remaining", Long.toString(Math.max(0, limit.remaining())));
    response.setHeader("RateLimit-Reset", Long.toString(secondsUntil(limit.resetAt())));
  }

  /** Whole seconds until {@code t}, rounded up, at least 0. */
  static long secondsUntil(Instant t) {
    long millis = Duration.between(Instant.now(), t).toMillis();
    return millis <= 0 ? 0 : (millis + 999) / 1000;
  }

  @Override
  public String toString() {
    return "KeywardFilter(" + decider + ")";
  }
}
