package dev.keyward.core.auth;

import static dev.keyward.core.testing.KeywardAssertions.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.core.audit.AuditEvent;
import dev.keyward.core.error.ErrorCode;
import dev.keyward.core.error.KeywardException;
import dev.keyward.core.key.ApiKeyFormat;
import dev.keyward.core.key.Environment;
import dev.keyward.core.key.KeyService;
import dev.keyward.core.principal.Roles;
import dev.keyward.core.principal.UserService;
import dev.keyward.core.secret.Secret;
import dev.keyward.core.secret.SecretGenerator;
import dev.keyward.core.tenant.TenantService;
import dev.keyward.core.testing.TestKeyward;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** TIM-03, FMT-02, BAD-19: every refused credential gets one answer; garbage never reaches the store. */
class AuthenticatorTest {
  private final TestKeyward k = TestKeyward.start();

  private KeyService.IssuedKey newKey(String name) {
    return k.keyService().create(k.owner(), new KeyService.CreateKey(name, null, null, Environment.PRODUCTION, false, null));
  }

  private static List<String> header(String value) {
    return List.of(value);
  }

  private static String basicValue(String userAndPassword) {
    return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
  }

  // ---- one answer for every bad credential

  @Test
  void authenticateWhenKeyUnknownWrongRevokedOrExpiredThenSameInvalidCredentialsAnswer() {
    KeyService.IssuedKey revoked = newKey("revoked");
    k.keyService().revoke(k.owner(), revoked.key().id());
    KeyService.IssuedKey expiring = k.keyService().create(k.owner(),
        new KeyService.CreateKey("expiring", null, null, Environment.PRODUCTION, false, k.clock().instant().plus(Duration.ofHours(1))));
    k.authenticate(expiring.secret()); // works, and is cached
    k.clock().advance(Duration.ofHours(1));
    Secret neverIssued = ApiKeyFormat.generate(new SecretGenerator(), Environment.PRODUCTION);
    String valid = k.bootstrap().defaultKey().secret().reveal();
    char last = valid.charAt(valid.length() - 1);
    Secret badChecksum = Secret.of(valid.substring(0, valid.length() - 1) + (last == 'A' ? 'B' : 'A'));

    List<ThrowingCallable> refused = List.of(
        () -> k.authenticate(neverIssued),
        () -> k.authenticate(revoked.secret()),
        () -> k.authenticate(expiring.secret()),
        () -> k.authenticate(badChecksum),
        () -> k.authenticate(Secret.of("kw_live_short")),
        () -> k.authenticate(Secret.of("not-even-a-key")),
        () -> k.login(TestKeyward.OWNER_EMAIL, Secret.of("wrong password")),
        () -> k.login("nobody@example.com", Secret.of("any password")),
        () -> k.authenticator().authenticate(header(basicValue(valid + ":password")), null, null, TestKeyward.ISSUER),
        () -> k.authenticator().authenticate(header("Basic not*base64"), null, null, TestKeyward.ISSUER));
    List<KeywardException> failures = new ArrayList<>();
    for (ThrowingCallable call : refused) {
      failures.add(assertFails(call, ErrorCode.INVALID_CREDENTIALS));
    }

    assertThat(failures).extracting(KeywardException::publicMessage).containsOnly(Authenticator.INVALID_MESSAGE);
    // The exception text (for logs) adds only the reason kept for the verification API, never the credential.
    String unknown = Authenticator.INVALID_MESSAGE + " (reason=UNKNOWN)";
    assertThat(failures).extracting(KeywardException::getMessage).containsExactly(
        unknown, Authenticator.INVALID_MESSAGE + " (reason=REVOKED)", Authenticator.INVALID_MESSAGE + " (reason=EXPIRED)",
        unknown, unknown, unknown, unknown, unknown, unknown, unknown);
    assertThat(failures).extracting(KeywardException::field).containsOnlyNulls();
  }

  @Test
  void authenticateWhenExpiryPassesThenCachedKeyStopsAtThatInstant() {
    KeyService.IssuedKey expiring = k.keyService().create(k.owner(),
        new KeyService.CreateKey("expiring", null, null, Environment.PRODUCTION, false, k.clock().instant().plus(Duration.ofMinutes(10))));
    k.clock().advance(Duration.ofMinutes(10).minusMillis(1));
    assertThat(k.authenticate(expiring.secret()).keyId()).isEqualTo(expiring.key().id());

    k.clock().advance(Duration.ofMillis(1));

    assertFails(() -> k.authenticate(expiring.secret()), ErrorCode.INVALID_CREDENTIALS);
    assertThat(k.keys().findGrantCalls()).isEqualTo(1); // refused from the cache, by the clock
  }

  // ---- garbage never reaches the store (FMT-02, BAD-19)

