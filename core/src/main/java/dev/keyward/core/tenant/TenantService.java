package dev.keyward.core.tenant;

import dev.keyward.core.Transactor;
import dev.keyward.core.audit.AuditEvent;
import dev.keyward.core.audit.Auditor;
import dev.keyward.core.auth.Actor;
import dev.keyward.core.auth.CredentialChanges;
import dev.keyward.core.authz.RoleSeeds;
import dev.keyward.core.error.KeywardException;
import dev.keyward.core.key.Environment;
import dev.keyward.core.key.KeyService;
import dev.keyward.core.principal.Emails;
import dev.keyward.core.principal.Member;
import dev.keyward.core.principal.RoleStore;
import dev.keyward.core.principal.Roles;
import dev.keyward.core.principal.Text;
import dev.keyward.core.principal.User;
import dev.keyward.core.principal.UserService;
import dev.keyward.core.principal.UserStore;
import dev.keyward.core.secret.Secret;
import dev.keyward.core.secret.SecretGenerator;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Creates tenants: the {@code default} one with its owner on first start, and others on request
 * of the deployment owner (the owner of {@code default}).
 */
public final class TenantService {
  private static final Pattern SLUG = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

  private final TenantStore tenants;
  private final UserStore users;
  private final RoleStore roles;
  private final UserService userService;
  private final KeyService keyService;
  private final Auditor auditor;
  private final Transactor tx;
  private final SecretGenerator generator;
  private final Clock clock;
  private final CredentialChanges changes;
  private final RoleSeeds seeds;

  /**
   * With {@code changes} told after a tenant is made, so that an existing account made owner of it
   * can act there at once (its cached login still lists only its former tenants).
   */
  public TenantService(TenantStore tenants, UserStore users, RoleStore roles, UserService userService,
      KeyService keyService, Auditor auditor, Transactor tx, SecretGenerator generator, Clock clock,
      CredentialChanges changes, RoleSeeds seeds) {
    this.seeds = seeds;
    this.tenants = tenants;
    this.users = users;
    this.roles = roles;
    this.userService = userService;
    this.keyService = keyService;
    this.auditor = auditor;
    this.tx = tx;
    this.generator = generator;
    this.clock = clock;
    this.changes = changes;
  }

  /** What first start created: printed once, never again. */
  public record Bootstrap(Tenant tenant, User owner, @Nullable Secret generatedPassword, KeyService.IssuedKey defaultKey) {}

  /** A created tenant; the owner's secrets are there only when a new account was made. */
  public record CreatedTenant(Tenant tenant, Member owner, @Nullable Secret generatedPassword, KeyService.@Nullable IssuedKey defaultKey) {}

  /**
   * Creates tenant {@code default} and its owner when the store has no tenant yet; does nothing
   * (and reveals nothing) on later starts.
   */
  public Optional<Bootstrap> bootstrap(String adminEmail, @Nullable Secret adminPassword) {
    String email = Emails.canonical("KEYWARD_ADMIN_EMAIL", adminEmail);
    if (adminPassword != null) {
      UserService.checkHumanPassword(adminPassword);
    }
    return tx.inTransaction(() -> {
      if (tenants.findBySlug(Tenant.DEFAULT_SLUG).isPresent()) {
        return Optional.empty();
      }
      Instant now = clock.instant();
      Tenant tenant = newTenant(Tenant.DEFAULT_SLUG, "Default", now);
      UserService.NewAccount account = userService.newAccount(email, "Owner", false, adminPassword, now);
      users.addMembership(tenant.id(), account.user().id(), Set.of(Roles.OWNER), now);
      KeyService.IssuedKey key = keyService.issue(tenant.id(), account.user().id(), KeyService.DEFAULT_KEY_NAME, null, Environment.SANDBOX, false, null, now);
      auditor.record(tenant.id(), AuditEvent.TENANT_CREATED, null, "tenant", tenant.id(), "bootstrap");
      auditor.record(tenant.id(), AuditEvent.USER_CREATED, null, "user", account.user().id(), "bootstrap owner");
      return Optional.of(new Bootstrap(tenant, account.user(), account.generatedPassword(), key));
    });
  }

