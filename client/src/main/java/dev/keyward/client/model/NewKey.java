package dev.keyward.client.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A key to create ({@code POST /api/v1/keys}): {@code NewKey.named("ci-deploy")
 * .withEnvironment(Environment.PRODUCTION).withExpiry(Instant.parse("2030-12-31T00:00:00Z"))}.
 * Unset options take the server's defaults: sandbox, the owner's roles, no expiry, native callers,
 * no data access, no rate limit or quota.
 */
public final class NewKey {
  private final Members members;

  private NewKey(Members members) {
    this.members = members;
  }

  /** A key for the caller, named (unique among the owner's live keys). */
  public static NewKey named(String name) {
    return new NewKey(Members.empty().with("name", name));
  }

  /** Another user's key (admins only). */
  public NewKey forUser(String userId) {
    return with("userId", userId);
  }

  public NewKey withRoles(String... roles) {
    return with("roles", List.of(roles));
  }

  public NewKey withEnvironment(Environment environment) {
    return with("environment", environment.wireName());
  }

  /** An admin key: may call only the admin API (admins only, for an owner or admin). */
  public NewKey asAdmin() {
    return with("admin", true);
  }

  public NewKey withExpiry(Instant expiresAt) {
    return with("expiresAt", expiresAt.toString());
  }

  public NewKey withResources(String... patterns) {
    return with("resources", List.of(patterns));
  }

  public NewKey withDataAccess(DataAccess access) {
    return with("dataAccess", access.wireName());
  }

  public NewKey withManageAlgorithms(boolean manage) {
    return with("manageAlgorithms", manage);
  }

  public NewKey withCallers(Callers callers) {
    return with("callers", callers);
  }

  public NewKey withIpAllowlist(String... cidrs) {
    return with("ipAllowlist", List.of(cidrs));
  }

  public NewKey withRateLimit(RateLimit limit) {
    return with("rateLimit", limit);
  }

  public NewKey withQuota(long uses) {
    return with("quota", uses);
  }

  private NewKey with(String name, Object value) {
    return new NewKey(members.with(name, value));
  }

  /** The JSON members sent. */
  public Map<String, @Nullable Object> toJson() {
    return members.map();
  }

  @Override
  public String toString() {
    return "NewKey" + members.map();
  }
}