  @Test
  void authenticateWhenKeyMalformedOrChecksumBadThenStoreNeverCalled() {
    String valid = k.bootstrap().defaultKey().secret().reveal();
    List<String> bad = new ArrayList<>();
    for (int i = 8; i < valid.length(); i += 7) {
      char c = valid.charAt(i);
      bad.add(valid.substring(0, i) + (c == 'x' ? 'y' : 'x') + valid.substring(i + 1)); // one-char typo
    }
    int t = 20;
    while (valid.charAt(t) == valid.charAt(t + 1)) {
      t++;
    }
    bad.add(valid.substring(0, t) + valid.charAt(t + 1) + valid.charAt(t) + valid.substring(t + 2)); // transposition
    bad.add("KW_TEST_" + valid.substring(8));
    bad.add("kw_live_" + valid.substring(8)); // relabelled environment
    bad.add(valid.substring(0, 56));
    bad.add(valid + "0");
    bad.add(valid.substring(0, 30) + "+/=" + valid.substring(33));
    bad.add("ghp_0123456789abcdefghijklmnopqrstuvwxyzAB");
    int before = k.keys().findGrantCalls();

    for (String key : bad) {
      assertFails(() -> k.authenticate(Secret.of(key)), ErrorCode.INVALID_CREDENTIALS);
      assertFails(() -> k.authenticator().authenticate(header(basicValue(key + ":")), null, null, TestKeyward.ISSUER), ErrorCode.INVALID_CREDENTIALS);
    }

    assertThat(k.keys().findGrantCalls()).isEqualTo(before).isZero();
  }

  @Test
  void authenticateWhenKeyWellFormedButUnknownThenOneStoreLookup() {
    Secret neverIssued = ApiKeyFormat.generate(new SecretGenerator(), Environment.SANDBOX);

    assertFails(() -> k.authenticate(neverIssued), ErrorCode.INVALID_CREDENTIALS);

    assertThat(k.keys().findGrantCalls()).isEqualTo(1);
  }

  // ---- key principal

  @Test
  void authenticateWhenValidKeyThenPrincipalOfItsOwnerAndUseRecorded() {
    KeyService.IssuedKey issued = newKey("ci");

    Principal p = k.authenticate(issued.secret());

    assertThat(p.userId()).isEqualTo(k.bootstrap().owner().id());
    assertThat(p.email()).isEqualTo(TestKeyward.OWNER_EMAIL);
    assertThat(p.tenantId()).isEqualTo(k.defaultTenantId());
    assertThat(p.tenantSlug()).isEqualTo("default");
    assertThat(p.credential()).isEqualTo(Principal.CredentialType.API_KEY);
    assertThat(p.keyId()).isEqualTo(issued.key().id());
    assertThat(p.environment()).isEqualTo(Environment.PRODUCTION);
    assertThat(p.roles()).containsExactly(Roles.OWNER);
    assertThat(p.adminKey()).isFalse();
    assertThat(p.isAdmin()).isFalse(); // an owner's ordinary key is not an admin credential
    assertThat(k.touchedKeys()).containsExactly(issued.key().id());
  }

  @Test
  void authenticateWhenKeyGivenAsBasicUserWithEmptyPasswordThenSameAsBearer() {
    Secret key = k.bootstrap().defaultKey().secret();

    Principal p = k.authenticator().authenticate(header(basicValue(key.reveal() + ":")), null, TestKeyward.IP, TestKeyward.ISSUER);

    assertThat(p).isEqualTo(k.authenticate(key));
  }

  // ---- tenants

  @Test
  void authenticateWhenUserInTwoTenantsWithoutSlugThenTenantRequired() {
    UserService.CreatedUser alice = k.createUser("alice@example.com", Roles.ADMIN);
    TenantService.CreatedTenant acme = k.tenantService().create(k.owner(), "acme", "Acme", "alice@example.com");

    assertFails(() -> k.login("alice@example.com", alice.password()), ErrorCode.TENANT_REQUIRED);

    Principal inDefault = k.login("alice@example.com", alice.password(), "default");
    Principal inAcme = k.login("alice@example.com", alice.password(), "acme");
    assertThat(inDefault.tenantId()).isEqualTo(k.defaultTenantId());
    assertThat(inDefault.roles()).containsExactly(Roles.ADMIN);
    assertThat(inAcme.tenantId()).isEqualTo(acme.tenant().id());
    assertThat(inAcme.roles()).containsExactly(Roles.OWNER);
    assertFails(() -> k.login("alice@example.com", alice.password(), "globex"), ErrorCode.FORBIDDEN);
  }

  @Test
  void authenticateWhenKeyUsedWithAnotherTenantsSlugThenForbidden() {
    k.tenantService().create(k.owner(), "acme", "Acme", "boss@acme.test");
    Secret key = k.bootstrap().defaultKey().secret();

    assertFails(() -> k.authenticate(key, "acme"), ErrorCode.FORBIDDEN);
    assertFails(() -> k.authenticate(key, "no-such-tenant"), ErrorCode.FORBIDDEN);
    assertThat(k.authenticate(key, "default").tenantSlug()).isEqualTo("default");
  }

  @Test
  void authenticateWhenPasswordUserInOneTenantAsksForAnotherThenForbidden() {
    k.tenantService().create(k.owner(), "acme", "Acme", "boss@acme.test");
    UserService.CreatedUser bot = k.createUser("bot@example.com");

    assertFails(() -> k.login("bot@example.com", bot.password(), "acme"), ErrorCode.FORBIDDEN);
  }