  public CreatedTenant create(Actor actor, String rawSlug, String rawName, String ownerEmail) {
    requireDeploymentOwner(actor);
    String slug = rawSlug.strip();
    if (!SLUG.matcher(slug).matches()) {
      throw KeywardException.invalidField("slug", "'slug' must be 1 to 63 lower-case letters, digits or '-', not starting or ending with '-'");
    }
    String name = Text.name("name", rawName, 200);
    String email = Emails.canonical("ownerEmail", ownerEmail);
    CreatedTenant created = tx.inTransaction(() -> {
      if (tenants.findBySlug(slug).isPresent()) {
        throw KeywardException.conflict("A tenant with this slug already exists");
      }
      Instant now = clock.instant();
      Tenant tenant = newTenant(slug, name, now);
      Optional<User> existing = users.findByEmail(email);
      User owner;
      Secret password = null;
      KeyService.IssuedKey key = null;
      if (existing.isPresent()) {
        owner = existing.get();
        users.addMembership(tenant.id(), owner.id(), Set.of(Roles.OWNER), now);
      } else {
        UserService.NewAccount account = userService.newAccount(email, "Owner", false, null, now);
        owner = account.user();
        password = account.generatedPassword();
        users.addMembership(tenant.id(), owner.id(), Set.of(Roles.OWNER), now);
        key = keyService.issue(tenant.id(), owner.id(), KeyService.DEFAULT_KEY_NAME, null, Environment.SANDBOX, false, null, now);
      }
      auditor.record(actor.tenantId(), AuditEvent.TENANT_CREATED, actor, "tenant", tenant.id(), "slug=" + slug);
      auditor.record(tenant.id(), AuditEvent.TENANT_CREATED, actor, "tenant", tenant.id(), "slug=" + slug);
      return new CreatedTenant(tenant, new Member(owner, tenant.id(), Set.of(Roles.OWNER), now), password, key);
    });
    changes.changed();
    return created;
  }

  /** A tenant's settings, as its owners see them. */
  public record Settings(String slug, boolean passwordGrantForPeople, boolean productionEnabled, boolean keyManagementReserved,
      boolean openRegistration) {
    static Settings of(String slug, TenantSettings s) {
      return new Settings(slug, s.passwordGrantForPeople(), s.productionEnabled(), s.keyManagementReserved(), s.openRegistration());
    }
  }

  /** A change to settings: null parts stay as they are. */
  public record SettingsChange(
      @Nullable Boolean passwordGrantForPeople, @Nullable Boolean productionEnabled, @Nullable Boolean keyManagementReserved,
      @Nullable Boolean openRegistration) {}

  /** Reads a tenant's settings: its owners, or the deployment's owners. */
  public Settings settings(Actor actor, String slug) {
    Tenant t = settingsTarget(actor, slug);
    return Settings.of(t.slug(), tenants.settings(t.id()));
  }

  public Settings updateSettings(Actor actor, String slug, SettingsChange change) {
    Tenant t = settingsTarget(actor, slug);
    TenantSettings next = tx.inTransaction(() -> {
      TenantSettings current = tenants.settings(t.id());
      TenantSettings updated = new TenantSettings(
          change.passwordGrantForPeople() == null ? current.passwordGrantForPeople() : change.passwordGrantForPeople(),
          change.productionEnabled() == null ? current.productionEnabled() : change.productionEnabled(),
          change.keyManagementReserved() == null ? current.keyManagementReserved() : change.keyManagementReserved(),
          change.openRegistration() == null ? current.openRegistration() : change.openRegistration());
      tenants.saveSettings(t.id(), updated);
      auditor.record(t.id(), AuditEvent.TENANT_UPDATED, actor, "tenant", t.id(), "passwordGrantForPeople=" + updated.passwordGrantForPeople()
          + " productionEnabled=" + updated.productionEnabled() + " keyManagementReserved=" + updated.keyManagementReserved()
          + " openRegistration=" + updated.openRegistration());
      return updated;
    });
    changes.changed();
    return Settings.of(t.slug(), next);
  }

  private Tenant settingsTarget(Actor actor, String slug) {
    Tenant t = tenants.findBySlug(slug).orElseThrow(() -> KeywardException.notFound("Tenant"));
    String defaultId = tenants.findBySlug(Tenant.DEFAULT_SLUG).map(Tenant::id).orElse("");
    boolean ownerHere = t.id().equals(actor.tenantId()) && actor.principal().roles().contains(Roles.OWNER) && actor.principal().isAdmin();
    if (!ownerHere && !actor.principal().isDeploymentOwner(defaultId)) {
      // Another tenant's settings are not found, exactly like an unknown slug.
      if (!t.id().equals(actor.tenantId())) {
        throw KeywardException.notFound("Tenant");
      }
      throw KeywardException.forbidden("Only owners change a tenant's settings");
    }
    return t;
  }

  public List<Tenant> list(Actor actor) {
    requireDeploymentOwner(actor);
    return tenants.list();
  }

  private Tenant newTenant(String slug, String name, Instant now) {
    Tenant tenant = new Tenant(generator.id("tnt"), slug, name, now);
    tenants.insert(tenant);
    for (String role : Roles.BUILT_IN) {
      roles.insert(tenant.id(), role, true);
    }
    seeds.applyTo(tenant.id());
    return tenant;
  }

  /** Refuses callers other than the owners of the default tenant, who run the deployment. */
  public void requireDeploymentOwner(Actor actor) {
    String defaultId = tenants.findBySlug(Tenant.DEFAULT_SLUG).map(Tenant::id).orElse("");
    if (!actor.principal().isDeploymentOwner(defaultId)) {
      throw KeywardException.forbidden("Only owners of the default tenant manage tenants");
    }
  }
}
