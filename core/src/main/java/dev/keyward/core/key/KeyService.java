package dev.keyward.core.key;

import dev.keyward.core.Transactor;
import dev.keyward.core.audit.AuditEvent;
import dev.keyward.core.audit.Auditor;
import dev.keyward.core.auth.Access;
import dev.keyward.core.auth.Actor;
import dev.keyward.core.auth.CredentialChanges;
import dev.keyward.core.auth.Principal;
import dev.keyward.core.authz.KeyAccess;
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

  public KeyService(KeyStore keys, UserStore users, RoleStore roles, Auditor auditor, Transactor tx,
      SecretGenerator generator, SecretDigester digester, Clock clock, CredentialChanges changes, Revoker revoker) {
    this.revoker = revoker;
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

  /** What a caller asks for when creating a key. {@code roles} null: the owner's roles. */
  public record CreateKey(
      String name, @Nullable String userId, @Nullable Set<String> roles, Environment environment,
      boolean admin, @Nullable Instant expiresAt) {}

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
      Set<String> keyRoles = request.roles();
      if (keyRoles != null) {
        keyRoles = Roles.parse("roles", keyRoles);
        Set<String> known = roles.names(caller.tenantId());
        for (String r : keyRoles) {
          if (!known.contains(r)) {
            throw KeywardException.unprocessable("roles", "Role " + Echo.quoted(r) + " does not exist in this tenant");
          }
          if (!owner.roles().contains(r)) {
            throw KeywardException.unprocessable("roles", "A key's roles may not exceed its owner's: the owner lacks " + Echo.quoted(r));
          }
        }
      }
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
      IssuedKey issued = issue(caller.tenantId(), owner.user().id(), name, keyRoles, request.environment(), request.admin(), request.expiresAt(), now);
      auditor.record(caller.tenantId(), AuditEvent.KEY_CREATED, actor, "key", issued.key().id(), "name=" + name);
      return issued;
    });
  }

  /** Issues a key inside the caller's transaction (also used for every new user's default key). */
  public IssuedKey issue(String tenantId, String userId, String name, @Nullable Set<String> keyRoles,
      Environment environment, boolean admin, @Nullable Instant expiresAt, Instant now) {
    Secret secret = ApiKeyFormat.generate(generator, environment);
    ApiKey key = new ApiKey(generator.id("key"), tenantId, userId, name, ApiKeyFormat.start(secret),
        keyRoles, environment, admin, now, expiresAt, null, null, KeyAccess.DEFAULT, null, null);
    keys.insert(key, digester.digest(secret));
    return new IssuedKey(key, secret, List.of());
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
