package dev.keyward.server.api;

import dev.keyward.core.principal.SignUpService;
import dev.keyward.core.principal.UserService;
import dev.keyward.core.secret.Secret;
import dev.keyward.server.http.Api;
import dev.keyward.server.http.Authn;
import dev.keyward.server.http.Bodies;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /api/v1/signup}: a person registers in a tenant that takes sign-ups, without any
 * credential, and gets their {@code default-key} once (the rules are {@link SignUpService}'s).
 */
public final class SignUpEndpoint {
  private final SignUpService signUps;
  private final Authn authn;

  public SignUpEndpoint(SignUpService signUps, Authn authn) {
    this.signUps = signUps;
    this.authn = authn;
  }

  /** The body; {@code tenant} defaults to the one the request names by header or host, else {@code default}. */
  record SignUpRequest(@Nullable String email, @Nullable String name, @Nullable String password, @Nullable String tenant) {
    @Override
    public String toString() {
      return "SignUpRequest[email=" + email + ", name=" + name + ", tenant=" + tenant + ", password=redacted]";
    }
  }

  public void register(Api api) {
    api.post("/api/v1/signup", this::signUp);
  }

  private void signUp(ServerRequest req, ServerResponse res) {
    SignUpRequest body = Bodies.read(req, SignUpRequest.class);
    SignUpService.SignUp request = new SignUpService.SignUp(Fields.required(body.email(), "email"), Fields.required(body.name(), "name"),
        Secret.of(Fields.required(body.password(), "password")), body.tenant() != null ? body.tenant() : authn.tenant(req));
    SignUpService.SignedUp done = signUps.signUp(request, authn.ip(req));
    Bodies.created(res, Views.created(new UserService.CreatedUser(done.member(), null, done.defaultKey())));
  }
}
