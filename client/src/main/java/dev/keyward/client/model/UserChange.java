package dev.keyward.client.model;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A change of a user ({@code PATCH /api/v1/users/{id}}): {@code UserChange.roles("reader")}, {@code UserChange.name("Bot").withRoles()}. */
public final class UserChange {
  private final Members members;

  private UserChange(Members members) {
    this.members = members;
  }

  public static UserChange name(String name) {
    return new UserChange(Members.empty().with("name", name));
  }

  /** Replaces the roles; the last owner cannot lose {@code owner}. */
  public static UserChange roles(String... roles) {
    return new UserChange(Members.empty().with("roles", List.of(roles)));
  }

  public UserChange withName(String name) {
    return new UserChange(members.with("name", name));
  }

  public UserChange withRoles(String... roles) {
    return new UserChange(members.with("roles", List.of(roles)));
  }

  /** The JSON members sent. */
  public Map<String, @Nullable Object> toJson() {
    return members.map();
  }
}