  // ---- passwords

  @Test
  void authenticateWhenEmailInOtherCaseOrNfdThenSameAccount() {
    UserService.CreatedUser ann = k.createUser("\u00e4nn@example.com");

    assertThat(k.login("\u00c4NN@EXAMPLE.COM", ann.password()).userId()).isEqualTo(ann.member().user().id());
    assertThat(k.login("a\u0308nn@example.com", ann.password()).userId()).isEqualTo(ann.member().user().id());
    assertFails(() -> k.login("\u0430nn@example.com", ann.password()), ErrorCode.INVALID_CREDENTIALS);
  }

  @Test
  void authenticateWhenPasswordIsNfdOfEnrolledNfcThenRefused() {
    // BAD-22: byte-exact passwords.
    k.userService().create(k.owner(), new UserService.CreateUser("p@example.com", "P", false, java.util.Set.of(), Secret.of("p\u00e4sswort-1")));

    assertThat(k.login("p@example.com", Secret.of("p\u00e4sswort-1")).email()).isEqualTo("p@example.com");
    assertFails(() -> k.login("p@example.com", Secret.of("pa\u0308sswort-1")), ErrorCode.INVALID_CREDENTIALS);
  }

  @Test
  void authenticateWhenWrongPasswordThenAuthFailedAuditedWithoutThePassword() {
    String attempt = "Wr0ng-Passw0rd-Attempt";

    assertFails(() -> k.authenticator().authenticate(TestKeyward.basic(TestKeyward.OWNER_EMAIL, attempt), null, "198.51.100.7", TestKeyward.ISSUER),
        ErrorCode.INVALID_CREDENTIALS);

    List<AuditEvent> failed = k.audit().events(AuditEvent.AUTH_FAILED);
    assertThat(failed).singleElement().satisfies(e -> {
      assertThat(e.tenantId()).isEqualTo(k.defaultTenantId());
      assertThat(e.subjectType()).isEqualTo("user");
      assertThat(e.subjectId()).isEqualTo(k.bootstrap().owner().id());
      assertThat(e.actorId()).isNull();
      assertThat(e.ip()).isEqualTo("198.51.100.7");
      assertThat(e.at()).isEqualTo(k.clock().instant());
      assertThat(e.toString()).doesNotContain(attempt).doesNotContain(TestKeyward.OWNER_PASSWORD.reveal());
    });
  }

  @Test
  void authenticateWhenUnknownEmailThenNoAuditEventForAnyone() {
    int before = k.audit().events().size();

    assertFails(() -> k.login("nobody@example.com", Secret.of("whatever-password")), ErrorCode.INVALID_CREDENTIALS);

    assertThat(k.audit().events()).hasSize(before);
  }

  @Test
  void authenticateWhenPasswordRightThenPasswordPrincipalIsAdminForOwner() {
    Principal p = k.login(TestKeyward.OWNER_EMAIL, TestKeyward.OWNER_PASSWORD);

    assertThat(p.credential()).isEqualTo(Principal.CredentialType.PASSWORD);
    assertThat(p.keyId()).isNull();
    assertThat(p.environment()).isNull();
    assertThat(p.isAdmin()).isTrue();
    assertThat(p.isDeploymentOwner(k.defaultTenantId())).isTrue();
  }

  // ---- cache

  @Test
  void authenticateWhenSameKeyTwiceThenStoreCalledOnceUntilChanged() {
    Secret key = k.bootstrap().defaultKey().secret();

    k.authenticate(key);
    k.authenticate(key);
    assertThat(k.keys().findGrantCalls()).isEqualTo(1);

    k.authenticator().changed();
    k.authenticate(key);
    assertThat(k.keys().findGrantCalls()).isEqualTo(2);
  }

  @Test
  void authenticateWhenCachedKeyUsedAgainThenEachUseStillRecorded() {
    Secret key = k.bootstrap().defaultKey().secret();

    k.authenticate(key);
    k.authenticate(key);

    assertThat(k.touchedKeys()).hasSize(2);
  }

  @Test
  void authenticateWhenCachedLoginAndWrongPasswordThenStillRefused() {
    k.login(TestKeyward.OWNER_EMAIL, TestKeyward.OWNER_PASSWORD); // cached

    assertFails(() -> k.login(TestKeyward.OWNER_EMAIL, Secret.of("owner-password-0124")), ErrorCode.INVALID_CREDENTIALS);
    assertFails(() -> k.login("other@example.com", TestKeyward.OWNER_PASSWORD), ErrorCode.INVALID_CREDENTIALS);
  }

  @Test
  void authenticateWhenNoHeaderThenUnauthenticatedNotInvalidCredentials() {
    assertFails(() -> k.authenticator().authenticate(List.of(), null, null, TestKeyward.ISSUER), ErrorCode.UNAUTHENTICATED);
    assertFails(() -> k.authenticator().authenticate(header("Digest abc"), null, null, TestKeyward.ISSUER), ErrorCode.UNAUTHENTICATED);
    assertThat(k.keys().findGrantCalls()).isZero();
  }
}
