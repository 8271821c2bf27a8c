package dev.keyward.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.core.audit.AuditEvent;
import dev.keyward.core.audit.AuditLog;
import dev.keyward.core.audit.Auditor;
import dev.keyward.core.error.ErrorCode;
import dev.keyward.core.error.KeywardException;
import dev.keyward.core.authz.KeyAccess;
import dev.keyward.core.authz.Permission;
import dev.keyward.core.authz.Role;
import dev.keyward.core.authz.RouteTableStore;
import dev.keyward.core.key.ApiKey;
import dev.keyward.core.key.ApiKeyFormat;
import dev.keyward.core.key.Environment;
import dev.keyward.core.key.KeyStore;
import dev.keyward.core.principal.Member;
import dev.keyward.core.principal.User;
import dev.keyward.core.principal.UserStore;
import dev.keyward.core.secret.PasswordHasher;
import dev.keyward.core.secret.Secret;
import dev.keyward.core.secret.SecretDigester;
import dev.keyward.core.secret.SecretGenerator;
import dev.keyward.core.tenant.Tenant;
import dev.keyward.core.tenant.TenantSettings;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every engine behind {@link Database} must do, run once per engine by {@link
 * SqliteStoreTest} and {@link PostgresStoreTest}. Each test gets a fresh, migrated database.
 */
public abstract class StoreContract {
  /** Millisecond precision: the store keeps epoch milliseconds. */
  protected static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
  /** A fixed 32-byte hashing key, as a deployment would have. */
  protected static final byte[] HASHING_KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  protected final SecretGenerator ids = new SecretGenerator(new SecureRandom());
  protected final SecretDigester digester = new SecretDigester(HASHING_KEY);
  @SuppressWarnings("NullAway.Init")
  protected Database db;

  /** A fresh, migrated database of the engine under test. */
  protected abstract Database open();

  /**
   * Everything the engine has stored, as text to search: the raw database files for an embedded
   * engine, every text value of every table for a server.
   */
  protected abstract String storedContent() throws Exception;

  @BeforeEach
  void openDatabase() {
    db = open();
  }

  @AfterEach
  void disposeDatabase() {
    TestDatabases.dispose(db);
  }

  // ---------------------------------------------------------------- fixtures

  /** A key as issued: its record, the secret shown once, and the digest that is stored. */
  protected record Issued(ApiKey key, Secret secret, String digest) {}

  protected Tenant tenant(String slug) {
    return tenant(slug, T0);
  }

  protected Tenant tenant(String slug, Instant createdAt) {
    Tenant t = new Tenant(ids.id("tnt"), slug, "Tenant " + slug, createdAt);
    db.tenants().insert(t);
    return t;
  }

  protected User user(String email) {
    User u = new User(ids.id("usr"), email, "Name of " + email, false, T0);
    db.users().insert(u, "hash-of-" + email, T0);
    return u;
  }

  protected User member(Tenant tenant, String email, String... roles) {
    User u = user(email);
    db.users().addMembership(tenant.id(), u.id(), Set.of(roles), T0);
    return u;
  }

  protected ApiKey newKey(Tenant tenant, User owner, String name, Instant createdAt, Secret secret) {
    return new ApiKey(ids.id("key"), tenant.id(), owner.id(), name, ApiKeyFormat.start(secret), null,
        ApiKeyFormat.parse(secret.reveal()).orElseThrow().environment(), false, createdAt, null, null, null,
        KeyAccess.DEFAULT, null, null);
  }

  protected Issued key(Tenant tenant, User owner, String name) {
    return key(tenant, owner, name, T0);
  }

  protected Issued key(Tenant tenant, User owner, String name, Instant createdAt) {
    Secret secret = ApiKeyFormat.generate(ids, Environment.PRODUCTION);
    ApiKey k = newKey(tenant, owner, name, createdAt, secret);
    String digest = digester.digest(secret);
    db.keys().insert(k, digest);
    return new Issued(k, secret, digest);
  }

  protected AuditEvent event(Tenant tenant, Instant at, String event, @Nullable String actorId, @Nullable String subjectId) {
    AuditEvent e = new AuditEvent(ids.id("evt"), tenant.id(), at, event, actorId, "key", subjectId, "192.0.2.7", null);
    db.audit().record(e);
    return e;
  }

