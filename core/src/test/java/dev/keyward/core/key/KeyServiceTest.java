package dev.keyward.core.key;

import static dev.keyward.core.testing.KeywardAssertions.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.core.audit.AuditEvent;
import dev.keyward.core.auth.Actor;
import dev.keyward.core.error.ErrorCode;
import dev.keyward.core.error.KeywardException;
import dev.keyward.core.principal.Roles;
import dev.keyward.core.principal.UserService;
import dev.keyward.core.tenant.TenantService;
import dev.keyward.core.testing.TestKeyward;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class KeyServiceTest {
  private final TestKeyward k = TestKeyward.start();

  private static KeyService.CreateKey key(String name) {
    return new KeyService.CreateKey(name, null, null, Environment.PRODUCTION, false, null);
  }

  private static KeyService.CreateKey key(String name, @Nullable String userId, @Nullable Set<String> roles) {
    return new KeyService.CreateKey(name, userId, roles, Environment.PRODUCTION, false, null);
  }

  private static String id(UserService.CreatedUser user) {
    return user.member().user().id();
  }

  // ---- create

  @Test
  void createWhenOwnKeyThenSecretShownOnceAndOnlyItsDigestStored() {
    KeyService.IssuedKey issued = k.keyService().create(k.owner(), key("  ci  "));

    ApiKey stored = k.keys().find(k.defaultTenantId(), issued.key().id()).orElseThrow();
    assertThat(stored).isEqualTo(issued.key());
    assertThat(stored.name()).isEqualTo("ci");
    assertThat(stored.userId()).isEqualTo(k.bootstrap().owner().id());
    assertThat(stored.start()).isEqualTo(issued.secret().reveal().substring(0, 12)).startsWith("kw_live_");
    assertThat(stored.createdAt()).isEqualTo(TestKeyward.START);
    assertThat(stored.toString()).doesNotContain(issued.secret().reveal());
    assertThat(k.keys().digestOf(stored.id()).orElseThrow())
        .isEqualTo(k.digester().digest(issued.secret()))
        .doesNotContain(issued.secret().reveal().substring(12));
    assertThat(issued.toString()).doesNotContain(issued.secret().reveal());
    assertThat(k.audit().events(AuditEvent.KEY_CREATED)).last().satisfies(e -> {
      assertThat(e.subjectId()).isEqualTo(stored.id());
      assertThat(e.toString()).doesNotContain(issued.secret().reveal());
    });
    assertThat(k.authenticate(issued.secret()).keyId()).isEqualTo(stored.id());
  }

  @Test
  void createWhenSandboxThenTestPrefix() {
    KeyService.IssuedKey issued = k.keyService().create(k.owner(),
        new KeyService.CreateKey("sandbox", null, null, Environment.SANDBOX, false, null));

    assertThat(issued.secret().reveal()).startsWith("kw_test_");
    assertThat(k.authenticate(issued.secret()).environment()).isEqualTo(Environment.SANDBOX);
  }

  @Test
  void createWhenNameBlankTooLongOrControlThenInvalidRequest() {
    for (String bad : new String[] {"", "   ", "x".repeat(101), "a\nb", "a\u0000b"}) {
      assertThat(assertFails(() -> k.keyService().create(k.owner(), key(bad)), ErrorCode.INVALID_REQUEST).field()).as(bad).isEqualTo("name");
    }
    k.keyService().create(k.owner(), key("x".repeat(100)));
  }

  @Test
  void createWhenLiveKeyWithSameNameExistsThenConflict() {
    k.keyService().create(k.owner(), key("ci"));

    assertFails(() -> k.keyService().create(k.owner(), key("ci")), ErrorCode.CONFLICT);
    assertFails(() -> k.keyService().create(k.owner(), key(KeyService.DEFAULT_KEY_NAME)), ErrorCode.CONFLICT);
    // Another user may use the same name.
    UserService.CreatedUser bot = k.createUser("bot@example.com");
    k.keyService().create(k.signedIn(bot), key("ci"));
  }

  @Test
  void createWhenNameOfRevokedKeyThenAllowed() {
    KeyService.IssuedKey first = k.keyService().create(k.owner(), key("ci"));
    k.keyService().revoke(k.owner(), first.key().id());

    KeyService.IssuedKey second = k.keyService().create(k.owner(), key("ci"));

    assertThat(second.key().id()).isNotEqualTo(first.key().id());
    assertThat(k.keys().list(k.defaultTenantId(), k.bootstrap().owner().id())).extracting(ApiKey::name).filteredOn("ci"::equals).hasSize(2);
    assertFails(() -> k.authenticate(first.secret()), ErrorCode.INVALID_CREDENTIALS);
    assertThat(k.authenticate(second.secret()).keyId()).isEqualTo(second.key().id());
  }

  @Test
  void createWhenRolesExceedOwnersThenUnprocessable() {
    UserService.CreatedUser admin = k.createUser("admin@example.com", Roles.ADMIN);

    KeywardException e = assertFails(() -> k.keyService().create(k.owner(), key("k", id(admin), Set.of(Roles.OWNER))), ErrorCode.UNPROCESSABLE);
    assertThat(e.field()).isEqualTo("roles");
    assertFails(() -> k.keyService().create(k.signedIn(admin), key("k", null, Set.of(Roles.ADMIN, Roles.OWNER))), ErrorCode.UNPROCESSABLE);
    ApiKey ok = k.keyService().create(k.signedIn(admin), key("k", null, Set.of(Roles.ADMIN))).key();
    assertThat(ok.roles()).containsExactly(Roles.ADMIN);
  }

  @Test
  void createWhenRoleUnknownThenUnprocessable() {
    assertThat(assertFails(() -> k.keyService().create(k.owner(), key("k", null, Set.of("billing"))), ErrorCode.UNPROCESSABLE).field())
        .isEqualTo("roles");
  }

  @Test
  void createWhenExpiresAtNotInFutureThenUnprocessable() {
    Instant now = k.clock().instant();
    for (Instant when : new Instant[] {now.minusSeconds(1), now, Instant.EPOCH}) {
      KeyService.CreateKey request = new KeyService.CreateKey("k", null, null, Environment.PRODUCTION, false, when);
      assertThat(assertFails(() -> k.keyService().create(k.owner(), request), ErrorCode.UNPROCESSABLE).field()).isEqualTo("expiresAt");
    }
    KeyService.CreateKey future = new KeyService.CreateKey("k", null, null, Environment.PRODUCTION, false, now.plusSeconds(1));
    assertThat(k.keyService().create(k.owner(), future).key().expiresAt()).isEqualTo(now.plusSeconds(1));
  }

  @Test
  void createWhenAdminKeyRequestedByNonAdminOrForNonAdminOwnerThenRefused() {
    UserService.CreatedUser plain = k.createUser("plain@example.com");
    KeyService.CreateKey adminKey = new KeyService.CreateKey("ops", null, null, Environment.PRODUCTION, true, null);
    KeyService.CreateKey adminKeyForPlain = new KeyService.CreateKey("ops", id(plain), null, Environment.PRODUCTION, true, null);

    assertFails(() -> k.keyService().create(k.signedIn(plain), adminKey), ErrorCode.FORBIDDEN);
    assertFails(() -> k.keyService().create(k.withKey(k.bootstrap().defaultKey().secret()), adminKey), ErrorCode.FORBIDDEN);
    assertThat(assertFails(() -> k.keyService().create(k.owner(), adminKeyForPlain), ErrorCode.UNPROCESSABLE).field()).isEqualTo("admin");

    KeyService.IssuedKey ops = k.keyService().create(k.owner(), adminKey);
    assertThat(k.authenticate(ops.secret()).isAdmin()).isTrue();
    assertThat(k.authenticate(k.bootstrap().defaultKey().secret()).isAdmin()).isFalse();
  }

  @Test
  void createWhenKeyCallerAsksForRolesItLacksThenUnprocessable() {
    UserService.CreatedUser admin = k.createUser("admin@example.com", Roles.ADMIN);
    KeyService.IssuedKey none = k.keyService().create(k.signedIn(admin), key("no-roles", null, Set.of()));
    Actor weakKey = k.withKey(none.secret());

    assertFails(() -> k.keyService().create(weakKey, key("wider", null, Set.of(Roles.ADMIN))), ErrorCode.UNPROCESSABLE);
    // Without explicit roles the new key is limited to what the calling key has, not the owner's roles.
    KeyService.IssuedKey minted = k.keyService().create(weakKey, key("minted"));
    assertThat(minted.key().roles()).isEmpty();
    assertThat(k.authenticate(minted.secret()).roles()).isEmpty();
  }

  @Test
  void createWhenAdminCreatesForAnotherUserThenKeyBelongsToThatUser() {
    UserService.CreatedUser bot = k.createUser("bot@example.com");

    KeyService.IssuedKey issued = k.keyService().create(k.owner(), key("for-bot", id(bot), null));

    assertThat(issued.key().userId()).isEqualTo(id(bot));
    assertThat(k.authenticate(issued.secret()).userId()).isEqualTo(id(bot));
  }

  @Test
  void createWhenNonAdminCreatesForAnotherUserThenNotFound() {
    UserService.CreatedUser bot = k.createUser("bot@example.com");
    UserService.CreatedUser other = k.createUser("other@example.com");

    assertFails(() -> k.keyService().create(k.signedIn(bot), key("sneaky", id(other), null)), ErrorCode.NOT_FOUND);
    assertFails(() -> k.keyService().create(k.owner(), key("ghost", "usr_0000000000000000000000", null)), ErrorCode.NOT_FOUND);
  }

  // ---- visibility (API-01, ASVS-09)

  @Test
  void getWhenNonAdminAsksForAnotherUsersKeyThenNotFoundLikeUnknownId() {
    UserService.CreatedUser bot = k.createUser("bot@example.com");
    Actor botActor = k.signedIn(bot);
    String ownersKey = k.bootstrap().defaultKey().key().id();

    KeywardException hidden = assertFails(() -> k.keyService().get(botActor, ownersKey), ErrorCode.NOT_FOUND);
    KeywardException unknown = assertFails(() -> k.keyService().get(botActor, "key_0000000000000000000000"), ErrorCode.NOT_FOUND);
    KeywardException garbage = assertFails(() -> k.keyService().get(botActor, "../../etc/passwd"), ErrorCode.NOT_FOUND);
    assertThat(hidden.publicMessage()).isEqualTo(unknown.publicMessage()).isEqualTo(garbage.publicMessage());
    assertFails(() -> k.keyService().revoke(botActor, ownersKey), ErrorCode.NOT_FOUND);
    assertFails(() -> k.keyService().list(botActor, k.bootstrap().owner().id()), ErrorCode.NOT_FOUND);
    assertThat(k.authenticate(k.bootstrap().defaultKey().secret()).userId()).isEqualTo(k.bootstrap().owner().id());
  }

  @Test
  void getWhenKeyBelongsToAnotherTenantThenNotFoundEvenForItsAdmin() {
    TenantService.CreatedTenant acme = k.tenantService().create(k.owner(), "acme", "Acme", "boss@acme.test");
    Actor acmeOwner = TestKeyward.actor(k.login("boss@acme.test", acme.generatedPassword()));
    String defaultKey = k.bootstrap().defaultKey().key().id();
    String acmeKey = acme.defaultKey().key().id();

    assertFails(() -> k.keyService().get(acmeOwner, defaultKey), ErrorCode.NOT_FOUND);
    assertFails(() -> k.keyService().revoke(acmeOwner, defaultKey), ErrorCode.NOT_FOUND);
    assertFails(() -> k.keyService().list(acmeOwner, k.bootstrap().owner().id()), ErrorCode.NOT_FOUND);
    assertFails(() -> k.keyService().get(k.owner(), acmeKey), ErrorCode.NOT_FOUND);
    assertFails(() -> k.keyService().create(acmeOwner, key("x", k.bootstrap().owner().id(), null)), ErrorCode.NOT_FOUND);
    assertThat(k.keyService().list(acmeOwner, null)).extracting(ApiKey::id).containsExactly(acmeKey);
    assertThat(k.authenticate(k.bootstrap().defaultKey().secret()).tenantSlug()).isEqualTo("default");
  }

  @Test
  void listWhenNonAdminThenOnlyOwnKeysAndAdminSeesAll() {
    UserService.CreatedUser bot = k.createUser("bot@example.com");
    k.clock().advance(Duration.ofSeconds(1));
    KeyService.IssuedKey botSecond = k.keyService().create(k.signedIn(bot), key("second"));

    assertThat(k.keyService().list(k.signedIn(bot), null)).extracting(ApiKey::id)
        .containsExactly(botSecond.key().id(), bot.defaultKey().key().id());
    assertThat(k.keyService().list(k.owner(), null)).hasSize(3);
    assertThat(k.keyService().list(k.owner(), id(bot))).hasSize(2);
  }

  // ---- revoke

  @Test
  void revokeWhenTwiceThenAlreadyRevoked() {
    KeyService.IssuedKey issued = k.keyService().create(k.owner(), key("ci"));
    k.clock().advance(Duration.ofMinutes(5));

    ApiKey revoked = k.keyService().revoke(k.owner(), issued.key().id());

    assertThat(revoked.isRevoked()).isTrue();
    assertThat(revoked.revokedAt()).isEqualTo(TestKeyward.START.plus(Duration.ofMinutes(5)));
    assertFails(() -> k.keyService().revoke(k.owner(), issued.key().id()), ErrorCode.ALREADY_REVOKED);
    assertThat(k.keys().find(k.defaultTenantId(), issued.key().id()).orElseThrow().revokedAt()).isEqualTo(revoked.revokedAt());
    assertThat(k.audit().events(AuditEvent.KEY_REVOKED)).hasSize(1);
  }

  @Test
  void revokeWhenKeyCachedThenStopsAuthenticatingAtOnce() {
    KeyService.IssuedKey issued = k.keyService().create(k.owner(), key("ci"));
    k.authenticate(issued.secret());

    k.keyService().revoke(k.owner(), issued.key().id());

    assertFails(() -> k.authenticate(issued.secret()), ErrorCode.INVALID_CREDENTIALS);
  }

  @Test
  void revokeWhenOwnKeyByNonAdminThenAllowed() {
    UserService.CreatedUser bot = k.createUser("bot@example.com");

    k.keyService().revoke(k.withKey(bot.defaultKey().secret()), bot.defaultKey().key().id());

    assertFails(() -> k.authenticate(bot.defaultKey().secret()), ErrorCode.INVALID_CREDENTIALS);
  }
}
