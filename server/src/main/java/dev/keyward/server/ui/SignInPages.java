package dev.keyward.server.ui;

import dev.keyward.core.error.ErrorCode;
import dev.keyward.core.error.KeywardException;
import dev.keyward.core.principal.SignUpService;
import dev.keyward.core.secret.Secret;
import dev.keyward.core.session.SessionService;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Sign-in and sign-out. Sign-in is the core's password check, so lockout counts and refuses it as on every password path. */
final class SignInPages {
  private final Web web;
  private final SessionService sessions;
  private final SignUpService signUps;

  SignInPages(Web web, SessionService sessions, SignUpService signUps) {
    this.web = web;
    this.sessions = sessions;
    this.signUps = signUps;
  }

  void register(HttpRouting.Builder routing) {
    routing.get(Web.SIGN_IN, web.page(this::form))
        .post(Web.SIGN_IN, web.page(this::signIn))
        .post(Web.BASE + "/sign-out", web.page(this::signOut));
  }

  private void form(ServerRequest req, ServerResponse res) {
    if (web.signedIn(req).isPresent()) {
      Web.redirect(res, KeyPages.MY_KEYS);
      return;
    }
    show(req, res, 200, "", "", null, "");
  }

  private void signIn(ServerRequest req, ServerResponse res) {
    Form form = web.anonymousForm(req);
    String email = form.get("email", "");
    String tenant = form.get("tenant", "");
    String password = form.raw("password");
    if (email.isEmpty() || password == null) {
      show(req, res, 400, email, tenant, "Enter your email and your password.", "");
      return;
    }
    try {
      SessionService.Started started = sessions.signIn(email, Secret.of(password), tenant.isEmpty() ? null : tenant,
          web.clientIp(req));
      // A new session id at every sign-in (no fixation); a session this browser had is ended.
      web.endSession(req, res);
      web.startSession(req, res, started);
      Web.redirect(res, KeyPages.MY_KEYS);
    } catch (KeywardException e) {
      show(req, res, e.code().status(), email, tenant, e.publicMessage(), hint(e));
    }
  }

  /** What the person can do about a refusal. */
  private static String hint(KeywardException e) {
    if (e.code() == ErrorCode.ACCOUNT_LOCKED) {
      return e.retryAfter() == null
          ? "Ask an admin of your tenant to unlock your account."
          : "Wait until then and try again, or ask an admin of your tenant to unlock your account now.";
    }
    if (e.code() == ErrorCode.TENANT_REQUIRED) {
      return "Enter the tenant to sign in to (its short name, e.g. 'default').";
    }
    if (e.code() == ErrorCode.INVALID_CREDENTIALS) {
      return "Check your email and password. Too many wrong passwords lock the account for a while.";
    }
    return "";
  }

  private void show(ServerRequest req, ServerResponse res, int status, String email, String tenant, @Nullable String error, String hint) {
    Map<String, Object> params = new HashMap<>();
    params.put("chrome", Web.chrome(null, "Sign in", "sign-in"));
    params.put("csrf", web.anonymousToken(req, res));
    params.put("email", email);
    params.put("tenant", tenant);
    params.put("error", error == null ? "" : error);
    params.put("hint", hint);
    params.put("tenantAsked", !tenant.isEmpty() || (error != null && hint.startsWith("Enter the tenant")));
    // The sign-up link only where the tenant the request names (or default) takes sign-ups.
    params.put("signUpOpen", signUps.isOpen(web.requestedTenant(req)));
    web.render(res, status, "signin.jte", params);
  }

  private void signOut(ServerRequest req, ServerResponse res) {
    Web.Signed s = web.signedIn(req).orElse(null);
    if (s != null) {
      web.form(req, s);
    }
    web.endSession(req, res);
    Web.redirect(res, Web.SIGN_IN);
  }
}
