package dev.keyward.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.keyward.client.model.AuditEvent;
import dev.keyward.client.model.AuditQuery;
import dev.keyward.client.model.Callers;
import dev.keyward.client.model.ChangedKey;
import dev.keyward.client.model.CreatedKey;
import dev.keyward.client.model.CreatedUser;
import dev.keyward.client.model.DataAccess;
import dev.keyward.client.model.Environment;
import dev.keyward.client.model.Key;
import dev.keyward.client.model.KeyChange;
import dev.keyward.client.model.Me;
import dev.keyward.client.model.NewKey;
import dev.keyward.client.model.NewUser;
import dev.keyward.client.model.RateLimit;
import dev.keyward.client.model.Role;
import dev.keyward.client.model.User;
import dev.keyward.client.model.UserChange;
import dev.keyward.client.model.Verification;
import dev.keyward.client.model.VerifyRequest;
import dev.keyward.server.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admin API through the typed calls, against a real server: users, keys, roles, audit and
 * verification, and each kind of refusal as its exception with the server's code and message.
 */
class AdminApiIT {
  static TestServer server;
  static Servers.Account admin;
  static KeywardClient keyward;
  static String adminKey;

  @BeforeAll
  static void start() {
    server = Servers.start(Duration.ofMinutes(5), Duration.ofMinutes(5));
    admin = Servers.programmatic(server, "admin");
    adminKey = Servers.adminKey(server, admin);
    keyward = Keyward.client(server.http().base()).apiKey(adminKey).build();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String email() {
    return "u-" + UUID.randomUUID().toString().substring(0, 8) + "@acme.example";
  }

  @Test
  void meWhenSignedInWithKeyThenUserTenantAndTokenCredential() {
    Me me = keyward.me();
    assertThat(me.userId()).isEqualTo(admin.id());
    assertThat(me.email()).isEqualTo(admin.email());
    assertThat(me.tenant().slug()).isEqualTo("default");
    assertThat(me.roles()).containsExactly("admin");
    assertThat(me.credential().type()).isEqualTo("access_token");
  }

  @Test
  void usersWhenCreatedListedChangedResetUnlockedAndDeletedThenEachAnswerTyped() {
    String email = email();
    CreatedUser bot = keyward.users().create(NewUser.programmatic(email, "Billing bot").withRoles("admin"));
    assertThat(bot.user().email()).isEqualTo(email);
    assertThat(bot.user().programmatic()).isTrue();
    assertThat(bot.user().roles()).containsExactly("admin");
    assertThat(bot.generatedPassword()).isPresent();
    assertThat(bot.defaultKey().reveal()).startsWith("kw_test_");
    assertThat(bot.defaultKeyId()).startsWith("key_");
    assertThat(bot.toString()).doesNotContain(bot.defaultKey().reveal()).doesNotContain(bot.password().reveal());

    assertThat(keyward.users().list()).extracting(User::id).contains(bot.id(), admin.id());
    assertThat(keyward.users().get(bot.id()).name()).isEqualTo("Billing bot");
    User changed = keyward.users().update(bot.id(), UserChange.name("Invoices bot").withRoles());
    assertThat(changed.name()).isEqualTo("Invoices bot");
    assertThat(changed.roles()).isEmpty();

    Secret fresh = keyward.users().resetPassword(bot.id());
    assertThat(fresh).isNotEqualTo(bot.password());
    KeywardClient asBot = Keyward.client(server.http().base()).basic(email, fresh.reveal()).build();
    assertThat(asBot.me().userId()).as("the new password signs in").isEqualTo(bot.id());
    assertThat(keyward.users().unlock(bot.id()).locked()).isFalse();

    CreatedUser person = keyward.users().create(NewUser.person(email(), "Pat").withPassword(Secret.of("a long enough password")));
    assertThat(person.generatedPassword()).isEmpty();

    keyward.users().delete(bot.id());
    NotFoundException gone = catchThrowableOfType(NotFoundException.class, () -> keyward.users().get(bot.id()));
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.error()).isEqualTo("not_found");
    assertThat(gone.serverMessage()).isNotBlank();
    assertThat(gone.requestId()).isPresent();
  }

