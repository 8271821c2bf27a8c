package dev.keyward.client.model;

import dev.keyward.client.Secret;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A user to create ({@code POST /api/v1/users}): {@code NewUser.programmatic("bot@acme.example",
 * "Billing bot").withRoles("reader")}.
 */
public final class NewUser {
  private final Members members;

  private NewUser(Members members) {
    this.members = members;
  }

  /** A programmatic user (service account): Keyward generates its password. */
  public static NewUser programmatic(String email, String name) {
    return new NewUser(Members.empty().with("email", email).with("name", name).with("programmatic", true));
  }

  /** A person; without {@link #withPassword} Keyward generates a password. */
  public static NewUser person(String email, String name) {
    return new NewUser(Members.empty().with("email", email).with("name", name).with("programmatic", false));
  }

  /** Roles that exist in the tenant; only owners grant {@code owner}. */
  public NewUser withRoles(String... roles) {
    return new NewUser(members.with("roles", List.of(roles)));
  }

  /** A person's chosen password (8 to 256 characters). */
  public NewUser withPassword(Secret password) {
    return new NewUser(members.with("password", password.reveal()));
  }

  /** The JSON members sent. */
  public Map<String, @Nullable Object> toJson() {
    return members.map();
  }

  @Override
  public String toString() {
    return "NewUser[" + members.map().get("email") + "]";
  }
}
