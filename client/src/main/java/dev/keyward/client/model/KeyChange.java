package dev.keyward.client.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A change of a live key ({@code PATCH /api/v1/keys/{id}}): members given replace the key's,
 * the others stay; {@code without…} removes an option. Environment, admin flag and owner never change.
 * {@code KeyChange.none().withName("ci").withoutExpiry().withRateLimit(RateLimit.of(100, Duration.ofMinutes(1)))}.
 */
public final class KeyChange {
  private final Members members;

  private KeyChange(Members members) {
    this.members = members;
  }

  /** No change yet: add at least one. */
  public static KeyChange none() {
    return new KeyChange(Members.empty());
  }

  public KeyChange withName(String name) {
    return with("name", name);
  }

  public KeyChange withRoles(String... roles) {
    return with("roles", List.of(roles));
  }

  public KeyChange withExpiry(Instant expiresAt) {
    return with("expiresAt", expiresAt.toString());
  }

  public KeyChange withoutExpiry() {
    return with("expiresAt", null);
  }

  public KeyChange withResources(String... patterns) {
    return with("resources", List.of(patterns));
  }

  public KeyChange withDataAccess(DataAccess access) {
    return with("dataAccess", access.wireName());
  }

  public KeyChange withManageAlgorithms(boolean manage) {
    return with("manageAlgorithms", manage);
  }

  public KeyChange withCallers(Callers callers) {
    return with("callers", callers);
  }

  public KeyChange withIpAllowlist(String... cidrs) {
    return with("ipAllowlist", List.of(cidrs));
  }

  public KeyChange withRateLimit(RateLimit limit) {
    return with("rateLimit", limit);
  }

  public KeyChange withoutRateLimit() {
    return with("rateLimit", null);
  }

  public KeyChange withQuota(long uses) {
    return with("quota", uses);
  }

  public KeyChange withoutQuota() {
    return with("quota", null);
  }

  private KeyChange with(String name, @Nullable Object value) {
    return new KeyChange(members.with(name, value));
  }

  /** The JSON members sent. */
  public Map<String, @Nullable Object> toJson() {
    return members.map();
  }

  @Override
  public String toString() {
    return "KeyChange" + members.map();
  }
}
