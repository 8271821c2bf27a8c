package dev.keyward.server.api;

import dev.keyward.core.auth.Actor;
import dev.keyward.core.error.KeywardException;
import dev.keyward.core.key.Environment;
import dev.keyward.core.key.KeyService;
import dev.keyward.server.http.Api;
import dev.keyward.server.http.Authn;
import dev.keyward.server.http.Bodies;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** {@code /api/v1/keys}: a user's own keys, or anyone's in the tenant for admins. */
public final class KeysEndpoint {
  private final KeyService keys;
  private final Authn authn;

  public KeysEndpoint(KeyService keys, Authn authn) {
    this.keys = keys;
    this.authn = authn;
  }

  record CreateKeyRequest(@Nullable String name, @Nullable String userId, @Nullable List<String> roles,
      @Nullable String environment, @Nullable Boolean admin, @Nullable String expiresAt) {}

  public void register(Api api) {
    api.post("/api/v1/keys", this::create)
        .get("/api/v1/keys", this::list)
        .get("/api/v1/keys/{id}", this::get)
        .post("/api/v1/keys/{id}/revoke", this::revoke);
  }

  private void create(ServerRequest req, ServerResponse res) {
    Actor actor = authn.actor(req);
    CreateKeyRequest body = Bodies.read(req, CreateKeyRequest.class);
    Environment environment = body.environment() == null
        ? Environment.SANDBOX
        : Environment.fromWire(body.environment()).orElseThrow(() ->
            KeywardException.invalidField("environment", "'environment' must be 'production' or 'sandbox'"));
    KeyService.IssuedKey issued = keys.create(actor, new KeyService.CreateKey(
        Fields.required(body.name(), "name"), body.userId(), Fields.roles(body.roles()), environment,
        Boolean.TRUE.equals(body.admin()), Fields.instant(body.expiresAt(), "expiresAt")));
    Bodies.created(res, Views.created(issued));
  }

  private void list(ServerRequest req, ServerResponse res) {
    Actor actor = authn.actor(req);
    String userId = req.query().first("userId").orElse(null);
    Bodies.ok(res, Map.of("keys", keys.list(actor, userId).stream().map(Views::key).toList()));
  }

  private void get(ServerRequest req, ServerResponse res) {
    Actor actor = authn.actor(req);
    Bodies.ok(res, Views.key(keys.get(actor, UsersEndpoint.id(req))));
  }

  private void revoke(ServerRequest req, ServerResponse res) {
    Actor actor = authn.actor(req);
    Bodies.ok(res, Views.key(keys.revoke(actor, UsersEndpoint.id(req))));
  }
}
