package dev.keyward.core.auth;

import org.jspecify.annotations.Nullable;

/** The authenticated caller of one request, with the request facts the audit log keeps. */
public record Actor(Principal principal, @Nullable String ip) {
  public String tenantId() {
    return principal.tenantId();
  }

  public String userId() {
    return principal.userId();
  }
}
