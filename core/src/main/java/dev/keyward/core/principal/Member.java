package dev.keyward.core.principal;

import java.time.Instant;
import java.util.Set;

/** A user as one tenant sees it: the account plus its roles in that tenant. */
public record Member(User user, String tenantId, Set<String> roles, Instant joinedAt) {
  public Member {
    roles = Set.copyOf(roles);
  }
}