  @Test
  void keysWhenCreatedWithOptionsChangedRolledAndRevokedThenEachAnswerTyped() {
    Instant expiry = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    CreatedKey created = keyward.keys().create(NewKey.named("ci-" + UUID.randomUUID())
        .withEnvironment(Environment.PRODUCTION).withExpiry(expiry).withResources("algo://acme/*", "algo://acme/resize/*")
        .withDataAccess(DataAccess.READ).withCallers(Callers.browsers(true, "app.acme.example"))
        .withIpAllowlist("10.0.0.0/8").withRateLimit(RateLimit.of(100, Duration.ofMinutes(1))).withQuota(1000));
    Key key = created.key();
    assertThat(created.secret().reveal()).startsWith("kw_live_");
    assertThat(created.toString()).doesNotContain(created.secret().reveal());
    assertThat(created.warnings()).singleElement().asString().contains("algo://acme/resize/*");
    assertThat(key.environment()).isEqualTo(Environment.PRODUCTION);
    assertThat(key.expiresAt()).isEqualTo(expiry);
    assertThat(key.access().dataAccess()).isEqualTo(DataAccess.READ);
    assertThat(key.access().callers()).isEqualTo(new Callers(true, true, List.of("app.acme.example")));
    assertThat(key.access().rateLimit()).isEqualTo(new RateLimit(100, 60));
    assertThat(key.access().quota()).isEqualTo(1000L);
    assertThat(key.roles()).as("the owner's roles").isNull();

    assertThat(keyward.keys().list()).extracting(Key::id).contains(key.id());
    assertThat(keyward.keys().listOf(admin.id())).extracting(Key::id).contains(key.id(), admin.keyId());
    KeywardClient plainKey = Keyward.client(server.http().base()).apiKey(admin.key()).build();
    ForbiddenException notAdminKey = catchThrowableOfType(ForbiddenException.class, () -> plainKey.users().list());
    assertThat(notAdminKey.serverMessage()).contains("needs an admin key");
    assertThat(keyward.keys().get(key.id()).start()).isEqualTo(created.secret().reveal().substring(0, 12));

    ChangedKey changed = keyward.keys().update(key.id(), KeyChange.none().withName("renamed-" + UUID.randomUUID())
        .withoutExpiry().withoutRateLimit().withoutQuota().withResources("algo://acme/*"));
    assertThat(changed.key().expiresAt()).isNull();
    assertThat(changed.key().access().rateLimit()).isNull();
    assertThat(changed.key().access().quota()).isNull();
    assertThat(changed.warnings()).isEmpty();

    CreatedKey rolled = keyward.keys().roll(key.id(), Duration.ofMinutes(10));
    assertThat(rolled.id()).isEqualTo(key.id());
    assertThat(rolled.secret()).isNotEqualTo(created.secret());
    assertThat(rolled.key().previousSecretExpiresAt()).isNotNull();

    Key revoked = keyward.keys().revoke(key.id());
    assertThat(revoked.revoked()).isTrue();
    ConflictException again = catchThrowableOfType(ConflictException.class, () -> keyward.keys().revoke(key.id()));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.error()).isEqualTo("already_revoked");
  }

  @Test
  void createKeyWhenBadOptionThenInvalidRequestNamingTheField() {
    InvalidRequestException bad = catchThrowableOfType(InvalidRequestException.class,
        () -> keyward.keys().create(NewKey.named("bad-ip").withIpAllowlist("not-a-cidr")));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.field()).contains("ipAllowlist[0]");
    assertThat(bad.serverMessage()).contains("not-a-cidr");
    assertThat(bad.getMessage()).contains("HTTP 400 " + bad.error());

    InvalidRequestException expired = catchThrowableOfType(InvalidRequestException.class,
        () -> keyward.keys().create(NewKey.named("past").withExpiry(Instant.parse("2001-01-01T00:00:00Z"))));
    assertThat(expired.field()).contains("expiresAt");
  }

  @Test
  void rolesWhenCreatedChangedAndDeletedThenTypedAndConflictsTyped() {
    String name = "verifier-" + UUID.randomUUID().toString().substring(0, 6);
    Role role = keyward.roles().create(name, List.of("keyward:verify"), "Services that verify calls");
    assertThat(role).isEqualTo(new Role(name, List.of("keyward:verify"), "Services that verify calls", false, List.of()));
    assertThat(keyward.roles().list()).extracting(Role::name).contains("owner", "admin", name);
    assertThat(keyward.roles().get("owner").builtIn()).isTrue();
    assertThat(keyward.roles().update(name, List.of("keyward:verify", "reports:read"), null).permissions())
        .containsExactly("keyward:verify", "reports:read");

    ForbiddenException refused = catchThrowableOfType(ForbiddenException.class, () -> keyward.roles().update("owner", List.of("x:y"), null));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.serverMessage()).isEqualTo("The built-in role 'owner' cannot be changed");

    KeywardException duplicate = catchThrowableOfType(ConflictException.class,
        () -> keyward.roles().create(name, List.of("a:b"), null));
    assertThat(duplicate.status()).isEqualTo(409);

    keyward.roles().delete(name);
    assertThat(catchThrowableOfType(NotFoundException.class, () -> keyward.roles().get(name))).isNotNull();
  }

  @Test
  void auditWhenKeyCreatedThenEventListedWithFilters() {
    CreatedKey created = keyward.keys().create(NewKey.named("audited-" + UUID.randomUUID()));
    List<AuditEvent> events = keyward.audit(AuditQuery.all().withEvent("key.created").withSubject(created.id()).withLimit(5));
    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.event()).isEqualTo("key.created");
      assertThat(e.actorId()).isEqualTo(admin.id());
      assertThat(e.subjectType()).isEqualTo("key");
      assertThat(e.at()).isBefore(Instant.now().plusSeconds(1));
    });
    assertThat(keyward.audit(AuditQuery.all().since(Instant.now().plusSeconds(3600)))).isEmpty();

    InvalidRequestException bad = catchThrowableOfType(InvalidRequestException.class,
        () -> keyward.audit(AuditQuery.all().withLimit(0)));
    assertThat(bad.status()).isEqualTo(400);
  }

  @Test
  void verifyWhenServiceAsksAboutCredentialsThenDecisionsAsValues() {
    String role = "verifier-" + UUID.randomUUID().toString().substring(0, 6);
    keyward.roles().create(role, List.of("keyward:verify"), null);
    CreatedUser service = keyward.users().create(NewUser.programmatic(email(), "Verifier").withRoles(role));
    KeywardClient verifier = Keyward.client(server.http().base()).apiKey(service.defaultKey()).build();

    Verification ok = verifier.verify(VerifyRequest.permission("Bearer " + service.defaultKey().reveal(), "keyward:verify"));
    assertThat(ok.valid()).isTrue();
    assertThat(ok.code()).isEqualTo("VALID");
    assertThat(ok.principal().userId()).isEqualTo(service.id());
    assertThat(ok.principal().environment()).isEqualTo(Environment.SANDBOX);

    Verification unknown = verifier.verify(VerifyRequest.permission("Bearer kw_test_unknown", "keyward:verify"));
    assertThat(unknown.valid()).isFalse();
    assertThat(unknown.code()).isEqualTo("NOT_FOUND");
    assertThat(unknown.principal()).isNull();

    Verification explained = verifier.explain(VerifyRequest.permission(admin.key(), "reports:read").withIp("10.1.2.3"));
    assertThat(explained.rules()).isNotEmpty();
    assertThat(VerifyRequest.permission(admin.key(), "x:y").toString()).doesNotContain(admin.key());

    CreatedUser plain = keyward.users().create(NewUser.programmatic(email(), "Plain"));
    KeywardClient asPlain = Keyward.client(server.http().base()).apiKey(plain.defaultKey()).build();
    ForbiddenException notAllowed = catchThrowableOfType(ForbiddenException.class,
        () -> asPlain.verify(VerifyRequest.permission(admin.key(), "x:y")));
    assertThat(notAllowed.status()).isEqualTo(403);
    assertThat(notAllowed.error()).isEqualTo("forbidden");
    assertThat(notAllowed.serverMessage()).contains("keyward:verify");
  }

  @Test
  void callWhenNotAnAdminThenForbiddenException() {
    CreatedUser plain = keyward.users().create(NewUser.programmatic(email(), "Plain"));
    KeywardClient asPlain = Keyward.client(server.http().base()).apiKey(plain.defaultKey()).build();
    ForbiddenException e = catchThrowableOfType(ForbiddenException.class, () -> asPlain.users().list());
    assertThat(e.status()).isEqualTo(403);
    assertThat(e.error()).isEqualTo("forbidden");
    assertThat(e.serverMessage()).isEqualTo("The admin API needs the owner or admin role");
    assertThat(asPlain.keys().list()).extracting(Key::id).containsExactly(plain.defaultKeyId());
  }
}
