package dev.keyward.core.key;

import dev.keyward.core.Transactor;
import dev.keyward.core.audit.AuditEvent;
import dev.keyward.core.audit.Auditor;
import dev.keyward.core.auth.Access;
import dev.keyward.core.auth.Actor;
import dev.keyward.core.auth.CredentialChanges;
import dev.keyward.core.auth.Principal;
import dev.keyward.core.authz.KeyAccess;
import dev.keyward.core.authz.Permission;
import dev.keyward.core.authz.RolePermissions;
import dev.keyward.core.tenant.TenantStore;
import dev.keyward.core.error.Echo;
import dev.keyward.core.error.ErrorCode;
import dev.keyward.core.error.KeywardException;
import dev.keyward.core.principal.Member;
import dev.keyward.core.principal.RoleStore;
import dev.keyward.core.principal.Roles;
import dev.keyward.core.principal.Text;
import dev.keyward.core.principal.UserStore;
import dev.keyward.core.secret.Secret;
import dev.keyward.core.secret.SecretDigester;
import dev.keyward.core.secret.SecretGenerator;
import dev.keyward.core.token.Revocation;
import dev.keyward.core.token.Revoker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Creates, lists and revokes API keys. Any signed-in user manages their own keys; admins manage
 * everyone's in their tenant. Keys of other users (for non-admins) and of other tenants answer
 * "not found", exactly like unknown ids.
 */
public final class KeyService {
  public static final String DEFAULT_KEY_NAME = "default-key";

  private final KeyStore keys;
  private final UserStore users;
  private final RoleStore roles;
  private final Auditor auditor;
  private final Transactor tx;
  private final SecretGenerator generator;
  private final SecretDigester digester;
  private final Clock clock;
  private final CredentialChanges changes;
  private final Revoker revoker;
  private final TenantStore tenants;
  private final RolePermissions permissions;

  public KeyService(KeyStore keys, UserStore users, RoleStore roles, Auditor auditor, Transactor tx,
      SecretGenerator generator, SecretDigester digester, Clock clock, CredentialChanges changes, Revoker revoker,
      TenantStore tenants, RolePermissions permissions) {
    this.revoker = revoker;
    this.tenants = tenants;
    this.permissions = permissions;
    this.keys = keys;
    this.users = users;
    this.roles = roles;
    this.auditor = auditor;
    this.tx = tx;
    this.generator = generator;
    this.digester = digester;
    this.clock = clock;
    this.changes = changes;
  }

  /** The longest grace period a rolled key's previous secret may keep working. */
  public static final Duration MAX_GRACE = Duration.ofDays(30);

  /** What a caller asks for when creating a key. {@code roles} null: the owner's roles. */
  public record CreateKey(
      String name, @Nullable String userId, @Nullable Set<String> roles, Environment environment,
      boolean admin, @Nullable Instant expiresAt, KeyAccess access) {
    /** A key with the default access options. */
    public CreateKey(String name, @Nullable String userId, @Nullable Set<String> roles, Environment environment,
        boolean admin, @Nullable Instant expiresAt) {
      this(name, userId, roles, environment, admin, expiresAt, KeyAccess.DEFAULT);
    }
  }

  /**
   * A change to a key: null parts stay as they are. {@code clearExpiry} removes the expiry;
   * {@code quotaGiven} restarts the count of remaining uses at the new options' quota.
   */
  public record KeyChange(
      @Nullable String name, @Nullable Set<String> roles, @Nullable Instant expiresAt, boolean clearExpiry,
      @Nullable KeyAccess access, boolean quotaGiven) {}

  /** A newly issued key: the only time its secret exists outside the caller's hands. */
  public record IssuedKey(ApiKey key, Secret secret, List<String> warnings) {}

  public IssuedKey create(Actor actor, CreateKey request) {
    Principal caller = actor.principal();
    String name = Text.name("name", request.name(), 100);
    String ownerId = request.userId() == null ? caller.userId() : request.userId();
    Instant now = clock.instant();
    if (request.expiresAt() != null && !request.expiresAt().isAfter(now)) {
      throw KeywardException.unprocessable("expiresAt", "'expiresAt' must be in the future");
    }
    return tx.inTransaction(() -> {
      Member owner = visibleMember(caller, ownerId);
      if (!owner.user().id().equals(caller.userId())) {
        Access.requireOwnerToManageOwner(actor, owner.roles(), "create keys");
      }
      requireOwnKeyManagement(caller, owner.user().id());
      if (request.environment() == Environment.PRODUCTION && !tenants.settings(caller.tenantId()).productionEnabled()) {
        throw KeywardException.unprocessable("environment",
            "This tenant is sandbox-only: production keys are switched off until an owner enables production");
      }
      Set<String> keyRoles = request.roles() == null ? null : checkKeyRoles(caller.tenantId(), request.roles(), owner);
      if (caller.credential() == Principal.CredentialType.API_KEY) {
        // A key may not mint a key with more rights than it has itself.
        Set<String> wanted = keyRoles == null ? owner.roles() : keyRoles;
        if (!caller.roles().containsAll(wanted)) {
          if (request.roles() != null) {
            throw KeywardException.unprocessable("roles", "A key may not create a key with roles it does not have");
          }
          keyRoles = intersect(owner.roles(), caller.roles());
        }
      }
      if (request.admin()) {
        if (!caller.isAdmin()) {
          throw KeywardException.forbidden("Only an admin may create admin keys");
        }
        if (!Roles.isAdmin(owner.roles())) {
          throw KeywardException.unprocessable("admin", "Admin keys belong to users with the owner or admin role");
        }
      }
      IssuedKey issued = issue(caller.tenantId(), owner.user().id(), name, keyRoles, request.environment(), request.admin(),
          request.expiresAt(), request.access(), now);
      auditor.record(caller.tenantId(), AuditEvent.KEY_CREATED, actor, "key", issued.key().id(), "name=" + name);
      return issued;
    });
  }

