package dev.keyward.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyward.core.auth.Actor;
import dev.keyward.core.authz.KeyAccess;
import dev.keyward.core.error.KeywardException;
import dev.keyward.core.key.Environment;
import dev.keyward.core.key.KeyService;
import dev.keyward.server.http.Api;
import dev.keyward.server.http.Authn;
import dev.keyward.server.http.Bodies;
import dev.keyward.server.http.Json;
import java.time.Duration;
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

  /** The body of {@code POST /api/v1/keys}; the CLI sends it too, or hands it to {@link #toCreateKey()} on the machine. */
  public record CreateKeyRequest(@Nullable String name, @Nullable String userId, @Nullable List<String> roles,
      @Nullable String environment, @Nullable Boolean admin, @Nullable String expiresAt,
      @Nullable List<String> resources, @Nullable String dataAccess, @Nullable Boolean manageAlgorithms,
      KeyBodies.@Nullable CallersBody callers, @Nullable List<String> ipAllowlist, KeyBodies.@Nullable RateLimitBody rateLimit,
      @Nullable Number quota) {
    /** The request as core takes it, checked as the API checks it. */
    public KeyService.CreateKey toCreateKey() {
      Environment env = environment == null
          ? Environment.SANDBOX
          : Environment.fromWire(environment).orElseThrow(() ->
              KeywardException.invalidField("environment", "'environment' must be 'production' or 'sandbox'"));
      return new KeyService.CreateKey(Fields.required(name, "name"), userId, Fields.roles(roles), env,
          Boolean.TRUE.equals(admin), Fields.instant(expiresAt, "expiresAt"),
          KeyBodies.access(resources, dataAccess, manageAlgorithms, callers, ipAllowlist, rateLimit, quota));
    }
  }

  /** A change: present members replace; {@code environment}, {@code admin} and {@code userId} cannot change. */
  record UpdateKeyRequest(@Nullable String name, @Nullable List<String> roles, @Nullable String expiresAt,
      @Nullable List<String> resources, @Nullable String dataAccess, @Nullable Boolean manageAlgorithms,
      KeyBodies.@Nullable CallersBody callers, @Nullable List<String> ipAllowlist, KeyBodies.@Nullable RateLimitBody rateLimit,
      @Nullable Number quota, @Nullable Object environment, @Nullable Object admin, @Nullable Object userId) {}

  /** The body of {@code POST /api/v1/keys/{id}/roll}. */
  public record RollRequest(@Nullable Number gracePeriodSeconds) {
    /** How long the previous secret keeps working, checked as the API checks it. */
    public Duration grace() {
      double seconds = Fields.required(gracePeriodSeconds, "gracePeriodSeconds").doubleValue();
      if (seconds != Math.rint(seconds) || seconds < 0 || seconds > KeyService.MAX_GRACE.toSeconds()) {
        throw KeywardException.invalidField("gracePeriodSeconds",
            "'gracePeriodSeconds' is a whole number of seconds between 0 and " + KeyService.MAX_GRACE.toSeconds());
      }
      return Duration.ofSeconds((long) seconds);
    }
  }

  public void register(Api api) {
    api.post("/api/v1/keys", this::create)
        .get("/api/v1/keys", this::list)
        .get("/api/v1/keys/{id}", this::get)
        .patch("/api/v1/keys/{id}", this::update)
        .post("/api/v1/keys/{id}/roll", this::roll)
        .post("/api/v1/keys/{id}/revoke", this::revoke);
  }

  private void create(ServerRequest req, ServerResponse res) {
    Actor actor = authn.actor(req);
    CreateKeyRequest body = Bodies.read(req, CreateKeyRequest.class);
    Bodies.created(res, Views.created(keys.create(actor, body.toCreateKey())));
  }

  private void update(ServerRequest req, ServerResponse res) {
    Actor actor = authn.actor(req);
    byte[] bytes = Bodies.readJsonBytes(req);
    JsonNode tree = Json.read(bytes, JsonNode.class);
    UpdateKeyRequest body = Json.read(bytes, UpdateKeyRequest.class);
    for (String immutable : List.of("environment", "admin", "userId")) {
      if (tree.has(immutable)) {
        throw KeywardException.invalidField(immutable, "'" + immutable + "' cannot be changed: create a new key instead");
      }
    }
    if (tree.isEmpty()) {
      throw KeywardException.invalid("Give at least one member to change");
    }
    String id = UsersEndpoint.id(req);
    KeyAccess access = KeyBodies.patch(keys.get(actor, id).access(), tree, body.resources(), body.dataAccess(),
        body.manageAlgorithms(), body.callers(), body.ipAllowlist(), body.rateLimit(), body.quota());
    if (tree.has("name") && body.name() == null) {
      throw KeywardException.invalidField("name", "'name' cannot be null");
    }
    boolean clearExpiry = tree.has("expiresAt") && body.expiresAt() == null;
    KeyService.IssuedChange changed = keys.update(actor, id, new KeyService.KeyChange(body.name(), Fields.roles(body.roles()),
        Fields.instant(body.expiresAt(), "expiresAt"), clearExpiry, access, tree.has("quota")));
    Bodies.ok(res, new Views.ChangedKeyView(Views.key(changed.key()), changed.warnings()));
  }

  private void roll(ServerRequest req, ServerResponse res) {
    Actor actor = authn.actor(req);
    RollRequest body = Bodies.read(req, RollRequest.class);
    KeyService.IssuedKey rolled = keys.roll(actor, UsersEndpoint.id(req), body.grace());
    Bodies.ok(res, Views.created(rolled));
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
