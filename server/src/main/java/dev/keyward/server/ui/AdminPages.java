package dev.keyward.server.ui;

import dev.keyward.core.audit.AuditLog;
import dev.keyward.core.audit.AuditReader;
import dev.keyward.core.auth.AccountLockout;
import dev.keyward.core.authz.Permission;
import dev.keyward.core.authz.PermissionSet;
import dev.keyward.core.authz.Role;
import dev.keyward.core.authz.RolePermissions;
import dev.keyward.core.authz.RoleService;
import dev.keyward.core.authz.Route;
import dev.keyward.core.error.KeywardException;
import dev.keyward.core.key.ApiKey;
import dev.keyward.core.key.KeyService;
import dev.keyward.core.principal.Member;
import dev.keyward.core.principal.UserService;
import dev.keyward.core.secret.Secret;
import dev.keyward.server.routes.RouteTables;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** Pages for a tenant's owners and admins: users, roles with the route matrix, everyone's keys, the audit log. */
final class AdminPages {
  static final String USERS = Web.BASE + "/admin/users";
  static final String ROLES = Web.BASE + "/admin/roles";
  static final String AUDIT = Web.BASE + "/admin/audit";

  private final Web web;
  private final UserService users;
  private final AccountLockout lockout;
  private final KeyService keys;
  private final RoleService roles;
  private final RolePermissions permissions;
  private final RouteTables routes;
  private final AuditReader audit;

  AdminPages(Web web, UserService users, AccountLockout lockout, KeyService keys, RoleService roles, RolePermissions permissions,
      RouteTables routes, AuditReader audit) {
    this.web = web;
    this.users = users;
    this.lockout = lockout;
    this.keys = keys;
    this.roles = roles;
    this.permissions = permissions;
    this.routes = routes;
    this.audit = audit;
  }

  void register(HttpRouting.Builder routing) {
    routing.get(USERS, web.page(this::users))
        .post(USERS, web.page(this::createUser))
        .get(USERS + "/{id}", web.page(this::editUser))
        .post(USERS + "/{id}", web.page(this::updateUser))
        .post(USERS + "/{id}/reset-password", web.page(this::resetPassword))
        .post(USERS + "/{id}/unlock", web.page(this::unlock))
        .get(USERS + "/{id}/remove", web.page(this::removeForm))
        .post(USERS + "/{id}/remove", web.page(this::remove))
        .get(ROLES, web.page(this::roles))
        .post(ROLES, web.page(this::saveRole))
        .get(KeyPages.ALL_KEYS, web.page(this::allKeys))
        .get(AUDIT, web.page(this::audit));
  }


  private void users(ServerRequest req, ServerResponse res) {
    Web.Signed s = web.requireAdmin(req);
    showUsers(res, 200, s, "", "", Models.Errors.NONE);
  }

  private void showUsers(ServerResponse res, int status, Web.Signed s, String email, String name, Models.Errors errors) {
    Map<String, Instant> lastUse = new HashMap<>();
    for (ApiKey k : keys.list(s.actor(), null)) {
      if (k.lastUsedAt() != null) {
        lastUse.merge(k.userId(), k.lastUsedAt(), (a, b) -> a.isAfter(b) ? a : b);
      }
    }
    List<Models.UserRow> rows = users.list(s.actor()).stream().map(m -> {
      AccountLockout.LockStatus lock = lockout.status(m.user().id());
      return new Models.UserRow(m.user().id(), m.user().email(), m.user().name(), m.user().programmatic(), Models.roleList(m.roles()),
          lock.locked(), lock.locked() ? (lock.lockedUntil() == null ? "until unlocked" : "until " + Models.when(lock.lockedUntil())) : "",
          lastUse.containsKey(m.user().id()) ? Models.when(lastUse.get(m.user().id())) : "never", Models.when(m.user().createdAt()));
    }).toList();
    web.render(res, status, "users.jte", Map.of("chrome", Web.chrome(s, "Users", "users"), "users", rows, "email", email,
        "name", name, "errors", errors));
  }

  /** "New API user": a programmatic user; its password and default key are shown once. */
  private void createUser(ServerRequest req, ServerResponse res) {
    Web.Signed s = web.requireAdmin(req);
    Form f = web.form(req, s);
    String email = f.get("email", "");
    String name = f.get("name", "");
    try {
      UserService.CreatedUser created = users.create(s.actor(), new UserService.CreateUser(email, name, true, Set.of(), null));
      web.render(res, 201, "user-created.jte", Map.of("chrome", Web.chrome(s, "New API user", "users"),
          "email", created.member().user().email(), "id", created.member().user().id(),
          "password", Objects.requireNonNull(created.password()).reveal(), "key", created.defaultKey().secret().reveal()));
    } catch (KeywardException e) {
      showUsers(res, e.code().status(), s, email, name, KeyPages.errors(e));
    }
  }

