package dev.keyward.core.principal;

import dev.keyward.core.Transactor;
import dev.keyward.core.audit.AuditEvent;
import dev.keyward.core.audit.Auditor;
import dev.keyward.core.auth.Access;
import dev.keyward.core.auth.Actor;
import dev.keyward.core.auth.CredentialChanges;
import dev.keyward.core.error.Echo;
import dev.keyward.core.error.KeywardException;
import dev.keyward.core.key.Environment;
import dev.keyward.core.key.KeyService;
import dev.keyward.core.key.KeyStore;
import dev.keyward.core.secret.PasswordHasher;
import dev.keyward.core.secret.Secret;
import dev.keyward.core.secret.SecretGenerator;
import dev.keyward.core.token.Revocation;
import dev.keyward.core.token.Revoker;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Manages the users of a tenant (admins only). A programmatic user gets a generated password,
 * shown once; every new user gets an API key named {@code default-key}, shown once.
 */
public final class UserService {
  public static final int MIN_PASSWORD = 8;
  public static final int MAX_PASSWORD = 256;

  private final UserStore users;
  private final RoleStore roles;
  private final KeyStore keys;
  private final KeyService keyService;
  private final Auditor auditor;
  private final Transactor tx;
  private final SecretGenerator generator;
  private final PasswordHasher hasher;
  private final Clock clock;
  private final CredentialChanges changes;
  private final Revoker revoker;

  public UserService(UserStore users, RoleStore roles, KeyStore keys, KeyService keyService, Auditor auditor,
      Transactor tx, SecretGenerator generator, PasswordHasher hasher, Clock clock, CredentialChanges changes, Revoker revoker) {
    this.revoker = revoker;
    this.users = users;
    this.roles = roles;
    this.keys = keys;
    this.keyService = keyService;
    this.auditor = auditor;
    this.tx = tx;
    this.generator = generator;
    this.hasher = hasher;
    this.clock = clock;
    this.changes = changes;
  }

  /** A request to create a user. {@code password} only for people; null means "generate one". */
  public record CreateUser(String email, String name, boolean programmatic, Set<String> roles, @Nullable Secret password) {}

  /** A created user with the secrets shown once: a generated password (if any) and the default key. */
  public record CreatedUser(Member member, @Nullable Secret password, KeyService.IssuedKey defaultKey) {}

  public CreatedUser create(Actor actor, CreateUser request) {
    Access.requireAdmin(actor);
    String tenantId = actor.tenantId();
    String email = Emails.canonical("email", request.email());
    String name = Text.name("name", request.name(), 200);
    Set<String> wanted = checkRoles(actor, tenantId, request.roles(), Set.of());
    if (request.programmatic() && request.password() != null) {
      throw KeywardException.invalidField("password", "Programmatic users get a generated password; do not send one");
    }
    Secret given = request.password();
    if (given != null) {
      checkHumanPassword(given);
    }
    return tx.inTransaction(() -> {
      if (users.findByEmail(email).isPresent()) {
        throw KeywardException.conflict("A user with this email already exists");
      }
      Instant now = clock.instant();
      NewAccount account = newAccount(email, name, request.programmatic(), given, now);
      users.addMembership(tenantId, account.user().id(), wanted, now);
      KeyService.IssuedKey key = keyService.issue(tenantId, account.user().id(), KeyService.DEFAULT_KEY_NAME, null, Environment.SANDBOX, false, null, now);
      auditor.record(tenantId, AuditEvent.USER_CREATED, actor, "user", account.user().id(), request.programmatic() ? "programmatic" : "person");
      auditor.record(tenantId, AuditEvent.KEY_CREATED, actor, "key", key.key().id(), "name=" + KeyService.DEFAULT_KEY_NAME);
      Member member = new Member(account.user(), tenantId, wanted, now);
      return new CreatedUser(member, account.generatedPassword(), key);
    });
  }

  /** An account just inserted, with its password if Keyward generated it. */
  public record NewAccount(User user, @Nullable Secret generatedPassword) {}

  /** Inserts an account (inside the caller's transaction). */
  public NewAccount newAccount(String email, String name, boolean programmatic, @Nullable Secret password, Instant now) {
    User user = new User(generator.id("usr"), email, name, programmatic, now);
    Secret secret = password == null ? generator.password() : password;
    String hash = password == null ? hasher.hashGenerated(secret) : hasher.hashHuman(secret);
    users.insert(user, hash, now);
    return new NewAccount(user, password == null ? secret : null);
  }

  public List<Member> list(Actor actor) {
    Access.requireAdmin(actor);
    return users.listMembers(actor.tenantId());
  }

  public Member get(Actor actor, String userId) {
    Access.requireAdmin(actor);
    return member(actor.tenantId(), userId);
  }