  /** A count straight from SQL, for what the store's API cannot show. */
  protected int count(String sql, Object... params) {
    try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static AuditLog.Query query(@Nullable String event, @Nullable String actor, @Nullable String subject,
      @Nullable Instant since, @Nullable Instant until, int limit) {
    return new AuditLog.Query(event, actor, subject, since, until, limit);
  }

  private static AuditLog.Query all() {
    return query(null, null, null, null, null, 100);
  }

  private static void assertConflict(Runnable write) {
    assertThatThrownBy(write::run)
        .isInstanceOf(KeywardException.class)
        .extracting(e -> ((KeywardException) e).code())
        .isEqualTo(ErrorCode.CONFLICT);
  }

  private static void assertUnavailable(Runnable call) {
    assertThatThrownBy(call::run)
        .isInstanceOf(KeywardException.class)
        .extracting(e -> ((KeywardException) e).code())
        .isEqualTo(ErrorCode.UNAVAILABLE);
  }

  private static List<String> idsOf(List<ApiKey> keys) {
    return keys.stream().map(ApiKey::id).toList();
  }

  private static List<String> eventIds(List<AuditEvent> events) {
    return events.stream().map(AuditEvent::id).toList();
  }

  // ---------------------------------------------------------------- tenants

  @Test
  void tenantsInsertWhenNewThenFoundBySlugAndById() {
    Tenant t = tenant("acme");

    assertThat(db.tenants().findBySlug("acme")).contains(t);
    assertThat(db.tenants().findById(t.id())).contains(t);
  }

  @Test
  void tenantsFindWhenUnknownThenEmpty() {
    tenant("acme");

    assertThat(db.tenants().findBySlug("globex")).isEmpty();
    assertThat(db.tenants().findById(ids.id("tnt"))).isEmpty();
  }

  @Test
  void tenantsListWhenSeveralThenOldestFirstThenBySlug() {
    Tenant late = tenant("zeta", T0.plusSeconds(60));
    Tenant b = tenant("beta", T0);
    Tenant a = tenant("alpha", T0);

    assertThat(db.tenants().list()).containsExactly(a, b, late);
  }

  @Test
  void tenantsInsertWhenSlugTakenThenConflict() {
    tenant("acme");

    assertConflict(() -> tenant("acme"));
    assertThat(db.tenants().list()).hasSize(1);
  }

  // ---------------------------------------------------------------- users and memberships

  @Test
  void usersInsertWhenNewThenFoundByEmail() {
    User u = new User(ids.id("usr"), "robot@acme.test", "Robot", true, T0);
    db.users().insert(u, "$hmac-sha256$x", T0);

    assertThat(db.users().findByEmail("robot@acme.test")).contains(u);
    assertThat(db.users().findByEmail("nobody@acme.test")).isEmpty();
  }

  @Test
  void usersInsertWhenEmailTakenThenConflict() {
    user("ann@acme.test");

    assertConflict(() -> user("ann@acme.test"));
  }

  @Test
  void usersAddMembershipWhenAddedThenFoundWithRoles() {
    Tenant t = tenant("acme");
    User u = user("ann@acme.test");

    db.users().addMembership(t.id(), u.id(), Set.of("owner", "admin"), T0.plusSeconds(5));

    assertThat(db.users().findMember(t.id(), u.id())).contains(new Member(u, t.id(), Set.of("owner", "admin"), T0.plusSeconds(5)));
  }

  @Test
  void usersAddMembershipWhenNoRolesThenMemberWithEmptyRoles() {
    Tenant t = tenant("acme");
    User u = member(t, "ann@acme.test");

    assertThat(db.users().findMember(t.id(), u.id())).get().extracting(Member::roles).isEqualTo(Set.of());
  }

  @Test
  void usersAddMembershipWhenAlreadyMemberThenConflict() {
    Tenant t = tenant("acme");
    User u = member(t, "ann@acme.test", "admin");

    assertConflict(() -> db.users().addMembership(t.id(), u.id(), Set.of("owner"), T0));
    assertThat(db.users().findMember(t.id(), u.id())).get().extracting(Member::roles).isEqualTo(Set.of("admin"));
  }

  @Test
  void usersFindMemberWhenMemberOfAnotherTenantOnlyThenEmpty() {
    Tenant acme = tenant("acme");
    Tenant globex = tenant("globex");
    User u = member(acme, "ann@acme.test", "admin");

    assertThat(db.users().findMember(globex.id(), u.id())).isEmpty();
  }

  @Test
  void usersListMembersWhenSeveralThenOldestFirstAndOnlyThatTenant() {
    Tenant acme = tenant("acme");
    Tenant globex = tenant("globex");
    User late = user("zed@acme.test");
    User bob = user("bob@acme.test");
    User ann = user("ann@acme.test");
    db.users().addMembership(acme.id(), late.id(), Set.of("admin"), T0.plusSeconds(10));
    db.users().addMembership(acme.id(), bob.id(), Set.of(), T0);
    db.users().addMembership(acme.id(), ann.id(), Set.of("owner"), T0);
    member(globex, "other@globex.test", "owner");

    assertThat(db.users().listMembers(acme.id()))
        .extracting(m -> m.user().email())
        .containsExactly("ann@acme.test", "bob@acme.test", "zed@acme.test");
  }

  @Test
  void usersUpdateRolesWhenChangedThenOnlyThatMembershipChanges() {
    Tenant acme = tenant("acme");
    Tenant globex = tenant("globex");
    User u = member(acme, "ann@acme.test", "owner");
    db.users().addMembership(globex.id(), u.id(), Set.of("owner"), T0);

    db.users().updateRoles(acme.id(), u.id(), Set.of("admin", "billing"));

    assertThat(db.users().findMember(acme.id(), u.id())).get().extracting(Member::roles).isEqualTo(Set.of("admin", "billing"));
    assertThat(db.users().findMember(globex.id(), u.id())).get().extracting(Member::roles).isEqualTo(Set.of("owner"));
  }

  @Test
  void usersUpdateNameAndPasswordWhenChangedThenReadBack() {
    User u = user("ann@acme.test");

    db.users().updateName(u.id(), "Ann Other");
    db.users().updatePassword(u.id(), "new-hash", T0.plusSeconds(1));

    assertThat(db.users().findByEmail("ann@acme.test")).get().extracting(User::name).isEqualTo("Ann Other");
    assertThat(db.users().findLogin("ann@acme.test")).get().extracting(UserStore.Login::passwordHash).isEqualTo("new-hash");
  }

  @Test
  void usersRemoveMembershipWhenRemovedThenReturnsRemainingCount() {
    Tenant acme = tenant("acme");
    Tenant globex = tenant("globex");
    User u = member(acme, "ann@acme.test", "owner");
    db.users().addMembership(globex.id(), u.id(), Set.of("admin"), T0);

    assertThat(db.users().removeMembership(acme.id(), u.id())).isEqualTo(1);
    assertThat(db.users().findMember(acme.id(), u.id())).isEmpty();
    assertThat(db.users().findMember(globex.id(), u.id())).isPresent();
    assertThat(db.users().removeMembership(globex.id(), u.id())).isZero();
  }

  @Test
  void usersDeleteUserWhenMemberThenMembershipsAreDeletedToo() {
    Tenant acme = tenant("acme");
    Tenant globex = tenant("globex");
    User u = member(acme, "ann@acme.test", "owner");
    db.users().addMembership(globex.id(), u.id(), Set.of("admin"), T0);
    User other = member(acme, "bob@acme.test", "admin");

    db.users().deleteUser(u.id());

    assertThat(db.users().findByEmail("ann@acme.test")).isEmpty();
    assertThat(db.users().findMember(acme.id(), u.id())).isEmpty();
    assertThat(db.users().findMember(globex.id(), u.id())).isEmpty();
    assertThat(db.users().listMembers(acme.id())).extracting(Member::user).containsExactly(other);
    assertThat(db.users().listMembers(globex.id())).isEmpty();
    // The joins above would hide orphans; the rows themselves must be gone.
    assertThat(count("SELECT COUNT(*) FROM memberships WHERE user_id = ?", u.id())).isZero();
    assertThat(count("SELECT COUNT(*) FROM memberships WHERE user_id = ?", other.id())).isEqualTo(1);
  }

  @Test
  void usersFindLoginWhenMemberOfTwoTenantsThenHashAndEveryMembershipWithSlug() {
    Tenant acme = tenant("acme");
    Tenant globex = tenant("globex");
    User u = user("ann@acme.test");
    db.users().addMembership(acme.id(), u.id(), Set.of("owner"), T0);
    db.users().addMembership(globex.id(), u.id(), Set.of("admin", "billing"), T0.plusSeconds(1));

    UserStore.Login login = db.users().findLogin("ann@acme.test").orElseThrow();

    assertThat(login.user()).isEqualTo(u);
    assertThat(login.passwordHash()).isEqualTo("hash-of-ann@acme.test");
    assertThat(login.memberships()).containsExactly(
        new UserStore.TenantRoles(acme.id(), "acme", Set.of("owner")),
        new UserStore.TenantRoles(globex.id(), "globex", Set.of("admin", "billing")));
  }

  @Test
  void usersFindLoginWhenNoMembershipThenHashAndNoMemberships() {
    user("ann@acme.test");

    assertThat(db.users().findLogin("ann@acme.test").orElseThrow().memberships()).isEmpty();
    assertThat(db.users().findLogin("nobody@acme.test")).isEmpty();
  }

  // ---------------------------------------------------------------- roles

  @Test
  void rolesInsertWhenAddedThenNamesOfThatTenantOnly() {
    Tenant acme = tenant("acme");
    Tenant globex = tenant("globex");
    db.roles().insert(acme.id(), "owner", true);
    db.roles().insert(acme.id(), "admin", true);
    db.roles().insert(acme.id(), "billing", false);
    db.roles().insert(globex.id(), "owner", true);

    assertThat(db.roles().names(acme.id())).containsExactlyInAnyOrder("owner", "admin", "billing");
    assertThat(db.roles().names(globex.id())).containsExactly("owner");
    assertThat(db.roles().names(ids.id("tnt"))).isEmpty();
  }

  @Test
  void rolesInsertWhenNameTakenInTenantThenConflict() {
    Tenant acme = tenant("acme");
    db.roles().insert(acme.id(), "owner", true);

    assertConflict(() -> db.roles().insert(acme.id(), "owner", false));
  }

  @Test
  void rolesCustomWhenInsertedThenListedWithPermissionsAfterBuiltIns() {
    Tenant acme = tenant("acme");
    db.roles().insert(acme.id(), "owner", true);
    Role cfo = new Role("CFO", List.of(Permission.parseGrant("p", "invoices:*"), Permission.parseGrant("p", "bank_accounts:read")),
        "Chief financial officer", false);
    db.roles().insert(acme.id(), cfo);
    db.roles().insert(acme.id(), new Role("viewer", List.of(), "", false));

    assertThat(db.roles().list(acme.id())).extracting(Role::name).containsExactly("owner", "CFO", "viewer");
    assertThat(db.roles().find(acme.id(), "CFO")).contains(cfo);
    assertThat(db.roles().find(acme.id(), "owner")).contains(Role.builtIn("owner"));
    assertThat(db.roles().find(acme.id(), "cfo")).isEmpty();
    assertThat(db.roles().find(tenant("globex").id(), "CFO")).isEmpty();
  }

  @Test
  void rolesUpdateAndDeleteWhenBuiltInThenRefusedAndUnchanged() {
    Tenant acme = tenant("acme");
    db.roles().insert(acme.id(), "admin", true);
    db.roles().insert(acme.id(), new Role("sales", List.of(Permission.parseGrant("p", "customers:read")), "", false));
    Role widened = new Role("sales", List.of(Permission.ALL), "everything", false);

    assertThat(db.roles().update(acme.id(), new Role("admin", List.of(), "", false))).isFalse();
    assertThat(db.roles().delete(acme.id(), "admin")).isFalse();
    assertThat(db.roles().update(acme.id(), widened)).isTrue();
    assertThat(db.roles().find(acme.id(), "sales")).contains(widened);
    assertThat(db.roles().delete(acme.id(), "sales")).isTrue();
    assertThat(db.roles().delete(acme.id(), "sales")).isFalse();
    assertThat(db.roles().names(acme.id())).containsExactly("admin");
  }

  @Test
  void tenantSettingsWhenSavedThenReadBackPerTenantWithDefaultsElsewhere() {
    Tenant acme = tenant("acme");
    Tenant globex = tenant("globex");
    assertThat(db.tenants().settings(acme.id())).isEqualTo(TenantSettings.DEFAULT);
    TenantSettings changed = new TenantSettings(true, false, true, true);
    db.tenants().saveSettings(acme.id(), changed);

    assertThat(db.tenants().settings(acme.id())).isEqualTo(changed);
    assertThat(db.tenants().passwordGrantForPeople(acme.id())).isTrue();
    assertThat(db.tenants().settings(globex.id())).isEqualTo(TenantSettings.DEFAULT);
    assertThat(db.tenants().settings(ids.id("tnt"))).isEqualTo(TenantSettings.DEFAULT);
  }

  @Test
  void routeTableWhenSavedTwiceThenOneRowWithTheLatest() {
    assertThat(db.routes().load()).isEmpty();
    RouteTableStore.Stored first = new RouteTableStore.Stored("{\"routes\":[]}", T0, "owner@example.com");
    RouteTableStore.Stored second = new RouteTableStore.Stored("{\"routes\":[{\"method\":\"GET\"}]}", T0.plusSeconds(5), "ops");
    db.routes().save(first);
    assertThat(db.routes().load()).contains(first);
    db.routes().save(second);
    assertThat(db.routes().load()).contains(second);
  }

  // ---------------------------------------------------------------- keys

  @Test
  void keysInsertWhenNewThenFoundWithEveryField() {
    Tenant t = tenant("acme");
    User u = member(t, "ann@acme.test", "owner");
    Secret secret = ApiKeyFormat.generate(ids, Environment.SANDBOX);
    ApiKey limited = new ApiKey(ids.id("key"), t.id(), u.id(), "ci", ApiKeyFormat.start(secret), Set.of("reader", "billing"),
        Environment.SANDBOX, true, T0, T0.plus(Duration.ofDays(30)), null, null,
        KeyAccess.fromWire(new KeyAccess.Wire(List.of("algo://acme/*"), "read", true,
            new KeyAccess.CallersWire(true, true, List.of("app.acme.test")), List.of("10.0.0.0/8"),
            new KeyAccess.RateLimitWire(100, 60), 500)), 500L, null);
    Issued plain = key(t, u, "default-key");

    db.keys().insert(limited, digester.digest(secret));

    assertThat(db.keys().find(t.id(), limited.id())).contains(limited);
    assertThat(db.keys().find(t.id(), plain.key().id())).contains(plain.key());
    assertThat(plain.key().roles()).isNull();
  }

  @Test
  void keysFindWhenKeyOfAnotherTenantThenEmpty() {
    Tenant acme = tenant("acme");
    Tenant globex = tenant("globex");
    User u = member(acme, "ann@acme.test", "owner");
    Issued k = key(acme, u, "default-key");

    assertThat(db.keys().find(globex.id(), k.key().id())).isEmpty();
    assertThat(db.keys().find(acme.id(), ids.id("key"))).isEmpty();
  }

  @Test
  void keysListWhenTenantThenItsKeysNewestFirst() {
    Tenant acme = tenant("acme");
    Tenant globex = tenant("globex");
    User ann = member(acme, "ann@acme.test", "owner");
    User bob = member(acme, "bob@acme.test", "admin");
    Issued oldest = key(acme, ann, "one", T0);
    Issued newest = key(acme, bob, "two", T0.plusSeconds(20));
    Issued middle = key(acme, ann, "three", T0.plusSeconds(10));
    User eve = member(globex, "eve@globex.test", "owner");
    key(globex, eve, "elsewhere", T0.plusSeconds(30));

    assertThat(idsOf(db.keys().list(acme.id(), null)))
        .containsExactly(newest.key().id(), middle.key().id(), oldest.key().id());
  }

  @Test
  void keysListWhenUserThenOnlyThatUsersKeysNewestFirst() {
    Tenant acme = tenant("acme");
    User ann = member(acme, "ann@acme.test", "owner");
    User bob = member(acme, "bob@acme.test", "admin");
    Issued first = key(acme, ann, "one", T0);
    key(acme, bob, "two", T0.plusSeconds(5));
    Issued second = key(acme, ann, "three", T0.plusSeconds(10));

    assertThat(idsOf(db.keys().list(acme.id(), ann.id()))).containsExactly(second.key().id(), first.key().id());
    assertThat(db.keys().list(acme.id(), ids.id("usr"))).isEmpty();
  }

  @Test
  void keysRevokeWhenLiveThenTrueOnceThenFalse() {
    Tenant t = tenant("acme");
    User u = member(t, "ann@acme.test", "owner");
    Issued k = key(t, u, "default-key");

    assertThat(db.keys().revoke(t.id(), k.key().id(), T0.plusSeconds(1))).isTrue();
    assertThat(db.keys().revoke(t.id(), k.key().id(), T0.plusSeconds(2))).isFalse();

    ApiKey stored = db.keys().find(t.id(), k.key().id()).orElseThrow();
    assertThat(stored.revokedAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(stored.isRevoked()).isTrue();
  }

  @Test
  void keysRevokeWhenUnknownOrOtherTenantThenFalseAndKeyStaysLive() {
    Tenant acme = tenant("acme");
    Tenant globex = tenant("globex");
    User u = member(acme, "ann@acme.test", "owner");
    Issued k = key(acme, u, "default-key");

    assertThat(db.keys().revoke(globex.id(), k.key().id(), T0)).isFalse();
    assertThat(db.keys().revoke(acme.id(), ids.id("key"), T0)).isFalse();
    assertThat(db.keys().find(acme.id(), k.key().id())).get().extracting(ApiKey::revokedAt).isNull();
  }

  @Test
  void keysRevokeAllOfWhenSeveralLiveThenCountsOnlyLiveKeysOfThatUserInThatTenant() {
    Tenant acme = tenant("acme");
    Tenant globex = tenant("globex");
    User ann = member(acme, "ann@acme.test", "owner");
    db.users().addMembership(globex.id(), ann.id(), Set.of("owner"), T0);
    User bob = member(acme, "bob@acme.test", "admin");
    key(acme, ann, "one");
    key(acme, ann, "two");
    Issued already = key(acme, ann, "three");
    db.keys().revoke(acme.id(), already.key().id(), T0.plusSeconds(1));
    Issued bobs = key(acme, bob, "one");
    Issued elsewhere = key(globex, ann, "one");

    assertThat(db.keys().revokeAllOf(acme.id(), ann.id(), T0.plusSeconds(9))).isEqualTo(2);
    assertThat(db.keys().revokeAllOf(acme.id(), ann.id(), T0.plusSeconds(10))).isZero();

    assertThat(db.keys().list(acme.id(), ann.id())).allSatisfy(k -> assertThat(k.isRevoked()).isTrue());
    assertThat(db.keys().find(acme.id(), already.key().id())).get().extracting(ApiKey::revokedAt).isEqualTo(T0.plusSeconds(1));
    assertThat(db.keys().find(acme.id(), bobs.key().id())).get().extracting(ApiKey::revokedAt).isNull();
    assertThat(db.keys().find(globex.id(), elsewhere.key().id())).get().extracting(ApiKey::revokedAt).isNull();
  }

  @Test
  void keysInsertWhenLiveKeyHasSameNameThenConflict() {
    Tenant t = tenant("acme");
    User u = member(t, "ann@acme.test", "owner");
    key(t, u, "default-key");

    assertConflict(() -> key(t, u, "default-key"));
    assertThat(db.keys().list(t.id(), u.id())).hasSize(1);
  }

  @Test
  void keysInsertWhenSameNameForAnotherUserOrTenantThenAccepted() {
    Tenant acme = tenant("acme");
    Tenant globex = tenant("globex");
    User ann = member(acme, "ann@acme.test", "owner");
    User bob = member(acme, "bob@acme.test", "owner");
    db.users().addMembership(globex.id(), ann.id(), Set.of("owner"), T0);
    key(acme, ann, "default-key");

    key(acme, bob, "default-key");
    key(globex, ann, "default-key");

    assertThat(db.keys().list(acme.id(), null)).hasSize(2);
    assertThat(db.keys().list(globex.id(), null)).hasSize(1);
  }

  @Test
  void keysInsertWhenNameOfRevokedKeyThenAccepted() {
    Tenant t = tenant("acme");
    User u = member(t, "ann@acme.test", "owner");
    Issued old = key(t, u, "default-key");
    db.keys().revoke(t.id(), old.key().id(), T0.plusSeconds(1));

    Issued again = key(t, u, "default-key", T0.plusSeconds(2));
    db.keys().revoke(t.id(), again.key().id(), T0.plusSeconds(3));
    Issued third = key(t, u, "default-key", T0.plusSeconds(4));

    assertThat(idsOf(db.keys().list(t.id(), u.id()))).containsExactly(third.key().id(), again.key().id(), old.key().id());
    assertConflict(() -> key(t, u, "default-key"));
  }

  @Test
  void keysInsertWhenDigestTakenThenConflict() {
    Tenant t = tenant("acme");
    User u = member(t, "ann@acme.test", "owner");
    Issued k = key(t, u, "one");
    ApiKey copy = newKey(t, u, "two", T0, k.secret());

    assertConflict(() -> db.keys().insert(copy, k.digest()));
    assertThat(db.keys().find(t.id(), copy.id())).isEmpty();
  }

  @Test
  void keysFindGrantWhenOwnerIsMemberThenJoinsTenantSlugEmailAndOwnerRoles() {
    Tenant acme = tenant("acme");
    Tenant globex = tenant("globex");
    User u = member(acme, "ann@acme.test", "owner", "billing");
    db.users().addMembership(globex.id(), u.id(), Set.of("reader"), T0);
    Issued k = key(acme, u, "default-key");

    KeyStore.KeyGrant grant = db.keys().findGrant(k.digest()).orElseThrow();

    assertThat(grant).isEqualTo(new KeyStore.KeyGrant(k.key(), "acme", "ann@acme.test", Set.of("owner", "billing"), null));
  }

  @Test
  void keysFindGrantWhenOwnerRolesChangeThenGrantHasCurrentRoles() {
    Tenant t = tenant("acme");
    User u = member(t, "ann@acme.test", "owner");
    Issued k = key(t, u, "default-key");

    db.users().updateRoles(t.id(), u.id(), Set.of("reader"));

    assertThat(db.keys().findGrant(k.digest())).get().extracting(KeyStore.KeyGrant::ownerRoles).isEqualTo(Set.of("reader"));
  }

  @Test
  void keysFindGrantWhenMembershipRemovedThenEmpty() {
    Tenant t = tenant("acme");
    User u = member(t, "ann@acme.test", "owner");
    Issued k = key(t, u, "default-key");
    assertThat(db.keys().findGrant(k.digest())).isPresent();

    db.users().removeMembership(t.id(), u.id());

    assertThat(db.keys().findGrant(k.digest())).isEmpty();
  }

  @Test
  void keysFindGrantWhenRevokedThenGrantCarriesRevocation() {
    Tenant t = tenant("acme");
    User u = member(t, "ann@acme.test", "owner");
    Issued k = key(t, u, "default-key");
    db.keys().revoke(t.id(), k.key().id(), T0.plusSeconds(1));

    assertThat(db.keys().findGrant(k.digest())).get().extracting(g -> g.key().isRevoked()).isEqualTo(true);
  }

  @Test
  void keysFindGrantWhenUnknownDigestThenEmpty() {
    Tenant t = tenant("acme");
    User u = member(t, "ann@acme.test", "owner");
    key(t, u, "default-key");

    assertThat(db.keys().findGrant(digester.digest(ApiKeyFormat.generate(ids, Environment.PRODUCTION)))).isEmpty();
  }

  @Test
  void keysRecordLastUsedWhenFirstUseThenIdReturnedOnlyTheFirstTime() {
    Tenant t = tenant("acme");
    User u = member(t, "ann@acme.test", "owner");
    Issued a = key(t, u, "a");
    Issued b = key(t, u, "b");

    Set<String> first = db.keys().recordLastUsed(Map.of(a.key().id(), T0.plusSeconds(1), b.key().id(), T0.plusSeconds(2)));
    Set<String> second = db.keys().recordLastUsed(Map.of(a.key().id(), T0.plusSeconds(3), b.key().id(), T0.plusSeconds(4)));

    assertThat(first).containsExactlyInAnyOrder(a.key().id(), b.key().id());
    assertThat(second).isEmpty();
    assertThat(db.keys().find(t.id(), a.key().id())).get().extracting(ApiKey::lastUsedAt).isEqualTo(T0.plusSeconds(3));
    assertThat(db.keys().find(t.id(), b.key().id())).get().extracting(ApiKey::lastUsedAt).isEqualTo(T0.plusSeconds(4));
  }

  @Test
  void keysRecordLastUsedWhenOlderTimeThenLastUsedNeverMovesBackwards() {
    Tenant t = tenant("acme");
    User u = member(t, "ann@acme.test", "owner");
    Issued k = key(t, u, "default-key");
    db.keys().recordLastUsed(Map.of(k.key().id(), T0.plusSeconds(60)));

    Set<String> firstUse = db.keys().recordLastUsed(Map.of(k.key().id(), T0.plusSeconds(30)));

    assertThat(firstUse).isEmpty();
    assertThat(db.keys().find(t.id(), k.key().id())).get().extracting(ApiKey::lastUsedAt).isEqualTo(T0.plusSeconds(60));
  }

  @Test
  void keysRecordLastUsedWhenTwoNodesRecordTheSameFirstUseThenExactlyOneSeesIt() throws Exception {
    Tenant t = tenant("acme");
    User u = member(t, "ann@acme.test", "owner");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (Database other = TestDatabases.another(db)) {
      for (int round = 0; round < 5; round++) {
        String id = key(t, u, "key-" + round).key().id();
        CountDownLatch start = new CountDownLatch(1);
        Callable<Set<String>> here = () -> {
          start.await();
          return db.keys().recordLastUsed(Map.of(id, T0.plusSeconds(1)));
        };
        Callable<Set<String>> there = () -> {
          start.await();
          return other.keys().recordLastUsed(Map.of(id, T0.plusSeconds(2)));
        };
        Future<Set<String>> a = pool.submit(here);
        Future<Set<String>> b = pool.submit(there);
        start.countDown();

        List<String> firstUses = new ArrayList<>(a.get());
        firstUses.addAll(b.get());
        assertThat(firstUses).as("round %d", round).containsExactly(id);
        assertThat(db.keys().find(t.id(), id)).get().extracting(ApiKey::lastUsedAt).isEqualTo(T0.plusSeconds(2));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void keysRevokeWhenRevokedOnOneNodeThenEveryNodeSeesItAtOnce() {
    Tenant t = tenant("acme");
    User u = member(t, "ann@acme.test", "owner");
    Issued k = key(t, u, "default-key");
    try (Database other = TestDatabases.another(db)) {
      assertThat(other.keys().findGrant(k.digest())).get().extracting(g -> g.key().isRevoked()).isEqualTo(false);

      assertThat(db.keys().revoke(t.id(), k.key().id(), T0.plusSeconds(1))).isTrue();

      assertThat(other.keys().findGrant(k.digest())).get().extracting(g -> g.key().revokedAt()).isEqualTo(T0.plusSeconds(1));
      assertThat(other.keys().revoke(t.id(), k.key().id(), T0.plusSeconds(2))).isFalse();
    }
  }

  @Test
  void keysRecordLastUsedWhenUnknownIdOrEmptyThenNothingReturned() {
    assertThat(db.keys().recordLastUsed(Map.of(ids.id("key"), T0))).isEmpty();
    assertThat(db.keys().recordLastUsed(Map.of())).isEmpty();
  }

  // ---------------------------------------------------------------- audit

  @Test
  void auditRecordWhenEveryFieldSetOrNullThenReadBackAsWritten() {
    Tenant t = tenant("acme");
    AuditEvent full = new AuditEvent(ids.id("evt"), t.id(), T0, AuditEvent.KEY_CREATED, ids.id("usr"), "key", ids.id("key"),
        "2001:db8::1", "name=ci");
    AuditEvent bare = new AuditEvent(ids.id("evt"), t.id(), T0.plusSeconds(1), AuditEvent.AUTH_FAILED, null, "user", null, null, null);

    db.audit().record(full);
    db.audit().record(bare);

    assertThat(db.audit().list(t.id(), all())).containsExactly(bare, full);
  }

  @Test
  void auditListWhenNoFilterThenEveryEventOfThatTenantNewestFirst() {
    Tenant acme = tenant("acme");
    Tenant globex = tenant("globex");
    AuditEvent old = event(acme, T0, AuditEvent.KEY_CREATED, null, null);
    AuditEvent recent = event(acme, T0.plusSeconds(20), AuditEvent.KEY_REVOKED, null, null);
    AuditEvent middle = event(acme, T0.plusSeconds(10), AuditEvent.KEY_FIRST_USED, null, null);
    event(globex, T0.plusSeconds(15), AuditEvent.KEY_CREATED, null, null);

    assertThat(eventIds(db.audit().list(acme.id(), all()))).containsExactly(recent.id(), middle.id(), old.id());
  }

  @Test
  void auditListWhenEventFilterThenOnlyThatEvent() {
    Tenant t = tenant("acme");
    AuditEvent a = event(t, T0, AuditEvent.KEY_CREATED, null, null);
    event(t, T0.plusSeconds(1), AuditEvent.KEY_REVOKED, null, null);
    AuditEvent b = event(t, T0.plusSeconds(2), AuditEvent.KEY_CREATED, null, null);

    assertThat(eventIds(db.audit().list(t.id(), query(AuditEvent.KEY_CREATED, null, null, null, null, 100))))
        .containsExactly(b.id(), a.id());
  }

  @Test
  void auditListWhenActorFilterThenOnlyThatActor() {
    Tenant t = tenant("acme");
    String ann = ids.id("usr");
    AuditEvent mine = event(t, T0, AuditEvent.KEY_CREATED, ann, null);
    event(t, T0.plusSeconds(1), AuditEvent.KEY_CREATED, ids.id("usr"), null);
    event(t, T0.plusSeconds(2), AuditEvent.KEY_CREATED, null, null);

    assertThat(eventIds(db.audit().list(t.id(), query(null, ann, null, null, null, 100)))).containsExactly(mine.id());
  }

  @Test
  void auditListWhenSubjectFilterThenOnlyThatSubject() {
    Tenant t = tenant("acme");
    String key = ids.id("key");
    AuditEvent created = event(t, T0, AuditEvent.KEY_CREATED, null, key);
    event(t, T0.plusSeconds(1), AuditEvent.KEY_CREATED, null, ids.id("key"));
    AuditEvent revoked = event(t, T0.plusSeconds(2), AuditEvent.KEY_REVOKED, null, key);

    assertThat(eventIds(db.audit().list(t.id(), query(null, null, key, null, null, 100)))).containsExactly(revoked.id(), created.id());
  }

  @Test
  void auditListWhenSinceAndUntilThenSinceIncludedAndUntilExcluded() {
    Tenant t = tenant("acme");
    event(t, T0, AuditEvent.KEY_CREATED, null, null);
    AuditEvent atSince = event(t, T0.plusSeconds(10), AuditEvent.KEY_CREATED, null, null);
    AuditEvent inside = event(t, T0.plusSeconds(15), AuditEvent.KEY_CREATED, null, null);
    AuditEvent atUntil = event(t, T0.plusSeconds(20), AuditEvent.KEY_CREATED, null, null);

    assertThat(eventIds(db.audit().list(t.id(), query(null, null, null, T0.plusSeconds(10), T0.plusSeconds(20), 100))))
        .containsExactly(inside.id(), atSince.id());
    assertThat(eventIds(db.audit().list(t.id(), query(null, null, null, T0.plusSeconds(15), null, 100))))
        .containsExactly(atUntil.id(), inside.id());
    assertThat(db.audit().list(t.id(), query(null, null, null, null, T0.plusSeconds(10), 100))).hasSize(1);
  }

  @Test
  void auditListWhenLimitThenOnlyTheNewest() {
    Tenant t = tenant("acme");
    List<AuditEvent> events = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      events.add(event(t, T0.plusSeconds(i), AuditEvent.AUTH_FAILED, null, null));
    }

    assertThat(eventIds(db.audit().list(t.id(), query(null, null, null, null, null, 2))))
        .containsExactly(events.get(4).id(), events.get(3).id());
  }

  @Test
  void auditListWhenFiltersCombinedThenEveryFilterApplies() {
    Tenant t = tenant("acme");
    String ann = ids.id("usr");
    String key = ids.id("key");
    event(t, T0, AuditEvent.KEY_REVOKED, ann, key);
    AuditEvent match = event(t, T0.plusSeconds(5), AuditEvent.KEY_REVOKED, ann, key);
    event(t, T0.plusSeconds(6), AuditEvent.KEY_CREATED, ann, key);
    event(t, T0.plusSeconds(7), AuditEvent.KEY_REVOKED, null, key);

    assertThat(eventIds(db.audit().list(t.id(), query(AuditEvent.KEY_REVOKED, ann, key, T0.plusSeconds(1), T0.plusSeconds(60), 10))))
        .containsExactly(match.id());
  }

  // ---------------------------------------------------------------- transactions

  @Test
  void inTransactionWhenRuntimeExceptionThenEveryWriteIsRolledBack() {
    Tenant keep = tenant("keep");
    User keeper = member(keep, "keeper@acme.test", "owner");
    Issued kept = key(keep, keeper, "kept");
    IllegalStateException boom = new IllegalStateException("boom");
    AtomicReference<Tenant> rolledBack = new AtomicReference<>();

    assertThatThrownBy(() -> db.jdbc().run(() -> {
      Tenant t = tenant("acme");
      rolledBack.set(t);
      User u = member(t, "ann@acme.test", "owner");
      db.roles().insert(t.id(), "owner", true);
      key(t, u, "default-key");
      db.keys().revoke(keep.id(), kept.key().id(), T0.plusSeconds(1));
      db.users().updateRoles(keep.id(), keeper.id(), Set.of("reader"));
      event(t, T0, AuditEvent.TENANT_CREATED, null, t.id());
      throw boom;
    })).isSameAs(boom);

    assertThat(db.tenants().list()).containsExactly(keep);
    assertThat(db.users().findByEmail("ann@acme.test")).isEmpty();
    assertThat(db.keys().find(keep.id(), kept.key().id())).get().extracting(ApiKey::revokedAt).isNull();
    assertThat(db.users().findMember(keep.id(), keeper.id())).get().extracting(Member::roles).isEqualTo(Set.of("owner"));
    assertThat(db.keys().findGrant(kept.digest())).isPresent();
    String gone = rolledBack.get().id();
    assertThat(db.tenants().findById(gone)).isEmpty();
    assertThat(db.roles().names(gone)).isEmpty();
    assertThat(db.users().listMembers(gone)).isEmpty();
    assertThat(db.keys().list(gone, null)).isEmpty();
    assertThat(db.audit().list(gone, all())).isEmpty();
  }

  @Test
  void inTransactionWhenConflictInsideThenEarlierWritesAreRolledBack() {
    tenant("acme");

    assertConflict(() -> db.jdbc().run(() -> {
      tenant("globex");
      user("ann@acme.test");
      tenant("acme");
    }));

    assertThat(db.tenants().findBySlug("globex")).isEmpty();
    assertThat(db.users().findByEmail("ann@acme.test")).isEmpty();
    // The connection went back to the pool clean: the next writes work.
    tenant("initech");
    assertThat(db.tenants().list()).extracting(Tenant::slug).containsExactlyInAnyOrder("acme", "initech");
  }

  @Test
  void inTransactionWhenWorkReturnsThenEveryWriteIsCommittedAndItsResultReturned() {
    String id = db.jdbc().inTransaction(() -> {
      Tenant t = tenant("acme");
      member(t, "ann@acme.test", "owner");
      return t.id();
    });

    assertThat(db.tenants().findById(id)).isPresent();
    assertThat(db.users().listMembers(id)).hasSize(1);
  }

  @Test
  void inTransactionWhenNestedThenInnerWorkJoinsTheOuterTransaction() {
    assertThatThrownBy(() -> db.jdbc().run(() -> {
      db.jdbc().run(() -> tenant("inner"));
      // The outer transaction sees its inner write before committing.
      assertThat(db.tenants().findBySlug("inner")).isPresent();
      throw new IllegalStateException("outer fails");
    })).hasMessage("outer fails");

    assertThat(db.tenants().findBySlug("inner")).isEmpty();
  }

  @Test
  void inTransactionWhenConcurrentWritersThenEveryTransactionCommits() throws Exception {
    Tenant t = tenant("acme");
    User u = member(t, "ann@acme.test", "owner");
    int threads = 4;
    int perThread = 8;
    AtomicInteger committed = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Void>> done = new ArrayList<>();
      for (int n = 0; n < threads; n++) {
        int thread = n;
        Callable<Void> work = () -> {
          for (int i = 0; i < perThread; i++) {
            String name = "k-" + thread + "-" + i;
            db.jdbc().run(() -> {
              // Read then write in one transaction: the pattern that deadlocks without IMMEDIATE.
              db.keys().list(t.id(), u.id());
              key(t, u, name);
            });
            committed.incrementAndGet();
          }
          return null;
        };
        done.add(pool.submit(work));
      }
      for (Future<Void> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(committed).hasValue(threads * perThread);
    assertThat(db.keys().list(t.id(), u.id())).hasSize(threads * perThread);
  }

  // ---------------------------------------------------------------- availability

  @Test
  void isReachableWhenOpenThenTrue() {
    assertThat(db.isReachable()).isTrue();
  }

  @Test
  void closeWhenClosedThenEveryOperationFailsUnavailable() {
    Tenant t = tenant("acme");
    User u = member(t, "ann@acme.test", "owner");
    Issued k = key(t, u, "default-key");

    db.close();

    assertThat(db.isReachable()).isFalse();
    assertUnavailable(() -> db.keys().findGrant(k.digest()));
    assertUnavailable(() -> db.keys().find(t.id(), k.key().id()));
    assertUnavailable(() -> db.keys().revoke(t.id(), k.key().id(), T0));
    assertUnavailable(() -> db.keys().recordLastUsed(Map.of(k.key().id(), T0)));
    assertUnavailable(() -> db.users().findLogin("ann@acme.test"));
    assertUnavailable(() -> db.tenants().findBySlug("acme"));
    assertUnavailable(() -> db.roles().names(t.id()));
    assertUnavailable(() -> db.audit().list(t.id(), all()));
    assertUnavailable(() -> db.jdbc().run(() -> tenant("globex")));
  }

  // ---------------------------------------------------------------- last-used recorder

  @Test
  void lastUsedRecorderFlushWhenTouchedThenWritesLatestTimeAndAuditsFirstUseOnce() {
    Tenant t = tenant("acme");
    User u = member(t, "ann@acme.test", "owner");
    Issued a = key(t, u, "a");
    Issued b = key(t, u, "b");
    Clock clock = Clock.fixed(T0.plusSeconds(100), ZoneOffset.UTC);
    Auditor auditor = new Auditor(db.audit(), ids, clock);

    try (LastUsedRecorder recorder = new LastUsedRecorder(db.keys(), auditor, Duration.ofHours(1))) {
      recorder.touched(t.id(), a.key().id(), T0.plusSeconds(10));
      recorder.touched(t.id(), a.key().id(), T0.plusSeconds(30));
      recorder.touched(t.id(), a.key().id(), T0.plusSeconds(20));
      recorder.flush();

      assertThat(db.keys().find(t.id(), a.key().id())).get().extracting(ApiKey::lastUsedAt).isEqualTo(T0.plusSeconds(30));
      assertThat(db.keys().find(t.id(), b.key().id())).get().extracting(ApiKey::lastUsedAt).isNull();

      recorder.touched(t.id(), a.key().id(), T0.plusSeconds(40));
      recorder.touched(t.id(), b.key().id(), T0.plusSeconds(41));
      recorder.flush();
      recorder.touched(t.id(), a.key().id(), T0.plusSeconds(5));
      recorder.flush();
      recorder.flush();
    }

    assertThat(db.keys().find(t.id(), a.key().id())).get().extracting(ApiKey::lastUsedAt).isEqualTo(T0.plusSeconds(40));
    assertThat(db.keys().find(t.id(), b.key().id())).get().extracting(ApiKey::lastUsedAt).isEqualTo(T0.plusSeconds(41));
    List<AuditEvent> firstUses = db.audit().list(t.id(), query(AuditEvent.KEY_FIRST_USED, null, null, null, null, 100));
    assertThat(firstUses).extracting(AuditEvent::subjectId).containsExactlyInAnyOrder(a.key().id(), b.key().id());
    assertThat(firstUses).allSatisfy(e -> {
      assertThat(e.subjectType()).isEqualTo("key");
      assertThat(e.actorId()).isNull();
      assertThat(e.at()).isEqualTo(T0.plusSeconds(100));
      assertThat(e.tenantId()).isEqualTo(t.id());
    });
  }

  @Test
  void lastUsedRecorderFlushWhenStoreFailsThenTheUsesAreWrittenByTheNextFlush() {
    Tenant t = tenant("acme");
    User u = member(t, "ann@acme.test", "owner");
    Issued k = key(t, u, "default-key");
    Auditor auditor = new Auditor(db.audit(), ids, Clock.fixed(T0, ZoneOffset.UTC));
    FailingOnce failingOnce = new FailingOnce(db.keys());

    try (LastUsedRecorder recorder = new LastUsedRecorder(failingOnce, auditor, Duration.ofHours(1))) {
      recorder.touched(t.id(), k.key().id(), T0.plusSeconds(10));
      assertUnavailable(recorder::flush);
      assertThat(db.keys().find(t.id(), k.key().id())).get().extracting(ApiKey::lastUsedAt).isNull();

      recorder.flush();
    }

    assertThat(db.keys().find(t.id(), k.key().id())).get().extracting(ApiKey::lastUsedAt).isEqualTo(T0.plusSeconds(10));
    assertThat(db.audit().list(t.id(), query(AuditEvent.KEY_FIRST_USED, null, null, null, null, 100))).hasSize(1);
  }

  @Test
  void lastUsedRecorderFlushWhenFirstUseAuditFailsThenTheNextFlushAuditsIt() {
    Tenant t = tenant("acme");
    User u = member(t, "ann@acme.test", "owner");
    Issued k = key(t, u, "default-key");
    Auditor auditor = new Auditor(new FailingAuditLogOnce(db.audit()), ids, Clock.fixed(T0, ZoneOffset.UTC));

    try (LastUsedRecorder recorder = new LastUsedRecorder(db.keys(), auditor, Duration.ofHours(1))) {
      recorder.touched(t.id(), k.key().id(), T0.plusSeconds(10));
      assertUnavailable(recorder::flush);
      // The time was written before the audit failed.
      assertThat(db.keys().find(t.id(), k.key().id())).get().extracting(ApiKey::lastUsedAt).isEqualTo(T0.plusSeconds(10));

      recorder.flush();
      recorder.flush();
    }

    assertThat(db.audit().list(t.id(), query(AuditEvent.KEY_FIRST_USED, null, null, null, null, 100)))
        .extracting(AuditEvent::subjectId)
        .containsExactly(k.key().id());
  }

  @Test
  void lastUsedRecorderCloseWhenUsesPendingThenTheyAreWritten() {
    Tenant t = tenant("acme");
    User u = member(t, "ann@acme.test", "owner");
    Issued k = key(t, u, "default-key");
    Auditor auditor = new Auditor(db.audit(), ids, Clock.fixed(T0, ZoneOffset.UTC));

    try (LastUsedRecorder recorder = new LastUsedRecorder(db.keys(), auditor, Duration.ofHours(1))) {
      recorder.touched(t.id(), k.key().id(), T0.plusSeconds(10));
    }

    assertThat(db.keys().find(t.id(), k.key().id())).get().extracting(ApiKey::lastUsedAt).isEqualTo(T0.plusSeconds(10));
  }

  /** An audit log whose first write fails as an unreachable store would. */
  private static final class FailingAuditLogOnce implements AuditLog {
    private final AuditLog delegate;
    private boolean failed;

    FailingAuditLogOnce(AuditLog delegate) {
      this.delegate = delegate;
    }

    @Override
    public void record(AuditEvent event) {
      if (!failed) {
        failed = true;
        throw KeywardException.unavailable("simulated outage", null);
      }
      delegate.record(event);
    }

    @Override
    public List<AuditEvent> list(String tenantId, Query query) {
      return delegate.list(tenantId, query);
    }
  }

  /** A key store whose first {@code recordLastUsed} fails as an unreachable store would. */
  private static final class FailingOnce implements KeyStore {
    private final KeyStore delegate;
    private boolean failed;

    FailingOnce(KeyStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public Set<String> recordLastUsed(Map<String, Instant> lastUsed) {
      if (!failed) {
        failed = true;
        throw KeywardException.unavailable("simulated outage", null);
      }
      return delegate.recordLastUsed(lastUsed);
    }

    @Override
    public void insert(ApiKey key, String digest) {
      delegate.insert(key, digest);
    }

    @Override
    public Optional<ApiKey> find(String tenantId, String keyId) {
      return delegate.find(tenantId, keyId);
    }

    @Override
    public List<ApiKey> list(String tenantId, @Nullable String userId) {
      return delegate.list(tenantId, userId);
    }

    @Override
    public boolean revoke(String tenantId, String keyId, Instant at) {
      return delegate.revoke(tenantId, keyId, at);
    }

    @Override
    public int revokeAllOf(String tenantId, String userId, Instant at) {
      return delegate.revokeAllOf(tenantId, userId, at);
    }

    @Override
    public Optional<KeyGrant> findGrant(String digest) {
      return delegate.findGrant(digest);
    }

    @Override
    public boolean updateAccess(String tenantId, String keyId, KeyAccess access, @Nullable Long quotaRemaining) {
      return delegate.updateAccess(tenantId, keyId, access, quotaRemaining);
    }

    @Override
    public boolean updateRoles(String tenantId, String keyId, Set<String> roles) {
      return delegate.updateRoles(tenantId, keyId, roles);
    }

    @Override
    public boolean updateDetails(String tenantId, String keyId, String name, @Nullable Instant expiresAt) {
      return delegate.updateDetails(tenantId, keyId, name, expiresAt);
    }

    @Override
    public java.util.OptionalLong consumeQuota(String tenantId, String keyId) {
      return delegate.consumeQuota(tenantId, keyId);
    }

    @Override
    public boolean roll(String tenantId, String keyId, String newDigest, String newStart, @Nullable Instant previousUntil) {
      return delegate.roll(tenantId, keyId, newDigest, newStart, previousUntil);
    }
  }

  // ---------------------------------------------------------------- key access, quota, roll

  @Test
  void keysUpdateAccessWhenChangedThenReadBackAndDefaultsStoredAsNothing() {
    Tenant t = tenant("acme");
    User u = member(t, "ann@acme.test", "owner");
    Issued k = key(t, u, "ci");
    assertThat(db.keys().find(t.id(), k.key().id()).orElseThrow().access()).isEqualTo(KeyAccess.DEFAULT);
    KeyAccess limited = KeyAccess.fromWire(new KeyAccess.Wire(List.of("algo://a/*", "algo://a/b/*"), "read_write", false,
        null, List.of("2001:db8::/32"), new KeyAccess.RateLimitWire(5, 1), 3));

    assertThat(db.keys().updateAccess(t.id(), k.key().id(), limited, 3L)).isTrue();
    ApiKey read = db.keys().find(t.id(), k.key().id()).orElseThrow();
    assertThat(read.access()).isEqualTo(limited);
    assertThat(read.access().warnings()).hasSize(1);
    assertThat(read.quotaRemaining()).isEqualTo(3L);
    assertThat(db.keys().updateAccess(tenant("globex").id(), k.key().id(), KeyAccess.DEFAULT, null)).as("other tenant").isFalse();
    assertThat(db.keys().updateAccess(t.id(), k.key().id(), KeyAccess.DEFAULT, null)).isTrue();
    assertThat(db.keys().find(t.id(), k.key().id()).orElseThrow().access()).isEqualTo(KeyAccess.DEFAULT);
  }

  @Test
  void keysConsumeQuotaWhenManyThreadsThenExactlyTheQuotaAdmittedAndNeverBelowZero() throws Exception {
    Tenant t = tenant("acme");
    User u = member(t, "ann@acme.test", "owner");
    Issued k = key(t, u, "metered");
    Issued unmetered = key(t, u, "free");
    db.keys().updateAccess(t.id(), k.key().id(), KeyAccess.DEFAULT, 25L);
    java.util.concurrent.atomic.AtomicInteger admitted = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      List<java.util.concurrent.Future<?>> all = new java.util.ArrayList<>();
      for (int i = 0; i < 60; i++) {
        all.add(pool.submit(() -> {
          if (db.keys().consumeQuota(t.id(), k.key().id()).isPresent()) {
            admitted.incrementAndGet();
          }
        }));
      }
      for (java.util.concurrent.Future<?> f : all) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    assertThat(admitted.get()).isEqualTo(25);
    assertThat(db.keys().find(t.id(), k.key().id()).orElseThrow().quotaRemaining()).isZero();
    assertThat(db.keys().consumeQuota(t.id(), unmetered.key().id())).as("no quota: nothing to take").isEmpty();
  }

  @Test
  void keysRollWhenGracePeriodThenBothSecretsFoundAndThePreviousOneMarked() {
    Tenant t = tenant("acme");
    User u = member(t, "ann@acme.test", "owner");
    Issued k = key(t, u, "rolled");
    String oldDigest = digester.digest(k.secret());
    Secret next = ApiKeyFormat.generate(ids, Environment.PRODUCTION);
    String newDigest = digester.digest(next);
    Instant until = T0.plusSeconds(3600);

    assertThat(db.keys().roll(t.id(), k.key().id(), newDigest, ApiKeyFormat.start(next), until)).isTrue();
    assertThat(db.keys().findGrant(newDigest).orElseThrow().graceUntil()).isNull();
    assertThat(db.keys().findGrant(oldDigest).orElseThrow().graceUntil()).isEqualTo(until);
    assertThat(db.keys().find(t.id(), k.key().id()).orElseThrow().start()).isEqualTo(ApiKeyFormat.start(next));
    assertThat(db.keys().find(t.id(), k.key().id()).orElseThrow().previousExpiresAt()).isEqualTo(until);

    Secret third = ApiKeyFormat.generate(ids, Environment.PRODUCTION);
    assertThat(db.keys().roll(t.id(), k.key().id(), digester.digest(third), ApiKeyFormat.start(third), null)).isTrue();
    assertThat(db.keys().findGrant(oldDigest)).as("no grace: the previous secret is gone").isEmpty();
    assertThat(db.keys().findGrant(newDigest)).isEmpty();
    assertThat(db.keys().findGrant(digester.digest(third))).isPresent();
    db.keys().revoke(t.id(), k.key().id(), T0);
    assertThat(db.keys().roll(t.id(), k.key().id(), newDigest, "x", until)).as("revoked keys do not roll").isFalse();
  }

  // ---------------------------------------------------------------- secret hygiene

  @Test
  void storeWhenKeysAndGeneratedPasswordsWrittenThenNoSecretReachesTheDatabase() throws Exception {
    Tenant t = tenant("acme");
    PasswordHasher hasher = new PasswordHasher(digester, ids.random(), PasswordHasher.Argon2Cost.TEST);
    Map<String, String> secretToDigest = new HashMap<>();
    for (int i = 0; i < 3; i++) {
      Secret password = ids.password();
      User robot = new User(ids.id("usr"), "robot" + i + "@acme.test", "Robot " + i, true, T0);
      String hash = hasher.hashGenerated(password);
      db.users().insert(robot, hash, T0);
      db.users().addMembership(t.id(), robot.id(), Set.of("owner"), T0);
      secretToDigest.put(password.reveal(), hash);
      for (Environment env : Environment.values()) {
        Secret secret = ApiKeyFormat.generate(ids, env);
        String digest = digester.digest(secret);
        db.keys().insert(newKey(t, robot, "key-" + env.wireName(), T0, secret), digest);
        secretToDigest.put(secret.reveal(), digest);
      }
    }
    Secret reset = ids.password();
    User resetUser = user("reset@acme.test");
    db.users().updatePassword(resetUser.id(), hasher.hashGenerated(reset), T0.plusSeconds(1));
    secretToDigest.put(reset.reveal(), hasher.hashGenerated(reset));

    String stored = storedContent();

    secretToDigest.forEach((secret, digest) -> {
      // The scan works: what is meant to be stored is found...
      assertThat(stored).contains(digest);
      // ...and neither the secret nor its random body (without the kw_live_ prefix) is.
      assertThat(stored).doesNotContain(secret);
      assertThat(stored).doesNotContain(secret.substring(secret.length() - SecretGenerator.SECRET_LENGTH));
      if (secret.startsWith(ApiKeyFormat.PREFIX)) {
        assertThat(stored).doesNotContain(secret.substring(8, 8 + SecretGenerator.SECRET_LENGTH));
      }
    });
    // The recognisable start of each key is stored on purpose (lists show it).
    assertThat(stored).contains("kw_live_", "kw_test_");
  }
}
