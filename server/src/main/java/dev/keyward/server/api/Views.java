package dev.keyward.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.keyward.core.audit.AuditEvent;
import dev.keyward.core.auth.AccountLockout;
import dev.keyward.core.key.ApiKey;
import dev.keyward.core.key.KeyService;
import dev.keyward.core.principal.Member;
import dev.keyward.core.principal.UserService;
import dev.keyward.core.tenant.Tenant;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The wire shapes of answers. Only the three creation answers have a field for a secret; list and
 * read answers have none, so a secret cannot leak through them by omission.
 */
public final class Views {
  private Views() {}

  /** {@code locked}: password logins refused for now; {@code lockedUntil} null while locked means until an admin unlocks. */
  public record UserView(String id, String email, String name, boolean programmatic, List<String> roles, Instant createdAt,
      boolean locked, @Nullable Instant lockedUntil) {}

  public record CreatedUserView(
      String id, String email, String name, boolean programmatic, List<String> roles, Instant createdAt,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String password, String defaultKey, String defaultKeyId) {}

  /** {@code previousSecretExpiresAt}: after a roll, until when the previous secret works. */
  public record KeyView(
      String id, String name, String start, String userId, @Nullable List<String> roles, String environment,
      boolean admin, Instant createdAt, @Nullable Instant expiresAt, @Nullable Instant lastUsedAt, @Nullable Instant revokedAt,
      KeyBodies.AccessView access, @Nullable Long quotaRemaining, @Nullable Instant previousSecretExpiresAt) {}

  /** A key answer with the warnings its options raise (creation answers carry the secret instead: {@link CreatedKeyView}). */
  public record ChangedKeyView(@com.fasterxml.jackson.annotation.JsonUnwrapped KeyView key, List<String> warnings) {}

  public record CreatedKeyView(
      String id, String name, String key, String start, String userId, @Nullable List<String> roles, String environment,
      boolean admin, Instant createdAt, @Nullable Instant expiresAt, KeyBodies.AccessView access,
      @Nullable Instant previousSecretExpiresAt, List<String> warnings) {}

  public record TenantView(String id, String slug, String name, Instant createdAt) {}

  public record CreatedTenantView(
      String id, String slug, String name, Instant createdAt, UserView owner,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String ownerPassword,
      @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String ownerDefaultKey) {}

  public record AuditView(String id, String event, Instant at, @Nullable String actorId, String subjectType,
      @Nullable String subjectId, @Nullable String ip, @Nullable String detail) {}

  public static List<String> sorted(Set<String> roles) {
    return roles.stream().sorted().toList();
  }

  /** A user just created, who cannot be locked yet. */
  public static UserView user(Member m) {
    return user(m, AccountLockout.LockStatus.UNLOCKED);
  }

  public static UserView user(Member m, AccountLockout.LockStatus lock) {
    return new UserView(m.user().id(), m.user().email(), m.user().name(), m.user().programmatic(), sorted(m.roles()), m.user().createdAt(),
        lock.locked(), lock.lockedUntil());
  }

  public static CreatedUserView created(UserService.CreatedUser c) {
    Member m = c.member();
    return new CreatedUserView(m.user().id(), m.user().email(), m.user().name(), m.user().programmatic(), sorted(m.roles()),
        m.user().createdAt(), c.password() == null ? null : c.password().reveal(), c.defaultKey().secret().reveal(),
        c.defaultKey().key().id());
  }

  public static KeyView key(ApiKey k) {
    return new KeyView(k.id(), k.name(), k.start(), k.userId(), k.roles() == null ? null : sorted(k.roles()),
        k.environment().wireName(), k.admin(), k.createdAt(), k.expiresAt(), k.lastUsedAt(), k.revokedAt(),
        KeyBodies.AccessView.of(k.access()), k.quotaRemaining(), k.previousExpiresAt());
  }

  public static CreatedKeyView created(KeyService.IssuedKey issued) {
    ApiKey k = issued.key();
    return new CreatedKeyView(k.id(), k.name(), issued.secret().reveal(), k.start(), k.userId(),
        k.roles() == null ? null : sorted(k.roles()), k.environment().wireName(), k.admin(), k.createdAt(),
        k.expiresAt(), KeyBodies.AccessView.of(k.access()), k.previousExpiresAt(), issued.warnings());
  }

  public static TenantView tenant(Tenant t) {
    return new TenantView(t.id(), t.slug(), t.name(), t.createdAt());
  }

  public static AuditView audit(AuditEvent e) {
    return new AuditView(e.id(), e.event(), e.at(), e.actorId(), e.subjectType(), e.subjectId(), e.ip(), e.detail());
  }
}
