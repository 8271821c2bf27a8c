package dev.keyward.client.model;

import java.time.Instant;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A user of the tenant: a person, or a programmatic user (a service account).
 *
 * @param locked password logins are refused for now (too many failed attempts)
 * @param lockedUntil when the lock ends; null when not locked or when only an admin can unlock
 */
public record User(String id, String email, String name, boolean programmatic, Set<String> roles, Instant createdAt,
    boolean locked, @Nullable Instant lockedUntil) {
  public User {
    roles = Set.copyOf(roles);
  }
}