  /** Issues a key with the default access options inside the caller's transaction (every new user's default key). */
  public IssuedKey issue(String tenantId, String userId, String name, @Nullable Set<String> keyRoles,
      Environment environment, boolean admin, @Nullable Instant expiresAt, Instant now) {
    return issue(tenantId, userId, name, keyRoles, environment, admin, expiresAt, KeyAccess.DEFAULT, now);
  }

  private IssuedKey issue(String tenantId, String userId, String name, @Nullable Set<String> keyRoles,
      Environment environment, boolean admin, @Nullable Instant expiresAt, KeyAccess access, Instant now) {
    Secret secret = ApiKeyFormat.generate(generator, environment);
    ApiKey key = new ApiKey(generator.id("key"), tenantId, userId, name, ApiKeyFormat.start(secret),
        keyRoles, environment, admin, now, expiresAt, null, null, access, access.quota(), null);
    keys.insert(key, digester.digest(secret));
    return new IssuedKey(key, secret, access.warnings());
  }

  /** Changes a live key's name, roles, expiry or access options; the answer carries the options' warnings. */
  public IssuedChange update(Actor actor, String keyId, KeyChange change) {
    Principal caller = actor.principal();
    Instant now = clock.instant();
    if (change.expiresAt() != null && !change.expiresAt().isAfter(now)) {
      throw KeywardException.unprocessable("expiresAt", "'expiresAt' must be in the future");
    }
    IssuedChange done = tx.inTransaction(() -> {
      ApiKey key = liveKey(actor, keyId, "changed");
      Member owner = users.findMember(caller.tenantId(), key.userId()).orElseThrow(() -> KeywardException.notFound("Key"));
      List<String> what = new java.util.ArrayList<>();
      String name = key.name();
      if (change.name() != null) {
        name = Text.name("name", change.name(), 100);
        what.add("name=" + name);
      }
      Instant expiresAt = change.clearExpiry() ? null : change.expiresAt() != null ? change.expiresAt() : key.expiresAt();
      if (change.clearExpiry() || change.expiresAt() != null) {
        what.add("expiresAt=" + expiresAt);
      }
      if (!name.equals(key.name()) || !java.util.Objects.equals(expiresAt, key.expiresAt())) {
        keys.updateDetails(caller.tenantId(), keyId, name, expiresAt);
      }
      if (change.roles() != null) {
        Set<String> keyRoles = checkKeyRoles(caller.tenantId(), change.roles(), owner);
        if (caller.credential() == Principal.CredentialType.API_KEY && !caller.roles().containsAll(keyRoles)) {
          throw KeywardException.unprocessable("roles", "A key may not give a key roles it does not have");
        }
        keys.updateRoles(caller.tenantId(), keyId, keyRoles);
        what.add("roles=" + String.join(",", keyRoles.stream().sorted().toList()));
      }
      KeyAccess access = key.access();
      if (change.access() != null) {
        access = change.access();
        Long remaining = change.quotaGiven() ? access.quota() : access.quota() == null ? null : key.quotaRemaining();
        keys.updateAccess(caller.tenantId(), keyId, access, remaining);
        what.add("access");
      }
      auditor.record(caller.tenantId(), AuditEvent.KEY_UPDATED, actor, "key", keyId, String.join(" ", what));
      return new IssuedChange(keys.find(caller.tenantId(), keyId).orElseThrow(), access.warnings());
    });
    changes.changed();
    return done;
  }

  /** A changed key with the warnings its new options raise. */
  public record IssuedChange(ApiKey key, List<String> warnings) {}