  private void editUser(ServerRequest req, ServerResponse res) {
    Web.Signed s = web.requireAdmin(req);
    showEdit(res, 200, s, users.get(s.actor(), id(req)), Models.Errors.NONE, "");
  }

  private void showEdit(ServerResponse res, int status, Web.Signed s, Member m, Models.Errors errors, String password) {
    AccountLockout.LockStatus lock = lockout.status(m.user().id());
    Map<String, Object> params = new HashMap<>();
    params.put("chrome", Web.chrome(s, "Edit " + m.user().email(), "users"));
    params.put("id", m.user().id());
    params.put("email", m.user().email());
    params.put("name", m.user().name());
    params.put("programmatic", m.user().programmatic());
    params.put("roles", m.roles());
    params.put("roleOptions", roles.list(s.actor()).stream().map(Role::name).sorted().toList());
    params.put("locked", lock.locked());
    params.put("errors", errors);
    params.put("password", password);
    web.render(res, status, "user-edit.jte", params);
  }

  private void updateUser(ServerRequest req, ServerResponse res) {
    Web.Signed s = web.requireAdmin(req);
    Form f = web.form(req, s);
    String id = id(req);
    try {
      users.update(s.actor(), id, f.get("name", ""), new LinkedHashSet<>(f.all("roles")));
      Web.redirect(res, USERS);
    } catch (KeywardException e) {
      showEdit(res, e.code().status(), s, users.get(s.actor(), id), KeyPages.errors(e), "");
    }
  }

  private void resetPassword(ServerRequest req, ServerResponse res) {
    Web.Signed s = web.requireAdmin(req);
    web.form(req, s);
    Secret password = users.resetPassword(s.actor(), id(req));
    showEdit(res, 200, s, users.get(s.actor(), id(req)), Models.Errors.NONE, password.reveal());
  }

  private void unlock(ServerRequest req, ServerResponse res) {
    Web.Signed s = web.requireAdmin(req);
    web.form(req, s);
    lockout.unlock(s.actor(), id(req));
    Web.redirect(res, USERS + "/" + id(req));
  }

  private void removeForm(ServerRequest req, ServerResponse res) {
    Web.Signed s = web.requireAdmin(req);
    Member m = users.get(s.actor(), id(req));
    web.render(res, "user-remove.jte", Map.of("chrome", Web.chrome(s, "Remove " + m.user().email(), "users"),
        "id", m.user().id(), "email", m.user().email(), "name", m.user().name()));
  }

  private void remove(ServerRequest req, ServerResponse res) {
    Web.Signed s = web.requireAdmin(req);
    web.form(req, s);
    users.remove(s.actor(), id(req));
    Web.redirect(res, USERS);
  }


  private void roles(ServerRequest req, ServerResponse res) {
    Web.Signed s = web.requireAdmin(req);
    showRoles(res, 200, s, "", "", "", Models.Errors.NONE);
  }

  private void showRoles(ServerResponse res, int status, Web.Signed s, String name, String perms, String description,
      Models.Errors errors) {
    List<Role> all = roles.list(s.actor()).stream().sorted(Comparator.comparing(Role::name)).toList();
    List<Models.RoleRow> rows = all.stream().map(r -> new Models.RoleRow(r.name(),
        r.permissions().stream().map(Permission::toString).collect(Collectors.joining(", ")), r.description(), r.builtIn())).toList();
    List<PermissionSet> grants = all.stream().map(r -> permissions.of(s.principal().tenantId(), Set.of(r.name()))).toList();
    List<Models.MatrixRow> matrix = new ArrayList<>();
    for (Route route : routes.get().routes()) {
      List<Boolean> cells = grants.stream().map(g -> route.permission().map(g::allows).orElse(true)).toList();
      matrix.add(new Models.MatrixRow(route.method().toString(), route.path().toString(),
          route.permission().map(Permission::toString).orElse("public"), cells));
    }
    Map<String, Object> params = new HashMap<>();
    params.put("chrome", Web.chrome(s, "Roles", "roles"));
    params.put("roles", rows);
    params.put("roleNames", all.stream().map(Role::name).toList());
    params.put("matrix", matrix);
    params.put("name", name);
    params.put("permissions", perms);
    params.put("description", description);
    params.put("errors", errors);
    web.render(res, status, "roles.jte", params);
  }

