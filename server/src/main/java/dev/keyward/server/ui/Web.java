package dev.keyward.server.ui;

import dev.keyward.core.auth.Actor;
import dev.keyward.core.auth.Principal;
import dev.keyward.core.error.ErrorCode;
import dev.keyward.core.error.KeywardException;
import dev.keyward.core.session.SessionService;
import dev.keyward.server.http.Authn;
import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.Utf8ByteOutput;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What every backoffice page shares: the session cookie, CSRF checks, rendering with the security
 * headers, and turning refusals into pages.
 *
 * <p>Cookies: {@code kw_session} holds the session secret (HttpOnly, SameSite=Lax, Path=/, Secure
 * when the request came over HTTPS or the configured issuer is HTTPS). Forms of a session carry
 * its CSRF token ({@link SessionService#csrfToken}); the sign-in and sign-up forms, which have no
 * session yet, a random value also set in the {@code kw_form} cookie (double submit). A POST whose
 * {@code Origin} is another site, or whose {@code Sec-Fetch-Site} says cross-site, is refused too.
 */
final class Web {
  static final String SESSION_COOKIE = "kw_session";
  static final String FORM_COOKIE = "kw_form";
  static final String BASE = "/ui";
  static final String SIGN_IN = BASE + "/sign-in";

  private static final Header HTML = HeaderValues.create(HeaderNames.CONTENT_TYPE, "text/html; charset=utf-8");
  private static final Header NO_STORE = HeaderValues.create(HeaderNames.CACHE_CONTROL, "no-store");
  private static final Header CSP = HeaderValues.create("Content-Security-Policy",
      "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; form-action 'self';"
          + " frame-ancestors 'none'; base-uri 'none'");
  private static final Header FRAMES = HeaderValues.create("X-Frame-Options", "DENY");
  private static final Header REFERRER = HeaderValues.create("Referrer-Policy", "same-origin");

  private final SessionService sessions;
  private final Authn authn;
  private final TemplateEngine templates = TemplateEngine.createPrecompiled(ContentType.Html);
  private final SecureRandom random = new SecureRandom();

  Web(SessionService sessions, Authn authn) {
    this.sessions = sessions;
    this.authn = authn;
  }

  /** A signed-in request: who, the session secret, and the CSRF token its forms carry. */
  record Signed(Actor actor, String secret, String csrf) {
    Principal principal() {
      return actor.principal();
    }
  }

  /** Thrown to send the browser to the sign-in page. */
  static final class SignInRequired extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SignInRequired() {
      super("sign-in required", null, false, false);
    }
  }

  /** A form refused for a missing or wrong CSRF token, or sent from another site. */
  static final class CsrfRefused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CsrfRefused() {
      super("csrf", null, false, false);
    }
  }

  /** A page handler: may throw, the wrapper renders refusals. */
  interface Page {
    void handle(ServerRequest req, ServerResponse res);
  }

  /** Wraps a handler: no session → sign-in page; bad CSRF → 403 page; other refusals → an error page. */
  Handler page(Page page) {
    return (req, res) -> {
      try {
        page.handle(req, res);
      } catch (SignInRequired e) {
        redirect(res, SIGN_IN);
      } catch (CsrfRefused e) {
        error(req, res, 403, "This form has expired or did not come from this site",
            "Nothing was changed. Go back, reload the page and send the form again.");
      } catch (KeywardException e) {
        error(req, res, e.code().status(), e.publicMessage(), "");
      }
    };
  }

  Optional<Signed> signedIn(ServerRequest req) {
    Optional<String> secret = cookie(req, SESSION_COOKIE);
    if (secret.isEmpty()) {
      return Optional.empty();
    }
    return sessions.resolve(secret.get())
        .map(p -> new Signed(new Actor(p, authn.ip(req)), secret.get(), sessions.csrfToken(secret.get())));
  }

  Signed require(ServerRequest req) {
    return signedIn(req).orElseThrow(SignInRequired::new);
  }

  /** The signed-in caller, who must be an admin of the tenant (else 403 page). */
  Signed requireAdmin(ServerRequest req) {
    Signed s = require(req);
    if (!s.principal().isAdmin()) {
      throw new KeywardException(ErrorCode.FORBIDDEN, "Only owners and admins of the tenant see this page");
    }
    return s;
  }

  /** Reads the form of a signed-in POST, refusing it unless it carries the session's CSRF token. */
  Form form(ServerRequest req, Signed s) {
    requireSameSite(req);
    Form form = Form.read(req);
    if (!sessions.csrfMatches(s.secret(), form.raw("csrf"))) {
      throw new CsrfRefused();
    }
    return form;
  }

  /** Reads the form of a POST made without a session (sign-in, sign-up): double-submit check. */
  Form anonymousForm(ServerRequest req) {
    requireSameSite(req);
    Form form = Form.read(req);
    String cookie = cookie(req, FORM_COOKIE).orElse(null);
    String field = form.raw("csrf");
    if (cookie == null || field == null || !java.security.MessageDigest.isEqual(
        cookie.getBytes(java.nio.charset.StandardCharsets.UTF_8), field.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
      throw new CsrfRefused();
    }
    return form;
  }

  /** The value anonymous forms carry, set as a cookie too (reused while the browser has one). */
  String anonymousToken(ServerRequest req, ServerResponse res) {
    Optional<String> current = cookie(req, FORM_COOKIE).filter(v -> v.matches("[A-Za-z0-9_-]{43}"));
    if (current.isPresent()) {
      return current.get();
    }
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    String value = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    res.headers().add(HeaderValues.create(HeaderNames.SET_COOKIE, cookieText(req, FORM_COOKIE, value, -1)));
    return value;
  }

  private void requireSameSite(ServerRequest req) {
    String site = req.headers().first(HeaderNames.create("Sec-Fetch-Site")).orElse("");
    if (site.equals("cross-site") || site.equals("same-site")) {
      throw new CsrfRefused();
    }
    Optional<String> origin = req.headers().first(HeaderNames.ORIGIN);
    if (origin.isPresent() && !origin.get().equalsIgnoreCase(ownOrigin(req))) {
      throw new CsrfRefused();
    }
  }

  /** This server's origin as browsers name it: the issuer's scheme, host and port. */
  String ownOrigin(ServerRequest req) {
    URI base = URI.create(authn.issuer(req));
    return base.getScheme() + "://" + base.getRawAuthority();
  }

  /** The tenant the request names by {@code X-Keyward-Tenant} or host name, or null. */
  @Nullable String requestedTenant(ServerRequest req) {
    return authn.tenant(req);
  }

  /** A request just signed in with {@code started} (its cookie set on this answer). */
  Signed signed(ServerRequest req, SessionService.Started started) {
    String secret = started.secret().reveal();
    return new Signed(new Actor(started.principal(), authn.ip(req)), secret, sessions.csrfToken(secret));
  }

  @Nullable String clientIp(ServerRequest req) {
    return authn.ip(req);
  }

  /** The base URL for code snippets. */
  String baseUrl(ServerRequest req) {
    String issuer = authn.issuer(req);
    return issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
  }

  void startSession(ServerRequest req, ServerResponse res, SessionService.Started started) {
    res.headers().add(HeaderValues.create(HeaderNames.SET_COOKIE,
        cookieText(req, SESSION_COOKIE, started.secret().reveal(), sessions.policy().maxAge().toSeconds())));
  }

  void endSession(ServerRequest req, ServerResponse res) {
    cookie(req, SESSION_COOKIE).ifPresent(secret -> sessions.signOut(secret, authn.ip(req)));
    res.headers().add(HeaderValues.create(HeaderNames.SET_COOKIE, cookieText(req, SESSION_COOKIE, "", 0)));
  }

  private String cookieText(ServerRequest req, String name, String value, long maxAge) {
    boolean secure = req.isSecure() || ownOrigin(req).startsWith("https:");
    return name + "=" + value + "; Path=/; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "")
        + (maxAge >= 0 ? "; Max-Age=" + maxAge : "");
  }

  static Optional<String> cookie(ServerRequest req, String name) {
    for (String header : req.headers().all(HeaderNames.COOKIE, java.util.List::of)) {
      for (String part : header.split(";")) {
        int eq = part.indexOf('=');
        if (eq > 0 && part.substring(0, eq).strip().equals(name)) {
          String v = part.substring(eq + 1).strip();
          return v.isEmpty() ? Optional.empty() : Optional.of(v);
        }
      }
    }
    return Optional.empty();
  }

  /** Renders a template with the security headers; every page is no-store (some show secrets once). */
  void render(ServerResponse res, int status, String template, Map<String, Object> params) {
    Utf8ByteOutput out = new Utf8ByteOutput();
    templates.render(template, params, out);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(out.getContentLength());
    try {
      out.writeTo(bytes);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    res.status(Status.create(status));
    headers(res);
    res.header(HTML);
    res.send(bytes.toByteArray());
  }

  void render(ServerResponse res, String template, Map<String, Object> params) {
    render(res, 200, template, params);
  }

  static void headers(ServerResponse res) {
    res.header(NO_STORE);
    res.header(CSP);
    res.header(FRAMES);
    res.header(REFERRER);
  }

  /** 303 See Other: after a POST, the browser GETs the next page. */
  static void redirect(ServerResponse res, String location) {
    res.status(Status.SEE_OTHER_303);
    headers(res);
    res.header(HeaderNames.LOCATION, location);
    res.send();
  }

  void error(ServerRequest req, ServerResponse res, int status, String message, String hint) {
    Optional<Signed> s = status == 403 ? Optional.empty() : safeSignedIn(req);
    render(res, status, "error.jte", Map.of("chrome", chrome(s.orElse(null), "Error", ""),
        "status", status, "message", message, "hint", hint));
  }

  private Optional<Signed> safeSignedIn(ServerRequest req) {
    try {
      return signedIn(req);
    } catch (KeywardException e) {
      return Optional.empty();
    }
  }

  /** The frame around every page: title, navigation, who is signed in, the sign-out form's token. */
  static Models.Chrome chrome(@Nullable Signed s, String title, String active) {
    if (s == null) {
      return new Models.Chrome(title, active, null, false, "", "");
    }
    Principal p = s.principal();
    return new Models.Chrome(title, active, p.email(), p.isAdmin(), p.tenantSlug(), s.csrf());
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