  public Member update(Actor actor, String userId, @Nullable String newName, @Nullable Set<String> newRoles) {
    Access.requireAdmin(actor);
    String name = newName == null ? null : Text.name("name", newName, 200);
    Member updated = tx.inTransaction(() -> {
      Member current = member(actor.tenantId(), userId);
      if (name != null) {
        requireNotSharedWithOtherTenants(actor, current, "rename the account");
        users.updateName(userId, name);
      }
      if (newRoles != null) {
        Set<String> wanted = checkRoles(actor, actor.tenantId(), newRoles, current.roles());
        if (current.roles().contains(Roles.OWNER) && !wanted.contains(Roles.OWNER)) {
          requireAnotherOwner(actor.tenantId(), userId);
        }
        users.updateRoles(actor.tenantId(), userId, wanted);
      }
      auditor.record(actor.tenantId(), AuditEvent.USER_UPDATED, actor, "user", userId,
          (name != null ? "name " : "") + (newRoles != null ? "roles=" + String.join(",", newRoles) : ""));
      return member(actor.tenantId(), userId);
    });
    changes.changed();
    return updated;
  }

  /** Removes a user from the tenant: their keys there are revoked at once. */
  public void remove(Actor actor, String userId) {
    Access.requireAdmin(actor);
    tx.run(() -> {
      Member current = member(actor.tenantId(), userId);
      Access.requireOwnerToManageOwner(actor, current.roles(), "remove the account");
      if (current.roles().contains(Roles.OWNER)) {
        requireAnotherOwner(actor.tenantId(), userId);
      }
      Instant now = clock.instant();
      keys.revokeAllOf(actor.tenantId(), userId, now);
      revoker.revoke(new Revocation(Revocation.Kind.USER, userId, now)); // tokens and refresh tokens too
      if (users.removeMembership(actor.tenantId(), userId) == 0) {
        users.deleteUser(userId);
      }
      auditor.record(actor.tenantId(), AuditEvent.USER_REMOVED, actor, "user", userId, null);
    });
    changes.changed();
  }

  /** Generates a new password; the old one stops working at once. */
  public Secret resetPassword(Actor actor, String userId) {
    Access.requireAdmin(actor);
    Secret password = generator.password();
    tx.run(() -> {
      Member target = member(actor.tenantId(), userId);
      Access.requireOwnerToManageOwner(actor, target.roles(), "reset the password");
      requireNotSharedWithOtherTenants(actor, target, "reset the password");
      Instant now = clock.instant();
      users.updatePassword(userId, hasher.hashGenerated(password), now);
      revoker.revoke(new Revocation(Revocation.Kind.USER, userId, now)); // tokens and refresh tokens too
      auditor.record(actor.tenantId(), AuditEvent.PASSWORD_RESET, actor, "user", userId, null);
    });
    changes.changed();
    return password;
  }

  public static void checkHumanPassword(Secret password) {
    int n = password.reveal().codePointCount(0, password.length());
    if (n < MIN_PASSWORD || n > MAX_PASSWORD) {
      throw KeywardException.invalidField("password", "'password' must be " + MIN_PASSWORD + " to " + MAX_PASSWORD + " characters");
    }
  }

  private Member member(String tenantId, String userId) {
    if (!SecretGenerator.looksLikeId(userId, "usr")) {
      throw KeywardException.notFound("User");
    }
    return users.findMember(tenantId, userId).orElseThrow(() -> KeywardException.notFound("User"));
  }

  private Set<String> checkRoles(Actor actor, String tenantId, Set<String> requested, Set<String> current) {
    Set<String> wanted = Roles.parse("roles", requested);
    Set<String> known = roles.names(tenantId);
    for (String r : wanted) {
      if (!known.contains(r)) {
        throw KeywardException.unprocessable("roles", "Role " + Echo.quoted(r) + " does not exist in this tenant");
      }
    }
    boolean ownerChange = wanted.contains(Roles.OWNER) != current.contains(Roles.OWNER);
    if (ownerChange && !actor.principal().roles().contains(Roles.OWNER)) {
      throw KeywardException.forbidden("Only an owner may grant or remove the owner role");
    }
    return wanted;
  }

  /**
   * An account's password and name are shared by every tenant it belongs to: an admin of one
   * tenant changing them would reach into the others (and could take over an owner elsewhere).
   * Only the holder, signed in with their password, changes a shared account.
   */
  private void requireNotSharedWithOtherTenants(Actor actor, Member target, String what) {
    boolean self = actor.userId().equals(target.user().id())
        && actor.principal().credential() == dev.keyward.core.auth.Principal.CredentialType.PASSWORD;
    if (self) {
      return;
    }
    boolean shared = users.findLogin(target.user().email())
        .map(login -> login.memberships().stream().anyMatch(m -> !m.tenantId().equals(actor.tenantId())))
        .orElse(false);
    if (shared) {
      throw KeywardException.forbidden("This account also belongs to other tenants: only its holder may " + what);
    }
  }

  private void requireAnotherOwner(String tenantId, String userId) {
    boolean another = users.listMembers(tenantId).stream()
        .anyMatch(m -> !m.user().id().equals(userId) && m.roles().contains(Roles.OWNER));
    if (!another) {
      throw KeywardException.conflict("A tenant keeps at least one owner: make someone else owner first");
    }
  }

}
