package dev.keyward.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyward.client.internal.ApiCalls;
import dev.keyward.client.internal.Json;
import dev.keyward.client.model.CreatedUser;
import dev.keyward.client.model.NewUser;
import dev.keyward.client.model.User;
import dev.keyward.client.model.UserChange;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /api/v1/users}: people and programmatic users of the tenant (admins only).
 *
 * @since 0.1.0
 */
public final class Users {
  private final ApiCalls api;

  Users(ApiCalls api) {
    this.api = api;
  }

  /** Creates a user; its password (when generated) and default key are shown only in this answer. */
  public CreatedUser create(NewUser user) {
    JsonNode j = api.answer("POST", "api/v1/users", user.toJson());
    JsonNode password = j.get("password");
    return new CreatedUser(Json.convert(j, User.class),
        password == null || password.isNull() ? null : Json.convert(password, Secret.class),
        Json.convert(j.path("defaultKey"), Secret.class), j.path("defaultKeyId").asText());
  }

  public List<User> list() {
    return listOf(api.answer("GET", "api/v1/users", null).path("users"), User.class);
  }

  /**
   * One user.
   *
   * @throws NotFoundException when no such user is in the tenant
   */
  public User get(String id) {
    return api.answer("GET", "api/v1/users/" + ApiCalls.segment(id), null, User.class);
  }

  public User update(String id, UserChange change) {
    return api.answer("PATCH", "api/v1/users/" + ApiCalls.segment(id), change.toJson(), User.class);
  }

  /** Removes the user from the tenant; their keys and tokens stop working at once. */
  public void delete(String id) {
    api.call("DELETE", "api/v1/users/" + ApiCalls.segment(id), null);
  }

  /** A new generated password, shown only now; the old one stops working at once. */
  public Secret resetPassword(String id) {
    return Json.convert(api.answer("POST", "api/v1/users/" + ApiCalls.segment(id) + "/reset-password", null).path("password"),
        Secret.class);
  }

  /** Clears failed password attempts and lifts a lock. */
  public User unlock(String id) {
    return api.answer("POST", "api/v1/users/" + ApiCalls.segment(id) + "/unlock", null, User.class);
  }

  static <T> List<T> listOf(JsonNode array, Class<T> type) {
    List<T> out = new ArrayList<>(array.size());
    for (JsonNode item : array) {
      out.add(Json.convert(item, type));
    }
    return List.copyOf(out);
  }
}
