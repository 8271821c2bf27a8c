package dev.keyward.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyward.client.internal.ApiCalls;
import dev.keyward.client.internal.Json;
import dev.keyward.client.model.ChangedKey;
import dev.keyward.client.model.CreatedKey;
import dev.keyward.client.model.Key;
import dev.keyward.client.model.KeyChange;
import dev.keyward.client.model.NewKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v1/keys}: the caller's own API keys, or (admins) anyone's in the tenant.
 *
 * @since 0.1.0
 */
public final class Keys {
  private final ApiCalls api;

  Keys(ApiCalls api) {
    this.api = api;
  }

  /** Creates a key; its secret is in this answer only. */
  public CreatedKey create(NewKey key) {
    return created(api.answer("POST", "api/v1/keys", key.toJson()));
  }

  /** The caller's keys, or every key of the tenant for admins. */
  public List<Key> list() {
    return Users.listOf(api.answer("GET", "api/v1/keys", null).path("keys"), Key.class);
  }

  /** The keys of one user. */
  public List<Key> listOf(String userId) {
    return Users.listOf(api.answer("GET", "api/v1/keys?userId=" + ApiCalls.query(userId), null).path("keys"), Key.class);
  }

  public Key get(String id) {
    return api.answer("GET", "api/v1/keys/" + ApiCalls.segment(id), null, Key.class);
  }

  public ChangedKey update(String id, KeyChange change) {
    JsonNode j = api.answer("PATCH", "api/v1/keys/" + ApiCalls.segment(id), change.toJson());
    return new ChangedKey(Json.convert(j, Key.class), warnings(j));
  }

  /**
   * Gives a live key a new secret, shown only in this answer; the previous secret keeps working
   * for {@code gracePeriod} (zero: stops now).
   */
  public CreatedKey roll(String id, Duration gracePeriod) {
    return created(api.answer("POST", "api/v1/keys/" + ApiCalls.segment(id) + "/roll",
        Map.of("gracePeriodSeconds", gracePeriod.toSeconds())));
  }

  /**
   * Revokes a key, irreversibly; its tokens stop working too.
   *
   * @throws ConflictException {@code already_revoked} when it was
   */
  public Key revoke(String id) {
    return api.answer("POST", "api/v1/keys/" + ApiCalls.segment(id) + "/revoke", null, Key.class);
  }

  private static CreatedKey created(JsonNode j) {
    return new CreatedKey(Json.convert(j, Key.class), Json.convert(j.path("key"), Secret.class), warnings(j));
  }

  private static List<String> warnings(JsonNode j) {
    return Users.listOf(j.path("warnings"), String.class);
  }
}
