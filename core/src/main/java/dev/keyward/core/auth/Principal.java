package dev.keyward.core.auth;

import dev.keyward.core.key.Environment;
import dev.keyward.core.principal.Roles;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Who a request comes from, decided by authentication: the user, the tenant the request acts in,
 * the effective roles there, and the credential used.
 */
public record Principal(
    String tenantId,
    String tenantSlug,
    String userId,
    String email,
    Set<String> roles,
    CredentialType credential,
    @Nullable String keyId,
    @Nullable Environment environment,
    boolean adminKey) {

  public Principal {
    roles = Set.copyOf(roles);
  }

  /** How the caller proved who they are. */
  public enum CredentialType {
    API_KEY("api_key"),
    PASSWORD("password"),
    ACCESS_TOKEN("access_token"),
    PARTNER_USER("partner_user");

    private final String wireName;

    CredentialType(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  /**
   * True when the caller may use the admin API: an owner or admin signed in with a password, or
   * holding an admin key (or an access token obtained with one).
   */
  public boolean isAdmin() {
    return Roles.isAdmin(roles) && (credential == CredentialType.PASSWORD || adminKey);
  }

  /** True for the owner of the {@code default} tenant, who manages the deployment's tenants. */
  public boolean isDeploymentOwner(String defaultTenantId) {
    return tenantId.equals(defaultTenantId) && roles.contains(Roles.OWNER) && isAdmin();
  }
}
