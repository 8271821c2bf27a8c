package dev.keyward.server.ui;

import dev.keyward.core.error.KeywardException;
import dev.keyward.core.principal.SignUpService;
import dev.keyward.core.secret.Secret;
import dev.keyward.core.session.SessionService;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.HashMap;
import java.util.Map;

/**
 * Sign-up, where the tenant takes it ({@code openRegistration}): the core's {@link SignUpService}
 * registers the person, a new session signs them in, and their {@code default-key} is shown once.
 * The tenant is the one the request names ({@code ?tenant=}, {@code X-Keyward-Tenant} or host
 * name), else {@code default}.
 */
final class SignUpPages {
  static final String SIGN_UP = Web.BASE + "/sign-up";

  private final Web web;
  private final SessionService sessions;
  private final SignUpService signUps;
  private final KeyPages keyPages;

  SignUpPages(Web web, SessionService sessions, SignUpService signUps, KeyPages keyPages) {
    this.web = web;
    this.sessions = sessions;
    this.signUps = signUps;
    this.keyPages = keyPages;
  }

  void register(HttpRouting.Builder routing) {
    routing.get(SIGN_UP, web.page(this::form)).post(SIGN_UP, web.page(this::signUp));
  }

  private void form(ServerRequest req, ServerResponse res) {
    String tenant = req.query().first("tenant").orElseGet(() -> orEmpty(web.requestedTenant(req)));
    if (!signUps.isOpen(tenant)) {
      throw KeywardException.forbidden("This tenant does not take sign-ups: ask its administrators for an account");
    }
    show(req, res, 200, "", "", tenant, Models.Errors.NONE);
  }

  private void signUp(ServerRequest req, ServerResponse res) {
    Form form = web.anonymousForm(req);
    String email = form.get("email", "");
    String name = form.get("name", "");
    String tenant = form.get("tenant", orEmpty(web.requestedTenant(req)));
    String password = form.raw("password");
    try {
      SignUpService.SignedUp done = signUps.signUp(new SignUpService.SignUp(email, name, Secret.of(password == null ? "" : password),
          tenant.isEmpty() ? null : tenant), web.clientIp(req));
      SessionService.Started started = sessions.start(done.principal(), web.clientIp(req));
      web.endSession(req, res);
      web.startSession(req, res, started);
      keyPages.showSecret(req, res, web.signed(req, started), done.defaultKey());
    } catch (KeywardException e) {
      show(req, res, e.code().status(), email, name, tenant, KeyPages.errors(e));
    }
  }

  private void show(ServerRequest req, ServerResponse res, int status, String email, String name, String tenant, Models.Errors errors) {
    Map<String, Object> params = new HashMap<>();
    params.put("chrome", Web.chrome(null, "Sign up", "sign-up"));
    params.put("csrf", web.anonymousToken(req, res));
    params.put("email", email);
    params.put("name", name);
    params.put("tenant", tenant);
    params.put("errors", errors);
    web.render(res, status, "signup.jte", params);
  }

  private static String orEmpty(@org.jspecify.annotations.Nullable String s) {
    return s == null ? "" : s;
  }
}
