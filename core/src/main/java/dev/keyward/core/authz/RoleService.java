package dev.keyward.core.authz;

import dev.keyward.core.Transactor;
import dev.keyward.core.audit.AuditEvent;
import dev.keyward.core.audit.Auditor;
import dev.keyward.core.auth.Access;
import dev.keyward.core.auth.Actor;
import dev.keyward.core.auth.CredentialChanges;
import dev.keyward.core.error.Echo;
import dev.keyward.core.error.KeywardException;
import dev.keyward.core.key.ApiKey;
import dev.keyward.core.key.KeyStore;
import dev.keyward.core.principal.Member;
import dev.keyward.core.principal.RoleStore;
import dev.keyward.core.principal.Roles;
import dev.keyward.core.principal.UserStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Lists, creates, edits and deletes a tenant's roles. Every member may read the roles (to pick
 * them for a key); admins change them. Built-in roles cannot be changed or deleted; a role still
 * held by a member or a key cannot be deleted.
 */
public final class RoleService {
  /** At most this many grants per role. */
  public static final int MAX_PERMISSIONS = 256;

  private final RoleStore roles;
  private final UserStore users;
  private final KeyStore keys;
  private final Auditor auditor;
  private final Transactor tx;
  private final CredentialChanges changes;

  public RoleService(RoleStore roles, UserStore users, KeyStore keys, Auditor auditor, Transactor tx, CredentialChanges changes) {
    this.roles = roles;
    this.users = users;
    this.keys = keys;
    this.auditor = auditor;
    this.tx = tx;
    this.changes = changes;
  }

  public List<Role> list(Actor actor) {
    return roles.list(actor.tenantId());
  }

  public Role get(Actor actor, String name) {
    return roles.find(actor.tenantId(), name).orElseThrow(() -> KeywardException.notFound("Role"));
  }

  public Role create(Actor actor, String name, Collection<String> permissions, @Nullable String description) {
    Access.requireAdmin(actor);
    return create(actor.tenantId(), actor, name, permissions, description);
  }

  /**
   * Creates a role as the operator (the CLI, with direct access to the store): no caller to check;
   * audited without an actor.
   */
  public Role create(String tenantId, @Nullable Actor actor, String name, Collection<String> permissions, @Nullable String description) {
    String checked = checkName(name);
    Role role = new Role(checked, parse(permissions), description(description), false);
    tx.run(() -> {
      if (roles.find(tenantId, checked).isPresent()) {
        throw KeywardException.conflict("A role named " + Echo.quoted(checked) + " already exists");
      }
      roles.insert(tenantId, role);
      auditor.record(tenantId, AuditEvent.ROLE_CREATED, actor, "role", null, "name=" + checked + " permissions=" + describe(role));
    });
    changes.changed();
    return role;
  }

  /** Replaces what is given (permissions, description); absent parts are kept. */
  public Role update(Actor actor, String name, @Nullable Collection<String> permissions, @Nullable String description) {
    Access.requireAdmin(actor);
    return update(actor.tenantId(), actor, name, permissions, description);
  }

  /** {@link #update(Actor, String, Collection, String)} as the operator. */
  public Role update(String tenantId, @Nullable Actor actor, String name, @Nullable Collection<String> permissions, @Nullable String description) {
    Role updated = tx.inTransaction(() -> {
      Role current = roles.find(tenantId, name).orElseThrow(() -> KeywardException.notFound("Role"));
      requireCustom(current, "changed");
      Role next = new Role(current.name(),
          permissions == null ? current.permissions() : parse(permissions),
          description == null ? current.description() : description(description), false);
      roles.update(tenantId, next);
      auditor.record(tenantId, AuditEvent.ROLE_UPDATED, actor, "role", null, "name=" + name + " permissions=" + describe(next));
      return next;
    });
    changes.changed();
    return updated;
  }

  public void delete(Actor actor, String name) {
    Access.requireAdmin(actor);
    delete(actor.tenantId(), actor, name);
  }

  /** {@link #delete(Actor, String)} as the operator. */
  public void delete(String tenantId, @Nullable Actor actor, String name) {
    tx.run(() -> {
      Role current = roles.find(tenantId, name).orElseThrow(() -> KeywardException.notFound("Role"));
      requireCustom(current, "deleted");
      long members = users.listMembers(tenantId).stream().map(Member::roles).filter(r -> r.contains(name)).count();
      long withKeys = keys.list(tenantId, null).stream()
          .filter(k -> !k.isRevoked() && k.roles() != null && k.roles().contains(name)).map(ApiKey::id).count();
      if (members > 0 || withKeys > 0) {
        throw KeywardException.conflict("Role " + Echo.quoted(name) + " is still held by " + members
            + " member(s) and " + withKeys + " live key(s): take it away from them first");
      }
      roles.delete(tenantId, name);
      auditor.record(tenantId, AuditEvent.ROLE_DELETED, actor, "role", null, "name=" + name);
    });
    changes.changed();
  }

  /** Parses a role's grants (wildcards allowed), each named by its index in errors. */
  public static List<Permission> parse(Collection<String> texts) {
    if (texts.size() > MAX_PERMISSIONS) {
      throw KeywardException.invalidField("permissions", "A role holds at most " + MAX_PERMISSIONS + " permissions");
    }
    Set<Permission> out = new LinkedHashSet<>();
    int i = 0;
    for (String t : texts) {
      out.add(Permission.parseGrant("permissions[" + i++ + "]", t));
    }
    return new ArrayList<>(out);
  }

  private static String checkName(String name) {
    String checked = Roles.parse("name", List.of(name)).iterator().next();
    if (Roles.BUILT_IN.contains(checked)) {
      throw KeywardException.conflict("A role named " + Echo.quoted(checked) + " already exists");
    }
    return checked;
  }

  private static String description(@Nullable String d) {
    if (d == null) {
      return "";
    }
    if (d.length() > 500 || d.chars().anyMatch(c -> c < 0x20 && c != '\t')) {
      throw KeywardException.invalidField("description", "'description' is at most 500 characters, without control characters");
    }
    return d.strip();
  }

  private static void requireCustom(Role role, String what) {
    if (role.builtIn()) {
      throw KeywardException.forbidden("The built-in role " + Echo.quoted(role.name()) + " cannot be " + what);
    }
  }

  private static String describe(Role role) {
    return String.join(",", role.permissions().stream().map(Permission::toString).toList());
  }
}