  /** Creates a role, or replaces the permissions of an existing one (same form, "mode" says which). */
  private void saveRole(ServerRequest req, ServerResponse res) {
    Web.Signed s = web.requireAdmin(req);
    Form f = web.form(req, s);
    String name = f.get("name", "");
    String perms = f.get("permissions", "");
    String description = f.get("description", "");
    List<String> list = List.of(perms.split("[\\s,]+")).stream().filter(p -> !p.isEmpty()).toList();
    try {
      if ("update".equals(f.get("mode"))) {
        roles.update(s.actor(), name, list, description);
      } else {
        roles.create(s.actor(), name, list, description);
      }
      Web.redirect(res, ROLES);
    } catch (KeywardException e) {
      showRoles(res, e.code().status(), s, name, perms, description, KeyPages.errors(e));
    }
  }

  /** Everyone's keys, filtered by owner, environment and state. */
  private void allKeys(ServerRequest req, ServerResponse res) {
    Web.Signed s = web.requireAdmin(req);
    String owner = req.query().first("owner").orElse("").strip();
    String environment = req.query().first("environment").orElse("");
    String state = req.query().first("state").orElse("");
    Map<String, String> emails = users.list(s.actor()).stream()
        .collect(Collectors.toMap(m -> m.user().id(), m -> m.user().email(), (a, b) -> a));
    List<Models.KeyRow> rows = keys.list(s.actor(), null).stream()
        .filter(k -> owner.isEmpty() || emails.getOrDefault(k.userId(), "").contains(owner.toLowerCase(java.util.Locale.ROOT)))
        .filter(k -> environment.isEmpty() || k.environment().wireName().equals(environment))
        .filter(k -> state.isEmpty() || (state.equals("revoked") == k.isRevoked()))
        .map(k -> Models.KeyRow.of(k, emails.getOrDefault(k.userId(), k.userId()))).toList();
    web.render(res, "all-keys.jte", Map.of("chrome", Web.chrome(s, "All keys", "all-keys"), "keys", rows, "owner", owner,
        "environment", environment, "state", state));
  }


  private void audit(ServerRequest req, ServerResponse res) {
    Web.Signed s = web.requireAdmin(req);
    Map<String, Object> params = new HashMap<>();
    String event = param(req, "event", params);
    String actor = param(req, "actor", params);
    String subject = param(req, "subject", params);
    String since = param(req, "since", params);
    String until = param(req, "until", params);
    Map<String, String> emails = users.list(s.actor()).stream()
        .collect(Collectors.toMap(m -> m.user().id(), m -> m.user().email(), (a, b) -> a));
    Map<String, String> ids = emails.entrySet().stream().collect(Collectors.toMap(Map.Entry::getValue, Map.Entry::getKey, (a, b) -> a));
    Function<String, @Nullable String> who = v -> v.isEmpty() ? null : ids.getOrDefault(v.toLowerCase(java.util.Locale.ROOT), v);
    Models.Errors errors = Models.Errors.NONE;
    List<Models.AuditRow> rows = List.of();
    try {
      AuditLog.Query query = new AuditLog.Query(event.isEmpty() ? null : event, who.apply(actor), who.apply(subject),
          day(since, "since", 0), day(until, "until", 1), 200);
      rows = audit.list(s.actor(), query).stream().map(e -> new Models.AuditRow(Models.when(e.at()), e.event(),
          e.actorId() == null ? "system" : emails.getOrDefault(e.actorId(), e.actorId()),
          e.subjectType() + " " + (e.subjectId() == null ? "" : emails.getOrDefault(e.subjectId(), e.subjectId())),
          e.ip() == null ? "" : e.ip(), e.detail() == null ? "" : e.detail())).toList();
    } catch (KeywardException e) {
      errors = KeyPages.errors(e);
    }
    params.put("chrome", Web.chrome(s, "Audit log", "audit"));
    params.put("events", rows);
    params.put("errors", errors);
    web.render(res, errors == Models.Errors.NONE ? 200 : 400, "audit.jte", params);
  }

  private static String param(ServerRequest req, String name, Map<String, Object> params) {
    String v = req.query().first(name).orElse("").strip();
    params.put(name, v);
    return v;
  }

  /** A day (from its start, or to the start of the next one) in UTC. */
  private static @Nullable Instant day(String text, String field, int plusDays) {
    if (text.isEmpty()) {
      return null;
    }
    try {
      return LocalDate.parse(text).plusDays(plusDays).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      throw KeywardException.invalidField(field, "Give a date as YYYY-MM-DD");
    }
  }

  private static String id(ServerRequest req) {
    return req.path().pathParameters().get("id");
  }
}
