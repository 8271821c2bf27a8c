package dev.keyward.core.principal;

import static dev.keyward.core.testing.KeywardAssertions.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.core.audit.AuditEvent;
import dev.keyward.core.auth.Actor;
import dev.keyward.core.auth.Authenticator;
import dev.keyward.core.auth.Principal;
import dev.keyward.core.error.ErrorCode;
import dev.keyward.core.key.ApiKey;
import dev.keyward.core.key.Environment;
import dev.keyward.core.key.KeyService;
import dev.keyward.core.secret.Secret;
import dev.keyward.core.tenant.TenantService;
import dev.keyward.core.testing.TestKeyward;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UserServiceTest {
  private final TestKeyward k = TestKeyward.start();

  private static UserService.CreateUser programmatic(String email, String... roles) {
    return new UserService.CreateUser(email, "Service " + email, true, Set.of(roles), null);
  }

  private static UserService.CreateUser person(String email, String password, String... roles) {
    return new UserService.CreateUser(email, "Person " + email, false, Set.of(roles), Secret.of(password));
  }

  private String userId(UserService.CreatedUser u) {
    return u.member().user().id();
  }

  // ---- create

  @Test
  void createWhenProgrammaticThenGeneratedPasswordVerifiesAndDefaultKeyAuthenticates() {
    UserService.CreatedUser bot = k.userService().create(k.owner(), programmatic("Bot@Example.com", Roles.ADMIN));

    assertThat(bot.member().user().email()).isEqualTo("bot@example.com");
    assertThat(bot.member().user().programmatic()).isTrue();
    assertThat(bot.member().roles()).containsExactly(Roles.ADMIN);
    Secret password = bot.password();
    assertThat(password).isNotNull();
    String stored = k.users().passwordHash(userId(bot)).orElseThrow();
    assertThat(stored).startsWith("$hmac-sha256$").doesNotContain(password.reveal());
    assertThat(k.hasher().verify(password, stored)).isTrue();

    assertThat(bot.defaultKey().key().name()).isEqualTo(KeyService.DEFAULT_KEY_NAME);
    assertThat(bot.defaultKey().key().environment()).isEqualTo(Environment.SANDBOX);
    assertThat(bot.defaultKey().key().roles()).isNull(); // follows the owner's roles
    Principal byKey = k.authenticate(bot.defaultKey().secret());
    assertThat(byKey.userId()).isEqualTo(userId(bot));
    assertThat(byKey.roles()).containsExactly(Roles.ADMIN);
    assertThat(byKey.keyId()).isEqualTo(bot.defaultKey().key().id());
    Principal byPassword = k.login("bot@example.com", password);
    assertThat(byPassword.userId()).isEqualTo(userId(bot));
    assertThat(byPassword.credential()).isEqualTo(Principal.CredentialType.PASSWORD);
  }

  @Test
  void createWhenUserCreatedThenAuditedWithoutSecrets() {
    UserService.CreatedUser bot = k.userService().create(k.owner(), programmatic("bot@example.com"));

    assertThat(k.audit().events(AuditEvent.USER_CREATED, k.defaultTenantId()))
        .anySatisfy(e -> {
          assertThat(e.subjectId()).isEqualTo(userId(bot));
          assertThat(e.actorId()).isEqualTo(k.bootstrap().owner().id());
          assertThat(e.ip()).isEqualTo(TestKeyward.IP);
        });
    assertThat(k.audit().events()).allSatisfy(e -> assertThat(e.toString())
        .doesNotContain(bot.password().reveal())
        .doesNotContain(bot.defaultKey().secret().reveal()));
    assertThat(bot.toString()).doesNotContain(bot.password().reveal()).doesNotContain(bot.defaultKey().secret().reveal());
  }

  @Test
  void createWhenPersonWithValidPasswordThenArgon2AndNoGeneratedPassword() {
    UserService.CreatedUser ann = k.userService().create(k.owner(), person("ann@example.com", "ann's long password"));

    assertThat(ann.password()).isNull();
    assertThat(k.users().passwordHash(userId(ann)).orElseThrow()).startsWith("$argon2id$");
    assertThat(k.login("ann@example.com", Secret.of("ann's long password")).userId()).isEqualTo(userId(ann));
  }

  @Test
  void createWhenPersonPasswordTooShortOrTooLongThenInvalidRequest() {
    assertThat(assertFails(() -> k.userService().create(k.owner(), person("ann@example.com", "1234567")), ErrorCode.INVALID_REQUEST)
        .field()).isEqualTo("password");
    assertFails(() -> k.userService().create(k.owner(), person("ann@example.com", "x".repeat(257))), ErrorCode.INVALID_REQUEST);
    assertThat(k.users().findByEmail("ann@example.com")).isEmpty();
    // Length counts characters, not UTF-16 units: eight emoji are eight characters.
    k.userService().create(k.owner(), person("emoji@example.com", "\ud83d\udd11".repeat(8)));
  }

  @Test
  void createWhenProgrammaticWithPasswordThenInvalidRequest() {
    UserService.CreateUser request = new UserService.CreateUser("bot@example.com", "Bot", true, Set.of(), Secret.of("chosen-password"));

    assertThat(assertFails(() -> k.userService().create(k.owner(), request), ErrorCode.INVALID_REQUEST).field()).isEqualTo("password");
  }

  @Test
  void createWhenEmailAlreadyUsedInAnyFormThenConflict() {
    k.userService().create(k.owner(), programmatic("\u00e4dmin@example.com"));

    assertFails(() -> k.userService().create(k.owner(), programmatic("\u00e4dmin@example.com")), ErrorCode.CONFLICT);
    assertFails(() -> k.userService().create(k.owner(), programmatic("\u00c4DMIN@EXAMPLE.COM")), ErrorCode.CONFLICT);
    assertFails(() -> k.userService().create(k.owner(), programmatic("a\u0308dmin@example.com")), ErrorCode.CONFLICT);
    assertFails(() -> k.userService().create(k.owner(), programmatic(TestKeyward.OWNER_EMAIL)), ErrorCode.CONFLICT);
    // A look-alike from another script is another account (BAD-21).
    k.userService().create(k.owner(), programmatic("\u0430dmin@example.com"));
  }

  @Test
  void createWhenRoleUnknownThenUnprocessable() {
    assertThat(assertFails(() -> k.userService().create(k.owner(), programmatic("bot@example.com", "superuser")), ErrorCode.UNPROCESSABLE)
        .field()).isEqualTo("roles");
    assertThat(k.users().findByEmail("bot@example.com")).isEmpty();
  }

  @Test
  void createWhenRoleNameMalformedThenInvalidRequest() {
    assertFails(() -> k.userService().create(k.owner(), programmatic("bot@example.com", "ad min")), ErrorCode.INVALID_REQUEST);
    assertFails(() -> k.userService().create(k.owner(), programmatic("bot@example.com", "")), ErrorCode.INVALID_REQUEST);
    assertFails(() -> k.userService().create(k.owner(), programmatic("bot@example.com", "r".repeat(65))), ErrorCode.INVALID_REQUEST);
  }

  @Test
  void createWhenNameBlankOrWithControlCharactersThenInvalidRequest() {
    UserService.CreateUser blank = new UserService.CreateUser("bot@example.com", "   ", true, Set.of(), null);
    UserService.CreateUser control = new UserService.CreateUser("bot@example.com", "bot\r\nadmin", true, Set.of(), null);

    assertThat(assertFails(() -> k.userService().create(k.owner(), blank), ErrorCode.INVALID_REQUEST).field()).isEqualTo("name");
    assertThat(assertFails(() -> k.userService().create(k.owner(), control), ErrorCode.INVALID_REQUEST).field()).isEqualTo("name");
  }

  @Test
  void createWhenActorIsNotAdminThenForbidden() {
    UserService.CreatedUser plain = k.createUser("plain@example.com");
    Actor plainUser = k.signedIn(plain);
    Actor ownerWithOrdinaryKey = k.withKey(k.bootstrap().defaultKey().secret());

    assertFails(() -> k.userService().create(plainUser, programmatic("x@example.com")), ErrorCode.FORBIDDEN);
    assertFails(() -> k.userService().create(ownerWithOrdinaryKey, programmatic("x@example.com")), ErrorCode.FORBIDDEN);
    assertFails(() -> k.userService().list(plainUser), ErrorCode.FORBIDDEN);
    assertFails(() -> k.userService().resetPassword(plainUser, k.bootstrap().owner().id()), ErrorCode.FORBIDDEN);
    assertFails(() -> k.userService().remove(plainUser, userId(plain)), ErrorCode.FORBIDDEN);
    assertThat(k.users().findByEmail("x@example.com")).isEmpty();
  }

  @Test
  void createWhenAdminGrantsOwnerRoleThenForbidden() {
    Actor admin = k.signedIn(k.createUser("admin@example.com", Roles.ADMIN));

    assertFails(() -> k.userService().create(admin, programmatic("x@example.com", Roles.OWNER)), ErrorCode.FORBIDDEN);
    k.userService().create(admin, programmatic("y@example.com", Roles.ADMIN));
  }

  // ---- get, list

  @Test
  void getWhenUserOfAnotherTenantOrMalformedIdThenNotFound() {
    TenantService.CreatedTenant acme = k.tenantService().create(k.owner(), "acme", "Acme", "boss@acme.test");
    String acmeBoss = acme.owner().user().id();

    assertFails(() -> k.userService().get(k.owner(), acmeBoss), ErrorCode.NOT_FOUND);
    assertFails(() -> k.userService().resetPassword(k.owner(), acmeBoss), ErrorCode.NOT_FOUND);
    assertFails(() -> k.userService().remove(k.owner(), acmeBoss), ErrorCode.NOT_FOUND);
    assertFails(() -> k.userService().get(k.owner(), "usr_' OR 1=1 --"), ErrorCode.NOT_FOUND);
    assertThat(k.userService().list(k.owner())).extracting(m -> m.user().id()).doesNotContain(acmeBoss);
  }

  // ---- remove

  @Test
  void removeWhenUserHasKeysThenKeysRevokedAndStopAuthenticatingAtOnce() {
    UserService.CreatedUser bot = k.createUser("bot@example.com");
    KeyService.IssuedKey second = k.keyService().create(k.signedIn(bot),
        new KeyService.CreateKey("second", null, null, Environment.PRODUCTION, false, null));
    // Both keys and the password are in the authentication cache now.
    k.authenticate(bot.defaultKey().secret());
    k.authenticate(second.secret());
    k.login("bot@example.com", bot.password());

    k.userService().remove(k.owner(), userId(bot));

    assertFails(() -> k.authenticate(bot.defaultKey().secret()), ErrorCode.INVALID_CREDENTIALS);
    assertFails(() -> k.authenticate(second.secret()), ErrorCode.INVALID_CREDENTIALS);
    assertFails(() -> k.login("bot@example.com", bot.password()), ErrorCode.INVALID_CREDENTIALS);
    assertThat(k.keys().list(k.defaultTenantId(), userId(bot))).hasSize(2).allMatch(ApiKey::isRevoked);
    assertThat(k.users().exists(userId(bot))).isFalse();
    assertThat(k.audit().events(AuditEvent.USER_REMOVED)).singleElement().satisfies(e -> assertThat(e.subjectId()).isEqualTo(userId(bot)));
  }

  @Test
  void removeWhenUserBelongsToAnotherTenantThenOnlyThisMembershipAndItsKeysGo() {
    UserService.CreatedUser alice = k.createUser("alice@example.com");
    TenantService.CreatedTenant acme = k.tenantService().create(k.owner(), "acme", "Acme", "alice@example.com");
    KeyService.IssuedKey acmeKey = k.keyService().create(k.signedInTo(alice, "acme"),
        new KeyService.CreateKey("acme-key", null, null, Environment.PRODUCTION, false, null));

    k.userService().remove(k.owner(), userId(alice));

    assertThat(k.users().exists(userId(alice))).isTrue();
    assertFails(() -> k.authenticate(alice.defaultKey().secret()), ErrorCode.INVALID_CREDENTIALS);
    assertThat(k.authenticate(acmeKey.secret()).tenantId()).isEqualTo(acme.tenant().id());
    assertThat(k.login("alice@example.com", alice.password()).tenantSlug()).isEqualTo("acme");
  }

  @Test
  void removeWhenLastOwnerThenConflict() {
    assertFails(() -> k.userService().remove(k.owner(), k.bootstrap().owner().id()), ErrorCode.CONFLICT);
    assertThat(k.authenticate(k.bootstrap().defaultKey().secret()).roles()).containsExactly(Roles.OWNER);
  }

  @Test
  void removeWhenAnotherOwnerExistsThenAllowed() {
    UserService.CreatedUser second = k.createUser("second-owner@example.com", Roles.OWNER);

    k.userService().remove(k.signedIn(second), k.bootstrap().owner().id());

    assertFails(() -> k.owner(), ErrorCode.INVALID_CREDENTIALS);
  }

  // ---- update

  @Test
  void updateWhenRoleRemovedThenKeysOfThatUserLoseItOnNextAuthentication() {
    UserService.CreatedUser bot = k.createUser("bot@example.com", Roles.ADMIN);
    KeyService.IssuedKey scoped = k.keyService().create(k.owner(),
        new KeyService.CreateKey("scoped", userId(bot), Set.of(Roles.ADMIN), Environment.PRODUCTION, false, null));
    assertThat(k.authenticate(bot.defaultKey().secret()).roles()).containsExactly(Roles.ADMIN);
    assertThat(k.authenticate(scoped.secret()).roles()).containsExactly(Roles.ADMIN);

    Member demoted = k.userService().update(k.owner(), userId(bot), null, Set.of());

    assertThat(demoted.roles()).isEmpty();
    assertThat(k.authenticate(bot.defaultKey().secret()).roles()).isEmpty();
    assertThat(k.authenticate(scoped.secret()).roles()).isEmpty();
    assertThat(k.login("bot@example.com", bot.password()).isAdmin()).isFalse();
    // Promoting again gives the scoped key its role back: its own limit never widened.
    k.userService().update(k.owner(), userId(bot), null, Set.of(Roles.ADMIN, Roles.OWNER));
    assertThat(k.authenticate(scoped.secret()).roles()).containsExactly(Roles.ADMIN);
    assertThat(k.authenticate(bot.defaultKey().secret()).roles()).containsExactlyInAnyOrder(Roles.ADMIN, Roles.OWNER);
  }

  @Test
  void updateWhenDemotingLastOwnerThenConflict() {
    String ownerId = k.bootstrap().owner().id();

    assertFails(() -> k.userService().update(k.owner(), ownerId, null, Set.of(Roles.ADMIN)), ErrorCode.CONFLICT);
    assertThat(k.users().findMember(k.defaultTenantId(), ownerId).orElseThrow().roles()).containsExactly(Roles.OWNER);
  }

  @Test
  void updateWhenAdminRemovesOwnerRoleThenForbidden() {
    k.createUser("second-owner@example.com", Roles.OWNER);
    Actor admin = k.signedIn(k.createUser("admin@example.com", Roles.ADMIN));

    assertFails(() -> k.userService().update(admin, k.bootstrap().owner().id(), null, Set.of(Roles.ADMIN)), ErrorCode.FORBIDDEN);
  }

  @Test
  void updateWhenNameChangedThenStoredTrimmed() {
    UserService.CreatedUser bot = k.createUser("bot@example.com");

    Member updated = k.userService().update(k.owner(), userId(bot), "  Renamed Bot  ", null);

    assertThat(updated.user().name()).isEqualTo("Renamed Bot");
    assertThat(updated.roles()).isEmpty();
  }

  // ---- reset password

  @Test
  void resetPasswordWhenCalledThenOldFailsAtOnceAndNewWorks() {
    UserService.CreatedUser bot = k.createUser("bot@example.com");
    Secret old = bot.password();
    k.login("bot@example.com", old); // cached

    Secret fresh = k.userService().resetPassword(k.owner(), userId(bot));

    assertThat(fresh.reveal()).isNotEqualTo(old.reveal()).matches("[0-9A-Za-z]{43}");
    assertFails(() -> k.login("bot@example.com", old), ErrorCode.INVALID_CREDENTIALS);
    assertThat(k.login("bot@example.com", fresh).userId()).isEqualTo(userId(bot));
    assertThat(k.users().passwordHash(userId(bot)).orElseThrow()).startsWith("$hmac-sha256$");
    assertThat(k.audit().events(AuditEvent.PASSWORD_RESET)).singleElement()
        .satisfies(e -> assertThat(e.toString()).doesNotContain(fresh.reveal()));
    // The user's keys are untouched by a password reset.
    assertThat(k.authenticate(bot.defaultKey().secret()).userId()).isEqualTo(userId(bot));
  }

  @Test
  void resetPasswordWhenPersonThenOldArgon2PasswordFails() {
    UserService.CreatedUser ann = k.userService().create(k.owner(), person("ann@example.com", "ann's long password"));
    k.login("ann@example.com", Secret.of("ann's long password"));

    Secret fresh = k.userService().resetPassword(k.owner(), userId(ann));

    assertFails(() -> k.login("ann@example.com", Secret.of("ann's long password")), ErrorCode.INVALID_CREDENTIALS);
    assertThat(k.login("ann@example.com", fresh).userId()).isEqualTo(userId(ann));
    assertThat(Authenticator.INVALID_MESSAGE).doesNotContain("ann");
  }

  @Test
  void resetPasswordWhenAdminTargetsOwnerThenForbidden() {
    Actor admin = k.signedIn(k.createUser("admin@example.com", Roles.ADMIN));

    assertFails(() -> k.userService().resetPassword(admin, k.bootstrap().owner().id()), ErrorCode.FORBIDDEN);

    assertThat(k.owner().principal().roles()).containsExactly(Roles.OWNER);
    k.userService().resetPassword(admin, userId(k.createUser("bot@example.com")));
  }

  @Test
  void resetPasswordWhenAccountAlsoBelongsToAnotherTenantThenForbiddenToOthers() {
    // alice: admin in default, owner of acme. bob: an admin that alice made in acme.
    UserService.CreatedUser alice = k.createUser("alice@example.com", Roles.ADMIN);
    k.tenantService().create(k.owner(), "acme", "Acme", "alice@example.com");
    Actor aliceInAcme = k.signedInTo(alice, "acme");
    UserService.CreatedUser bob = k.userService().create(aliceInAcme, programmatic("bob@acme.test", Roles.ADMIN));

    // Were this allowed, bob would receive a password that opens alice's account in default too.
    assertFails(() -> k.userService().resetPassword(k.signedIn(bob), userId(alice)), ErrorCode.FORBIDDEN);
    assertFails(() -> k.userService().resetPassword(k.owner(), userId(alice)), ErrorCode.FORBIDDEN);

    assertThat(k.login("alice@example.com", alice.password(), "default").roles()).containsExactly(Roles.ADMIN);
  }

  @Test
  void resetPasswordWhenHolderSignedInWithPasswordThenAllowedEvenIfShared() {
    UserService.CreatedUser alice = k.createUser("alice@example.com", Roles.ADMIN);
    k.tenantService().create(k.owner(), "acme", "Acme", "alice@example.com");

    Secret fresh = k.userService().resetPassword(k.signedInTo(alice, "acme"), userId(alice));

    assertThat(k.login("alice@example.com", fresh, "default").userId()).isEqualTo(userId(alice));
    assertFails(() -> k.login("alice@example.com", alice.password(), "default"), ErrorCode.INVALID_CREDENTIALS);
  }
}
