package dev.keyward.core.tenant;

/**
 * What a tenant's owners switch on or off.
 *
 * @param passwordGrantForPeople whether people (not only programmatic users) may use the OAuth
 *     password grant; off by default (RFC 9700 §2.4)
 * @param productionEnabled whether production keys (and tokens obtained with them) work; when off
 *     the tenant is sandbox-only. On by default
 * @param keyManagementReserved when on, only roles granting {@code keys:manage-own} let their
 *     members create, roll and revoke their own keys; off by default (every member may)
 * @param openRegistration whether anyone may sign up as a person of the tenant (backoffice sign-up
 *     and {@code POST /api/v1/signup}); off by default
 */
public record TenantSettings(boolean passwordGrantForPeople, boolean productionEnabled, boolean keyManagementReserved,
    boolean openRegistration) {
  public static final TenantSettings DEFAULT = new TenantSettings(false, true, false, false);
}
