package dev.keyward.client.model;

import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /api/v1/me}: who the client is signed in as.
 *
 * @param roles effective roles in the tenant (a key's roles intersected with its owner's)
 */
public record Me(String userId, String email, Tenant tenant, Set<String> roles, Credential credential) {
  public Me {
    roles = Set.copyOf(roles);
  }

  public record Tenant(String id, String slug) {}

  /**
   * The credential of the request: with the client, {@code access_token}.
   *
   * @param type {@code api_key}, {@code password}, {@code access_token} or {@code partner_user}
   */
  public record Credential(String type, @Nullable String keyId, @Nullable Environment environment, boolean admin) {}
}