  /**
   * Gives a live key a new secret, shown once. The previous secret keeps working for {@code grace}
   * (zero: it stops now), so that deployments can switch without an outage.
   */
  public IssuedKey roll(Actor actor, String keyId, Duration grace) {
    if (grace.isNegative() || grace.compareTo(MAX_GRACE) > 0) {
      throw KeywardException.invalidField("gracePeriodSeconds", "'gracePeriodSeconds' is between 0 and " + MAX_GRACE.toSeconds());
    }
    Principal caller = actor.principal();
    IssuedKey rolled = tx.inTransaction(() -> {
      ApiKey key = liveKey(actor, keyId, "rolled");
      Instant now = clock.instant();
      Secret secret = ApiKeyFormat.generate(generator, key.environment());
      Instant until = grace.isZero() ? null : now.plus(grace);
      keys.roll(caller.tenantId(), keyId, digester.digest(secret), ApiKeyFormat.start(secret), until);
      auditor.record(caller.tenantId(), AuditEvent.KEY_ROLLED, actor, "key", keyId,
          "name=" + key.name() + " previousSecretUntil=" + (until == null ? "now" : until.toString()));
      return new IssuedKey(keys.find(caller.tenantId(), keyId).orElseThrow(), secret, List.of());
    });
    changes.changed();
    return rolled;
  }

  private ApiKey liveKey(Actor actor, String keyId, String what) {
    Principal caller = actor.principal();
    ApiKey key = visibleKey(caller, keyId);
    if (key.isRevoked()) {
      throw new KeywardException(ErrorCode.ALREADY_REVOKED, "This key is revoked and cannot be " + what);
    }
    if (!key.userId().equals(caller.userId())) {
      Member owner = users.findMember(caller.tenantId(), key.userId()).orElseThrow(() -> KeywardException.notFound("Key"));
      Access.requireOwnerToManageOwner(actor, owner.roles(), "change keys");
    }
    requireOwnKeyManagement(caller, key.userId());
    return key;
  }

  private Set<String> checkKeyRoles(String tenantId, Set<String> requested, Member owner) {
    Set<String> keyRoles = Roles.parse("roles", requested);
    Set<String> known = roles.names(tenantId);
    for (String r : keyRoles) {
      if (!known.contains(r)) {
        throw KeywardException.unprocessable("roles", "Role " + Echo.quoted(r) + " does not exist in this tenant");
      }
      if (!owner.roles().contains(r)) {
        throw KeywardException.unprocessable("roles", "A key's roles may not exceed its owner's: the owner lacks " + Echo.quoted(r));
      }
    }
    return keyRoles;
  }

  /**
   * Where a tenant reserves own-key management, a member acting on their own keys needs a role
   * granting {@code keys:manage-own} (admins manage every key anyway).
   */
  private void requireOwnKeyManagement(Principal caller, String ownerId) {
    if (caller.isAdmin() || !ownerId.equals(caller.userId())) {
      return;
    }
    if (tenants.settings(caller.tenantId()).keyManagementReserved()
        && !permissions.of(caller.tenantId(), caller.roles()).allows(Permission.MANAGE_OWN_KEYS)) {
      throw KeywardException.forbidden("In this tenant only roles granting " + Permission.MANAGE_OWN_KEYS + " manage their own keys");
    }
  }

  public List<ApiKey> list(Actor actor, @Nullable String userId) {
    Principal caller = actor.principal();
    if (userId != null) {
      visibleMember(caller, userId);
      return keys.list(caller.tenantId(), userId);
    }
    return keys.list(caller.tenantId(), caller.isAdmin() ? null : caller.userId());
  }

  public ApiKey get(Actor actor, String keyId) {
    return visibleKey(actor.principal(), keyId);
  }

  public ApiKey revoke(Actor actor, String keyId) {
    Principal caller = actor.principal();
    ApiKey revoked = tx.inTransaction(() -> {
      ApiKey key = visibleKey(caller, keyId);
      requireOwnKeyManagement(caller, key.userId());
      Instant now = clock.instant();
      if (!keys.revoke(caller.tenantId(), keyId, now)) {
        throw new KeywardException(ErrorCode.ALREADY_REVOKED, "This key is already revoked; revocation cannot be undone");
      }
      revoker.revoke(new Revocation(Revocation.Kind.KEY, keyId, now)); // its access tokens too
      auditor.record(caller.tenantId(), AuditEvent.KEY_REVOKED, actor, "key", keyId, "name=" + key.name());
      return keys.find(caller.tenantId(), keyId).orElseThrow();
    });
    changes.changed();
    return revoked;
  }

  private ApiKey visibleKey(Principal caller, String keyId) {
    if (!SecretGenerator.looksLikeId(keyId, "key")) {
      throw KeywardException.notFound("Key");
    }
    return keys.find(caller.tenantId(), keyId)
        .filter(k -> caller.isAdmin() || k.userId().equals(caller.userId()))
        .orElseThrow(() -> KeywardException.notFound("Key"));
  }

  private Member visibleMember(Principal caller, String userId) {
    if (!caller.isAdmin() && !userId.equals(caller.userId())) {
      throw KeywardException.notFound("User");
    }
    if (!SecretGenerator.looksLikeId(userId, "usr")) {
      throw KeywardException.notFound("User");
    }
    return users.findMember(caller.tenantId(), userId).orElseThrow(() -> KeywardException.notFound("User"));
  }

  private static Set<String> intersect(Set<String> a, Set<String> b) {
    Set<String> out = new HashSet<>(a);
    out.retainAll(b);
    return out;
  }
}
