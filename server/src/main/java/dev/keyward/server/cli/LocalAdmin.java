package dev.keyward.server.cli;

import dev.keyward.core.audit.AuditLog;
import dev.keyward.core.audit.AuditReader;
import dev.keyward.core.auth.Actor;
import dev.keyward.core.auth.Principal;
import dev.keyward.core.error.Echo;
import dev.keyward.core.principal.Member;
import dev.keyward.core.principal.Roles;
import dev.keyward.core.tenant.Tenant;
import dev.keyward.core.token.SigningKeyStore;
import dev.keyward.server.KeywardConfig;
import dev.keyward.server.Services;
import dev.keyward.server.api.KeysEndpoint;
import dev.keyward.server.api.RolesEndpoint;
import dev.keyward.server.api.UsersEndpoint;
import dev.keyward.server.api.Views;
import dev.keyward.store.Database;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The management commands on the machine: core's services over the store, acting as an owner (or
 * the admin named by {@code --as}) of the tenant, so the API's rules and audit apply unchanged.
 * Running servers see every change within a second.
 */
final class LocalAdmin implements Admin {
  private final Database db;
  private final Services services;
  private final Actor operator;

  private LocalAdmin(Database db, Services services, Actor operator) {
    this.db = db;
    this.services = services;
    this.operator = operator;
  }

  /** Opens the store of {@code config} and acts in the tenant {@code slug}. */
  static LocalAdmin open(KeywardConfig config, String slug, @Nullable String as) {
    Database db = StoreOptions.open(config);
    try {
      // Looked up before the services are built: those create a signing key in a store that has
      // none, and a store no server has started on must stay empty for an import.
      Tenant tenant = db.tenants().findBySlug(slug).orElseThrow(() -> new CliFailure(CliFailure.REFUSED,
          "no tenant has the slug " + Echo.quoted(slug) + (slug.equals(Tenant.DEFAULT_SLUG)
              ? " (start the server once on this store, with the same --data-dir or --db-url, to create it)" : "")));
      Actor operator = operator(db, tenant, as);
      // The algorithm of the store's current signing key, so that building the services never
      // makes a key of another algorithm the signing key of running servers.
      KeywardConfig.TokenSettings tokens = db.signingKeys().list().stream().filter(k -> k.retiredAt() == null)
          .max(Comparator.comparing(SigningKeyStore.StoredKey::createdAt))
          .map(k -> config.tokens().withAlgorithm(k.algorithm())).orElse(config.tokens());
      return new LocalAdmin(db, new Services(config.withTokens(tokens), db, Clock.systemUTC()), operator);
    } catch (RuntimeException e) {
      db.close();
      throw e;
    }
  }

  private static Actor operator(Database db, Tenant tenant, @Nullable String as) {
    List<Member> members = db.users().listMembers(tenant.id());
    Member chosen;
    if (as == null) {
      chosen = members.stream().filter(m -> m.roles().contains(Roles.OWNER)).min(Comparator.comparing(Member::joinedAt))
          .orElseThrow(() -> new CliFailure(CliFailure.REFUSED, "tenant " + Echo.quoted(tenant.slug()) + " has no owner to act as"));
    } else {
      String wanted = as.strip().toLowerCase(Locale.ROOT);
      chosen = members.stream().filter(m -> m.user().id().equals(as) || m.user().email().toLowerCase(Locale.ROOT).equals(wanted))
          .findFirst().orElseThrow(() -> new CliFailure(CliFailure.REFUSED,
              "no member of tenant " + Echo.quoted(tenant.slug()) + " has the email or id " + Echo.quoted(as)));
      if (!Roles.isAdmin(chosen.roles())) {
        throw new CliFailure(CliFailure.REFUSED, Echo.quoted(as) + " is not an owner or admin of tenant " + Echo.quoted(tenant.slug()));
      }
    }
    return new Actor(new Principal(tenant.id(), tenant.slug(), chosen.user().id(), chosen.user().email(), chosen.roles(),
        Principal.CredentialType.PASSWORD, null, null, false), null);
  }

  @Override
  public Views.CreatedUserView createUser(UsersEndpoint.CreateUserRequest request) {
    return Views.created(services.users().create(operator, request.toCreateUser()));
  }

  @Override
  public List<Views.UserView> users() {
    return services.users().list(operator).stream().map(this::view).toList();
  }

  @Override
  public Views.UserView updateUser(String userId, UsersEndpoint.UpdateUserRequest request) {
    var roles = request.roleSet();
    return view(services.users().update(operator, userId, request.name(), roles));
  }

  @Override
  public String resetPassword(String userId) {
    return services.users().resetPassword(operator, userId).reveal();
  }

  @Override
  public Views.UserView unlock(String userId) {
    return view(services.lockout().unlock(operator, userId));
  }

  @Override
  public void removeUser(String userId) {
    services.users().remove(operator, userId);
  }

  @Override
  public Views.CreatedKeyView createKey(KeysEndpoint.CreateKeyRequest request) {
    return Views.created(services.keys().create(operator, request.toCreateKey()));
  }

  @Override
  public List<Views.KeyView> keys(@Nullable String userId) {
    return services.keys().list(operator, userId).stream().map(Views::key).toList();
  }

  @Override
  public Views.KeyView revokeKey(String keyId) {
    return Views.key(services.keys().revoke(operator, keyId));
  }

  @Override
  public Views.CreatedKeyView rollKey(String keyId, KeysEndpoint.RollRequest request) {
    return Views.created(services.keys().roll(operator, keyId, request.grace()));
  }

  @Override
  public List<RolesEndpoint.RoleView> roles() {
    return services.roles().list(operator).stream().map(RolesEndpoint::view).toList();
  }

  @Override
  public RolesEndpoint.RoleView createRole(RolesEndpoint.RoleRequest request) {
    return RolesEndpoint.view(services.roles().create(operator, String.valueOf(request.name()),
        request.permissions() == null ? List.of() : request.permissions(), request.description()), services.routes().get());
  }

  @Override
  public RolesEndpoint.RoleView updateRole(String name, RolesEndpoint.RoleRequest request) {
    return RolesEndpoint.view(services.roles().update(operator, name, request.permissions(), request.description()), services.routes().get());
  }

  @Override
  public void deleteRole(String name) {
    services.roles().delete(operator, name);
  }

  @Override
  public List<Views.AuditView> audit(AuditQuery q) {
    String actor = q.actor() == null || !q.actor().contains("@") ? q.actor() : userId(q.actor());
    AuditLog.Query query = new AuditLog.Query(q.event(), actor, q.subject(), instant(q.since(), "--since"),
        instant(q.until(), "--until"), q.limit());
    return new AuditReader(db.audit()).list(operator, query).stream().map(Views::audit).toList();
  }

  /** The signing-key rotation as the API does it (owners of {@code default}), audited. */
  String rotateSigningKey() {
    return services.signingKeyRotation().rotate(operator) + " (" + services.signingKeys().activeAlgorithm().joseName() + ")";
  }

  private Views.UserView view(Member m) {
    return Views.user(m, services.lockout().status(m.user().id()));
  }

  static @Nullable Instant instant(@Nullable String text, String option) {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new CliFailure(CliFailure.BAD_ARGUMENTS, option + " must be an ISO-8601 instant such as 2030-01-31T00:00:00Z");
    }
  }

  @Override
  public void close() {
    try {
      services.close();
    } finally {
      db.close();
    }
  }
}
