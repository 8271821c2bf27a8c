package dev.keyward.client.model;

import java.util.List;

/**
 * A role and its permissions ({@code resource:action}, {@code *} as a wildcard).
 *
 * @param builtIn {@code owner} and {@code admin}: every permission, not editable
 */
public record Role(String name, List<String> permissions, String description, boolean builtIn) {
  public Role {
    permissions = List.copyOf(permissions);
  }
}
