package dev.keyward.core.tenant;

import static dev.keyward.core.testing.KeywardAssertions.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.core.audit.AuditEvent;
import dev.keyward.core.auth.Actor;
import dev.keyward.core.auth.Principal;
import dev.keyward.core.error.ErrorCode;
import dev.keyward.core.key.Environment;
import dev.keyward.core.key.KeyService;
import dev.keyward.core.principal.Roles;
import dev.keyward.core.principal.UserService;
import dev.keyward.core.secret.Secret;
import dev.keyward.core.testing.TestKeyward;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TenantServiceTest {

  @Test
  void bootstrapWhenStoreEmptyThenCreatesDefaultTenantOwnerAndDefaultKey() {
    TestKeyward k = TestKeyward.empty();

    TenantService.Bootstrap b = k.tenantService().bootstrap("Owner@Example.com", TestKeyward.OWNER_PASSWORD).orElseThrow();

    assertThat(b.tenant().slug()).isEqualTo(Tenant.DEFAULT_SLUG);
    assertThat(b.owner().email()).isEqualTo("owner@example.com");
    assertThat(b.owner().programmatic()).isFalse();
    assertThat(b.generatedPassword()).isNull();
    assertThat(k.users().findMember(b.tenant().id(), b.owner().id()).orElseThrow().roles()).containsExactly(Roles.OWNER);
    assertThat(k.roles().names(b.tenant().id())).containsExactlyInAnyOrderElementsOf(Roles.BUILT_IN);
    assertThat(b.defaultKey().key().name()).isEqualTo(KeyService.DEFAULT_KEY_NAME);
    assertThat(b.defaultKey().key().environment()).isEqualTo(Environment.SANDBOX);
    assertThat(k.users().passwordHash(b.owner().id()).orElseThrow()).startsWith("$argon2id$");
    assertThat(k.audit().events(AuditEvent.TENANT_CREATED)).hasSize(1);
    assertThat(k.audit().events(AuditEvent.USER_CREATED)).hasSize(1);

    Principal byPassword = k.login("owner@example.com", TestKeyward.OWNER_PASSWORD);
    Principal byKey = k.authenticate(b.defaultKey().secret());
    assertThat(byPassword.roles()).containsExactly(Roles.OWNER);
    assertThat(byPassword.isDeploymentOwner(b.tenant().id())).isTrue();
    assertThat(byKey.userId()).isEqualTo(b.owner().id());
  }

  @Test
  void bootstrapWhenAlreadyDoneThenReturnsNothingAndChangesNothing() {
    TestKeyward k = TestKeyward.start();
    int events = k.audit().events().size();

    Optional<TenantService.Bootstrap> again = k.tenantService().bootstrap("other@example.com", Secret.of("another-password"));

    assertThat(again).isEmpty();
    assertThat(k.tenants().list()).hasSize(1);
    assertThat(k.users().findByEmail("other@example.com")).isEmpty();
    assertThat(k.users().listMembers(k.defaultTenantId())).hasSize(1);
    assertThat(k.keys().list(k.defaultTenantId(), null)).hasSize(1);
    assertThat(k.audit().events()).hasSize(events);
  }

  @Test
  void bootstrapWhenNoPasswordGivenThenGeneratedPasswordShownOnceAndWorks() {
    TestKeyward k = TestKeyward.empty();

    TenantService.Bootstrap b = k.tenantService().bootstrap("root@example.com", null).orElseThrow();

    Secret generated = b.generatedPassword();
    assertThat(generated).isNotNull();
    assertThat(generated.reveal()).matches("[0-9A-Za-z]{43}");
    assertThat(k.users().passwordHash(b.owner().id()).orElseThrow()).startsWith("$hmac-sha256$").doesNotContain(generated.reveal());
    assertThat(k.login("root@example.com", generated).userId()).isEqualTo(b.owner().id());
    assertThat(b.toString()).doesNotContain(generated.reveal()).doesNotContain(b.defaultKey().secret().reveal());
  }

  @Test
  void bootstrapWhenPasswordTooShortThenInvalidRequestAndNothingCreated() {
    TestKeyward k = TestKeyward.empty();

    assertThat(assertFails(() -> k.tenantService().bootstrap("root@example.com", Secret.of("1234567")), ErrorCode.INVALID_REQUEST)
        .field()).isEqualTo("password");
    assertThat(k.tenants().list()).isEmpty();
  }

  @Test
  void bootstrapWhenEmailInvalidThenInvalidRequestNamingSetting() {
    TestKeyward k = TestKeyward.empty();

    assertThat(assertFails(() -> k.tenantService().bootstrap("not-an-email", null), ErrorCode.INVALID_REQUEST).field())
        .isEqualTo("KEYWARD_ADMIN_EMAIL");
  }

  @Test
  void createWhenDeploymentOwnerAndNewEmailThenTenantOwnerWithSecretsShownOnce() {
    TestKeyward k = TestKeyward.start();
    k.clock().advance(java.time.Duration.ofMinutes(1));

    TenantService.CreatedTenant acme = k.tenantService().create(k.owner(), "acme", "Acme Inc.", "boss@acme.test");

    assertThat(acme.tenant().slug()).isEqualTo("acme");
    assertThat(acme.owner().roles()).containsExactly(Roles.OWNER);
    assertThat(acme.generatedPassword()).isNotNull();
    assertThat(acme.defaultKey()).isNotNull();
    assertThat(k.roles().names(acme.tenant().id())).containsExactlyInAnyOrderElementsOf(Roles.BUILT_IN);
    Principal boss = k.login("boss@acme.test", acme.generatedPassword());
    assertThat(boss.tenantSlug()).isEqualTo("acme");
    assertThat(boss.isAdmin()).isTrue();
    assertThat(boss.isDeploymentOwner(k.defaultTenantId())).isFalse();
    assertThat(k.authenticate(acme.defaultKey().secret()).tenantId()).isEqualTo(acme.tenant().id());
    assertThat(k.tenantService().list(k.owner())).extracting(Tenant::slug).containsExactly("default", "acme");
  }

  @Test
  void createWhenOwnerEmailAlreadyHasAccountThenMembershipAddedWithoutNewSecrets() {
    TestKeyward k = TestKeyward.start();
    UserService.CreatedUser alice = k.createUser("alice@example.com");

    TenantService.CreatedTenant acme = k.tenantService().create(k.owner(), "acme", "Acme", "ALICE@example.com");

    assertThat(acme.owner().user().id()).isEqualTo(alice.member().user().id());
    assertThat(acme.generatedPassword()).isNull();
    assertThat(acme.defaultKey()).isNull();
    assertThat(k.login("alice@example.com", alice.password(), "acme").roles()).containsExactly(Roles.OWNER);
    assertThat(k.login("alice@example.com", alice.password(), "default").roles()).isEmpty();
  }

  @Test
  void createWhenSlugTakenThenConflict() {
    TestKeyward k = TestKeyward.start();
    k.tenantService().create(k.owner(), "acme", "Acme", "a@acme.test");

    assertFails(() -> k.tenantService().create(k.owner(), "acme", "Acme again", "b@acme.test"), ErrorCode.CONFLICT);
    assertFails(() -> k.tenantService().create(k.owner(), "default", "Default again", "c@acme.test"), ErrorCode.CONFLICT);
    assertThat(k.users().findByEmail("b@acme.test")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Acme", "-acme", "acme-", "ac_me", "ac.me", "acmé", "a b",
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
  void createWhenSlugInvalidThenInvalidRequest(String slug) {
    TestKeyward k = TestKeyward.start();

    assertThat(assertFails(() -> k.tenantService().create(k.owner(), slug, "Name", "x@acme.test"), ErrorCode.INVALID_REQUEST)
        .field()).isEqualTo("slug");
  }

  @Test
  void createWhenCallerIsNotDeploymentOwnerThenForbidden() {
    TestKeyward k = TestKeyward.start();
    UserService.CreatedUser admin = k.createUser("admin@example.com", Roles.ADMIN);
    TenantService.CreatedTenant acme = k.tenantService().create(k.owner(), "acme", "Acme", "boss@acme.test");
    Actor acmeOwner = TestKeyward.actor(k.login("boss@acme.test", acme.generatedPassword()));
    Actor ownerWithPlainKey = k.withKey(k.bootstrap().defaultKey().secret());

    for (Actor actor : new Actor[] {k.signedIn(admin), acmeOwner, ownerWithPlainKey}) {
      assertFails(() -> k.tenantService().create(actor, "other", "Other", "o@other.test"), ErrorCode.FORBIDDEN);
      assertFails(() -> k.tenantService().list(actor), ErrorCode.FORBIDDEN);
    }
    assertThat(k.tenants().findBySlug("other")).isEmpty();
  }

  @Test
  void createWhenOwnerEmailInvalidThenInvalidRequestNamingField() {
    TestKeyward k = TestKeyward.start();

    assertThat(assertFails(() -> k.tenantService().create(k.owner(), "acme", "Acme", "boss at acme"), ErrorCode.INVALID_REQUEST)
        .field()).isEqualTo("ownerEmail");
  }

  @Test
  void createWhenOwnerHasAdminKeyThenAllowed() {
    TestKeyward k = TestKeyward.start();
    KeyService.IssuedKey adminKey = k.keyService().create(k.owner(),
        new KeyService.CreateKey("ops", null, null, Environment.PRODUCTION, true, null));

    TenantService.CreatedTenant created = k.tenantService().create(k.withKey(adminKey.secret()), "ops", "Ops", "ops@ops.test");

    assertThat(created.tenant().slug()).isEqualTo("ops");
    assertThat(k.authenticate(adminKey.secret()).isAdmin()).isTrue();
  }
}
