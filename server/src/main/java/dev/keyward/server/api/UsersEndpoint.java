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

  /** The body of {@code POST /api/v1/users}; the CLI sends it too, or hands it to {@link #toCreateUser()} on the machine. */
  public record CreateUserRequest(@Nullable String email, @Nullable String name, @Nullable Boolean programmatic,
      @Nullable List<String> roles, @Nullable String password) {
    /** The request as core takes it, checked as the API checks it. */
    public UserService.CreateUser toCreateUser() {
      Set<String> wanted = Fields.roles(roles);
      return new UserService.CreateUser(Fields.required(email, "email"), Fields.required(name, "name"),
          Boolean.TRUE.equals(programmatic), wanted == null ? Set.of() : wanted, password == null ? null : Secret.of(password));
    }

    @Override
    public String toString() {
      return "CreateUserRequest[email=" + email + ", name=" + name + ", programmatic=" + programmatic + ", roles=" + roles
          + ", password=" + (password == null ? "none" : "redacted") + "]";
    }
  }

  /** The body of {@code PATCH /api/v1/users/{id}}. */
  public record UpdateUserRequest(@Nullable String name, @Nullable List<String> roles) {
    /** The new roles, checked as the API checks them; null when unchanged. */
    public @Nullable Set<String> roleSet() {
      if (name == null && roles == null) {
        throw KeywardException.invalid("Nothing to change: send 'name' and/or 'roles'");
      }
      return Fields.roles(roles);
    }
  }

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
    Bodies.created(res, Views.created(users.create(actor, body.toCreateUser())));
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
    Set<String> roles = body.roleSet();
    Bodies.ok(res, view(users.update(actor, id(req), body.name(), roles)));
  }

  private void remove(ServerRequest req, ServerResponse res) {
    Actor actor = authn.actor(req);
    users.remove(actor, id(req));
    res.status(204).send();
  }

  private void resetPassword(ServerRequest req, ServerResponse res) {
    Actor actor = authn.actor(req);
    Secret password = users.resetPassword(actor, id(req));
    Bodies.ok(res, new PasswordView(password.reveal()));
  }

  /** Clears failed attempts and the lock: password logins work again at once, on every node. */
  private void unlock(ServerRequest req, ServerResponse res) {
    Actor actor = authn.actor(req);
    Bodies.ok(res, view(lockout.unlock(actor, id(req))));
  }

  /** The answer of {@code POST /api/v1/users/{id}/reset-password}: the new password, shown once. */
  public record PasswordView(String password) {
    @Override
    public String toString() {
      return "PasswordView[redacted]";
    }
  }

  private Views.UserView view(Member m) {
    return Views.user(m, lockout.status(m.user().id()));
  }

  static String id(ServerRequest req) {
    return req.path().pathParameters().get("id");
  }
}
