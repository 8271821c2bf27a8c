package dev.keyward.server.api;

import dev.keyward.core.auth.AccountLockout;
import dev.keyward.core.auth.Actor;
import dev.keyward.core.error.KeywardException;
import dev.keyward.core.principal.Member;
import dev.keyward.core.principal.UserService;
import dev.keyward.core.secret.Secret;
import dev.keyward.server.http.Api;
import dev.keyward.server.http.Authn;
import dev.keyward.server.http.Bodies;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** {@code /api/v1/users}: people and programmatic users of the caller's tenant (admins only). */
public final class UsersEndpoint {
  private final UserService users;
  private final AccountLockout lockout;
  private final Authn authn;

  public UsersEndpoint(UserService users, AccountLockout lockout, Authn authn) {
    this.users = users;
    this.lockout = lockout;
    this.authn = authn;
  }

  record CreateUserRequest(@Nullable String email, @Nullable String name, @Nullable Boolean programmatic,
      @Nullable List<String> roles, @Nullable String password) {}

  record UpdateUserRequest(@Nullable String name, @Nullable List<String> roles) {}

  public void register(Api api) {
    api.post("/api/v1/users", this::create)
        .get("/api/v1/users", this::list)
        .get("/api/v1/users/{id}", this::get)
        .patch("/api/v1/users/{id}", this::update)
        .delete("/api/v1/users/{id}", this::remove)
        .post("/api/v1/users/{id}/reset-password", this::resetPassword)
        .post("/api/v1/users/{id}/unlock", this::unlock);
  }

  private void create(ServerRequest req, ServerResponse res) {
    Actor actor = authn.actor(req);
    CreateUserRequest body = Bodies.read(req, CreateUserRequest.class);
    Set<String> roles = Fields.roles(body.roles());
    UserService.CreatedUser created = users.create(actor, new UserService.CreateUser(
        Fields.required(body.email(), "email"),
        Fields.required(body.name(), "name"),
        Boolean.TRUE.equals(body.programmatic()),
        roles == null ? Set.of() : roles,
        body.password() == null ? null : Secret.of(body.password())));
    Bodies.created(res, Views.created(created));
  }

  private void list(ServerRequest req, ServerResponse res) {
    Actor actor = authn.actor(req);
    Bodies.ok(res, Map.of("users", users.list(actor).stream().map(this::view).toList()));
  }

  private void get(ServerRequest req, ServerResponse res) {
    Actor actor = authn.actor(req);
    Bodies.ok(res, view(users.get(actor, id(req))));
  }

  private void update(ServerRequest req, ServerResponse res) {
    Actor actor = authn.actor(req);
    UpdateUserRequest body = Bodies.read(req, UpdateUserRequest.class);
    if (body.name() == null && body.roles() == null) {
      throw KeywardException.invalid("Nothing to change: send 'name' and/or 'roles'");
    }
    Bodies.ok(res, view(users.update(actor, id(req), body.name(), Fields.roles(body.roles()))));
  }

  private void remove(ServerRequest req, ServerResponse res) {
    Actor actor = authn.actor(req);
    users.remove(actor, id(req));
    res.status(204).send();
  }

  private void resetPassword(ServerRequest req, ServerResponse res) {
    Actor actor = authn.actor(req);
    Secret password = users.resetPassword(actor, id(req));
    Bodies.ok(res, Map.of("password", password.reveal()));
  }

  /** Clears failed attempts and the lock: password logins work again at once, on every node. */
  private void unlock(ServerRequest req, ServerResponse res) {
    Actor actor = authn.actor(req);
    Bodies.ok(res, view(lockout.unlock(actor, id(req))));
  }

  private Views.UserView view(Member m) {
    return Views.user(m, lockout.status(m.user().id()));
  }

  static String id(ServerRequest req) {
    return req.path().pathParameters().get("id");
  }
}
