package dev.keyward.client.model;

import java.util.List;

/**
 * A role and its permissions ({@code resource:action}, {@code *} as a wildcard).
 *
 * @param builtIn {@code owner} and {@code admin}: every permission, not editable
 * @param warnings in the answer to a creation or change: each grant that no route of the server's
 *     route table requires (most likely a typo); empty otherwise
 */
public record Role(String name, List<String> permissions, String description, boolean builtIn, List<String> warnings) {
  public Role {
    permissions = List.copyOf(permissions);
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
  }
}
