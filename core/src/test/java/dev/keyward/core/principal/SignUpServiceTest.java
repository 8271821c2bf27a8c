package dev.keyward.core.principal;

import static dev.keyward.core.testing.KeywardAssertions.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.core.audit.AuditEvent;
import dev.keyward.core.auth.Principal;
import dev.keyward.core.authz.RateLimit;
import dev.keyward.core.error.ErrorCode;
import dev.keyward.core.error.KeywardException;
import dev.keyward.core.key.Environment;
import dev.keyward.core.key.KeyService;
import dev.keyward.core.secret.Secret;
import dev.keyward.core.tenant.TenantService;
import dev.keyward.core.testing.TestKeyward;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SignUpServiceTest {
  private static final Secret PASSWORD = Secret.of("chosen password 1");
  private static final RateLimit THREE_PER_HOUR = new RateLimit(3, 3600);

  private final TestKeyward k = TestKeyward.start();
  private final SignUpService signUps = k.signUpService(THREE_PER_HOUR);

  private void open(String slug, boolean open) {
    k.tenantService().updateSettings(k.owner(), slug, new TenantService.SettingsChange(null, null, null, open));
  }

  private static SignUpService.SignUp person(String email) {
    return new SignUpService.SignUp(email, "Sam", PASSWORD, null);
  }

  @Test
  void signUpWhenTenantClosedThenForbiddenAndIsOpenFalse() {
    assertThat(signUps.isOpen(null)).isFalse();
    KeywardException e = assertFails(() -> signUps.signUp(person("sam@example.com"), "192.0.2.1"), ErrorCode.FORBIDDEN);
    assertThat(e.publicMessage()).contains("does not take sign-ups");
    assertFails(() -> signUps.signUp(new SignUpService.SignUp("sam@example.com", "Sam", PASSWORD, "nope"), "192.0.2.1"),
        ErrorCode.FORBIDDEN);
  }

  @Test
  void signUpWhenOpenThenPersonWithoutRolesSignsInWithOwnPasswordAndHasSandboxDefaultKey() {
    open("default", true);
    assertThat(signUps.isOpen(null)).isTrue();
    assertThat(signUps.isOpen("default")).isTrue();
    SignUpService.SignedUp done = signUps.signUp(person("Sam@Example.com"), "192.0.2.1");
    assertThat(done.member().user().email()).isEqualTo("sam@example.com");
    assertThat(done.member().user().programmatic()).isFalse();
    assertThat(done.member().roles()).isEmpty();
    assertThat(done.principal().credential()).isEqualTo(Principal.CredentialType.PASSWORD);
    assertThat(done.defaultKey().key().name()).isEqualTo(KeyService.DEFAULT_KEY_NAME);
    assertThat(done.defaultKey().key().environment()).isEqualTo(Environment.SANDBOX);
    assertThat(k.authenticate(done.defaultKey().secret()).userId()).isEqualTo(done.member().user().id());
    Principal login = k.login("sam@example.com", PASSWORD);
    assertThat(login.roles()).isEmpty();
    assertThat(login.tenantSlug()).isEqualTo("default");
    assertThat(k.audit().events(AuditEvent.USER_CREATED)).anyMatch(e -> "sign-up".equals(e.detail())
        && done.member().user().id().equals(e.actorId()) && "192.0.2.1".equals(e.ip()));
  }

  @Test
  void signUpWhenEmailTakenThenConflictAndCounted() {
    open("default", true);
    signUps.signUp(person("dup@example.com"), "192.0.2.1");
    assertFails(() -> signUps.signUp(person("DUP@example.com"), "192.0.2.1"), ErrorCode.CONFLICT);
    assertFails(() -> signUps.signUp(person(TestKeyward.OWNER_EMAIL), "192.0.2.1"), ErrorCode.CONFLICT);
    KeywardException limited = assertFails(() -> signUps.signUp(person("fourth@example.com"), "192.0.2.1"), ErrorCode.RATE_LIMITED);
    assertThat(limited.retryAfter()).isNotNull().isPositive().isLessThanOrEqualTo(Duration.ofHours(1));
  }

  @Test
  void signUpWhenLimitReachedThenOnlyThatAddressWaitsForTheNextWindow() {
    open("default", true);
    for (int i = 0; i < 3; i++) {
      signUps.signUp(person("a" + i + "@example.com"), "192.0.2.1");
    }
    assertFails(() -> signUps.signUp(person("a3@example.com"), "192.0.2.1"), ErrorCode.RATE_LIMITED);
    signUps.signUp(person("b0@example.com"), "192.0.2.2");
    signUps.signUp(person("u0@example.com"), null);
    k.clock().advance(Duration.ofHours(1));
    signUps.signUp(person("a3@example.com"), "192.0.2.1");
  }

  @Test
  void signUpWhenInputBadThenBadRequestNamingFieldAndNothingCounted() {
    open("default", true);
    for (int i = 0; i < 5; i++) {
      assertThat(assertFails(() -> signUps.signUp(new SignUpService.SignUp("x@example.com", "X", Secret.of("short"), null), "192.0.2.1"),
          ErrorCode.INVALID_REQUEST).field()).isEqualTo("password");
      assertThat(assertFails(() -> signUps.signUp(person("not an email"), "192.0.2.1"), ErrorCode.INVALID_REQUEST).field()).isEqualTo("email");
      assertThat(assertFails(() -> signUps.signUp(new SignUpService.SignUp("x@example.com", " ", PASSWORD, null), "192.0.2.1"),
          ErrorCode.INVALID_REQUEST).field()).isEqualTo("name");
    }
    for (int i = 0; i < 3; i++) {
      signUps.signUp(person("ok" + i + "@example.com"), "192.0.2.1");
    }
  }

  @Test
  void signUpWhenOtherTenantOpenThenJoinsThatTenantOnly() {
    k.tenantService().create(k.owner(), "acme", "Acme", "ops@acme.example");
    open("acme", true);
    assertThat(signUps.isOpen(null)).isFalse();
    SignUpService.SignedUp done = signUps.signUp(new SignUpService.SignUp("dev@acme.example", "Dev", PASSWORD, "acme"), "192.0.2.1");
    assertThat(done.principal().tenantSlug()).isEqualTo("acme");
    assertThat(k.login("dev@acme.example", PASSWORD).tenantSlug()).isEqualTo("acme");
  }
}
