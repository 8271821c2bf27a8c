package dev.keyward.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyward.core.auth.LockoutPolicy;
import dev.keyward.server.cli.Main;
import dev.keyward.server.testing.TestHttp;
import dev.keyward.server.testing.TestHttp.Auth;
import dev.keyward.server.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Account lockout over HTTP with a threshold of 3 (KC-01, KC-02, KC-08, KC-09, KC-11, KC-13,
 * ASVS-03): 423 {@code account_locked} with {@code Retry-After} on the API, {@code invalid_grant}
 * on the token endpoint, API keys unaffected, admin and CLI unlock, audit; and, on servers of their
 * own, the quick-login check (KC-05) and permanent locks after temporary ones (KC-07).
 */
class LockoutIT {
  static final int N = 3;
  static TestServer server;
  static TestHttp http;
  static Auth owner;

  @BeforeAll
  static void start() {
    server = TestServer.start(c -> c.withLockout(
        new LockoutPolicy(N, Duration.ofMinutes(15), Duration.ofMinutes(15), LockoutPolicy.Mode.TEMPORARY)));
    http = server.http();
    owner = server.owner();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static void wrongPasswords(String email, int times) {
    for (int i = 0; i < times; i++) {
      TestHttp.Response r = http.get("/api/v1/me", Auth.basic(email, "wrong password " + i));
      assertThat(r.status()).as(r.body()).isEqualTo(401);
    }
  }

  static TestHttp.Response passwordGrant(String email, String password) {
    return http.send("POST", "/api/v1/token", Auth.NONE,
        "grant_type=password&username=" + enc(email) + "&password=" + enc(password), "application/x-www-form-urlencoded");
  }

  static String enc(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  @Nested
  class Locked {
    @Test
    void meWhenThresholdReachedThenRightPasswordGets423AccountLocked() {
      Fixtures.NewUser bot = Fixtures.programmatic(http, owner);
      wrongPasswords(bot.email(), N);
      Instant after = Instant.now();
      TestHttp.Response r = http.get("/api/v1/me", bot.basic());
      assertThat(r.status()).as(r.body()).isEqualTo(423);
      assertThat(r.header("content-type")).isEqualTo(Fixtures.JSON_TYPE);
      assertThat(r.error()).isEqualTo("account_locked");
      assertThat(r.text("message")).contains("locked").contains("until ");
      assertThat(r.json().path("request_id").asText()).isNotBlank();
      assertThat(r.body()).doesNotContain(Objects.requireNonNull(bot.password()));
      // a wrong password while locked gets the same answer and does not count
      assertThat(http.get("/api/v1/me", Auth.basic(bot.email(), "another guess")).status()).isEqualTo(423);
      JsonNode view = http.get("/api/v1/users/" + bot.id(), owner).json();
      assertThat(view.path("locked").asBoolean()).isTrue();
      Instant until = Instant.parse(view.path("lockedUntil").asText());
      assertThat(until).isAfter(after.plus(Duration.ofMinutes(14))).isBefore(after.plus(Duration.ofMinutes(16)));
      // RFC 9110 §10.2.3: whole seconds until the lock ends.
      long retryAfter = Long.parseLong(Objects.requireNonNull(r.header("retry-after")));
      assertThat(retryAfter).isBetween(895L, 900L);
    }

    @Test
    void tokenWhenLockedThenInvalidGrantTheAccountIsLocked() {
      Fixtures.NewUser bot = Fixtures.programmatic(http, owner);
      assertThat(passwordGrant(bot.email(), bot.password()).status()).isEqualTo(200);
      // Failures on the token endpoint and on Basic share one counter (ASVS-03).
      assertThat(passwordGrant(bot.email(), "wrong").error()).isEqualTo("invalid_grant");
      wrongPasswords(bot.email(), N - 1);
      TestHttp.Response r = passwordGrant(bot.email(), Objects.requireNonNull(bot.password()));
      assertThat(r.status()).as(r.body()).isEqualTo(400);
      assertThat(r.header("content-type")).isEqualTo(Fixtures.JSON_TYPE);
      assertThat(r.header("cache-control")).isEqualTo("no-store");
      assertThat(Fixtures.fields(r.json())).isEqualTo(Fixtures.set("error", "error_description", "request_id"));
      assertThat(r.error()).isEqualTo("invalid_grant");
      assertThat(r.text("error_description")).isEqualTo("The account is locked");
      TestHttp.Response cc = http.send("POST", "/api/v1/token", Auth.basic(bot.email(), bot.password()),
          "grant_type=client_credentials", "application/x-www-form-urlencoded");
      assertThat(cc.status()).as(cc.body()).isEqualTo(400);
      assertThat(cc.text("error_description")).isEqualTo("The account is locked");
    }

    @Test
    void meWhenLockedThenApiKeyStillWorks() {
      Fixtures.NewUser bot = Fixtures.programmatic(http, owner);
      wrongPasswords(bot.email(), N);
      assertThat(http.get("/api/v1/me", bot.basic()).status()).isEqualTo(423);
      TestHttp.Response r = http.get("/api/v1/me", bot.key());
      assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    @Test
    void meWhenEmailCaseDiffersThenSameCounter() {
      Fixtures.NewUser bot = Fixtures.programmatic(http, owner);
      wrongPasswords(bot.email().toUpperCase(java.util.Locale.ROOT), N);
      assertThat(http.get("/api/v1/me", bot.basic()).status()).isEqualTo(423);
    }

    @Test
    void meWhenFailuresAlternateWithSuccessThenNeverLocked() {
      Fixtures.NewUser bot = Fixtures.programmatic(http, owner);
      for (int i = 0; i < 3; i++) {
        wrongPasswords(bot.email(), N - 1);
        assertThat(http.get("/api/v1/me", bot.basic()).status()).isEqualTo(200);
      }
      assertThat(http.get("/api/v1/users/" + bot.id(), owner).json().path("locked").asBoolean()).isFalse();
    }

    @Test
    void meWhenEmailUnknownThenAlways401() {
      wrongPasswords(Fixtures.email("nobody"), N + 2);
    }

    @Test
    void auditWhenLockedThenFailuresAndLockRecordedWithIp() {
      Fixtures.NewUser bot = Fixtures.programmatic(http, owner);
      wrongPasswords(bot.email(), N);
      JsonNode locked = http.get("/api/v1/audit?event=user.locked&subject=" + bot.id(), owner).json().path("events");
      assertThat(locked.size()).isEqualTo(1);
      assertThat(locked.get(0).path("ip").asText()).isEqualTo("127.0.0.1");
      assertThat(locked.get(0).path("subjectId").asText()).isEqualTo(bot.id());
      JsonNode failed = http.get("/api/v1/audit?event=auth.failed&subject=" + bot.id(), owner).json().path("events");
      assertThat(failed.size()).isEqualTo(N);
    }
  }

  @Nested
  class Unlock {
    @Test
    void unlockWhenAdminThenPasswordWorksAgainAndAudited() {
      Fixtures.NewUser bot = Fixtures.programmatic(http, owner);
      wrongPasswords(bot.email(), N);
      assertThat(http.get("/api/v1/me", bot.basic()).status()).isEqualTo(423);

      TestHttp.Response r = http.post("/api/v1/users/" + bot.id() + "/unlock", owner, null);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(r.text("id")).isEqualTo(bot.id());
      assertThat(r.json().path("locked").asBoolean()).isFalse();
      assertThat(r.json().path("lockedUntil").isNull()).isTrue();

      assertThat(http.get("/api/v1/me", bot.basic()).status()).isEqualTo(200);
      assertThat(passwordGrant(bot.email(), Objects.requireNonNull(bot.password())).status()).isEqualTo(200);
      JsonNode unlocked = http.get("/api/v1/audit?event=user.unlocked&subject=" + bot.id(), owner).json().path("events");
      assertThat(unlocked.size()).isEqualTo(1);
      assertThat(unlocked.get(0).path("actorId").asText()).isNotBlank();
      assertThat(unlocked.get(0).path("ip").asText()).isEqualTo("127.0.0.1");
    }

    @Test
    void unlockWhenUnknownOrMalformedIdThen404() {
      assertThat(http.post("/api/v1/users/usr_0000000000000000000000/unlock", owner, null).status()).isEqualTo(404);
      TestHttp.Response r = http.post("/api/v1/users/not-an-id/unlock", owner, null);
      assertThat(r.status()).isEqualTo(404);
      assertThat(r.error()).isEqualTo("not_found");
    }

    @Test
    void unlockWhenUserOfAnotherTenantThen404() {
      TestHttp.Response b = http.post("/api/v1/tenants", owner,
          Map.of("slug", "lock-b", "name", "Tenant B", "ownerEmail", Fixtures.email("owner-b")));
      assertThat(b.status()).as(b.body()).isEqualTo(201);
      String ownerB = b.json().path("owner").path("id").asText();
      assertThat(http.post("/api/v1/users/" + ownerB + "/unlock", owner, null).status()).isEqualTo(404);
    }

    @Test
    void unlockWhenNotAdminThen403() {
      Fixtures.NewUser bot = Fixtures.programmatic(http, owner);
      Fixtures.NewUser other = Fixtures.programmatic(http, owner);
      TestHttp.Response r = http.post("/api/v1/users/" + bot.id() + "/unlock", other.key(), null);
      assertThat(r.status()).as(r.body()).isEqualTo(403);
      assertThat(http.post("/api/v1/users/" + bot.id() + "/unlock", other.basic(), null).status()).isEqualTo(403);
    }

    @Test
    void cliUnlockWhenEmailKnownThenExit0AndLoginWorks() {
      Fixtures.NewUser bot = Fixtures.programmatic(http, owner);
      wrongPasswords(bot.email(), N);
      assertThat(http.get("/api/v1/me", bot.basic()).status()).isEqualTo(423);

      int exit = Main.execute("users", "unlock", bot.email().toUpperCase(java.util.Locale.ROOT), "--data-dir", server.dataDir().toString());

      assertThat(exit).isZero();
      assertThat(http.get("/api/v1/me", bot.basic()).status()).isEqualTo(200);
      JsonNode unlocked = http.get("/api/v1/audit?event=user.unlocked&subject=" + bot.id(), owner).json().path("events");
      assertThat(unlocked.size()).isEqualTo(1);
    }

    @Test
    void cliUnlockWhenEmailUnknownThenExit1AndBadUsageExit2() {
      String dir = server.dataDir().toString();
      assertThat(Main.execute("users", "unlock", Fixtures.email("nobody"), "--data-dir", dir)).isEqualTo(1);
      assertThat(Main.execute("users", "unlock", "--data-dir", dir)).isEqualTo(2);
      assertThat(Main.execute("users")).isEqualTo(2);
    }

    @Test
    void serveWhenLockoutSettingsInvalidThenExit2BeforeStarting() {
      String dir = server.dataDir().resolve("unused").toString();
      assertThat(Main.execute("serve", "--data-dir", dir, "--lockout-mode", "forever")).isEqualTo(2);
      assertThat(Main.execute("serve", "--data-dir", dir, "--lockout-max-failures", "0")).isEqualTo(2);
      assertThat(Main.execute("serve", "--data-dir", dir, "--lockout-duration", "86401")).isEqualTo(2);
      assertThat(Main.execute("serve", "--data-dir", dir, "--lockout-quick-login-interval", "-1")).isEqualTo(2);
      assertThat(Main.execute("serve", "--data-dir", dir, "--lockout-quick-login-interval", "60001")).isEqualTo(2);
      assertThat(Main.execute("serve", "--data-dir", dir, "--lockout-quick-login-wait", "0")).isEqualTo(2);
      assertThat(Main.execute("serve", "--data-dir", dir, "--lockout-permanent-after", "-1")).isEqualTo(2);
      assertThat(Main.execute("serve", "--data-dir", dir, "--lockout-permanent-after", "2", "--lockout-mode", "until-unlocked"))
          .isEqualTo(2);
      assertThat(Main.execute("serve", "--data-dir", dir, "--refresh-race-window", "61")).isEqualTo(2);
      assertThat(Main.execute("serve", "--data-dir", dir, "--refresh-race-window", "-1")).isEqualTo(2);
    }
  }

  /** KC-05 with the shipped defaults: two wrong passwords less than a second apart lock for 60 s. */
  @Nested
  class QuickLogin {
    @Test
    void meWhenTwoWrongPasswordsWithinASecondThen423WithRetryAfterEvenBelowThreshold() {
      try (TestServer s = TestServer.start(c -> c.withLockout(LockoutPolicy.DEFAULTS))) {
        TestHttp h = s.http();
        Fixtures.NewUser bot = Fixtures.programmatic(h, s.owner());
        assertThat(h.get("/api/v1/me", Auth.basic(bot.email(), "guess 1")).status()).isEqualTo(401);
        assertThat(h.get("/api/v1/me", Auth.basic(bot.email(), "guess 2")).status()).isEqualTo(401);
        Instant after = Instant.now();

        TestHttp.Response r = h.get("/api/v1/me", bot.basic());
        assertThat(r.status()).as(r.body()).isEqualTo(423);
        assertThat(r.header("content-type")).isEqualTo(Fixtures.JSON_TYPE);
        assertThat(r.error()).isEqualTo("account_locked");
        assertThat(r.text("message")).contains("quick succession").contains("until ");
        assertThat(Long.parseLong(Objects.requireNonNull(r.header("retry-after")))).isBetween(55L, 60L);
        JsonNode view = h.get("/api/v1/users/" + bot.id(), s.owner()).json();
        assertThat(view.path("locked").asBoolean()).isTrue();
        assertThat(Instant.parse(view.path("lockedUntil").asText()))
            .isAfter(after.plus(Duration.ofSeconds(55))).isBefore(after.plus(Duration.ofSeconds(61)));
        JsonNode locked = h.get("/api/v1/audit?event=user.locked&subject=" + bot.id(), s.owner()).json().path("events");
        assertThat(locked.size()).isEqualTo(1);
        assertThat(locked.get(0).path("detail").asText()).contains("less than 1000 ms apart");

        // The token endpoint keeps its RFC 6749 answer; API keys are not affected.
        TestHttp.Response grant = h.send("POST", "/api/v1/token", Auth.NONE, "grant_type=password&username=" + enc(bot.email())
            + "&password=" + enc(Objects.requireNonNull(bot.password())), "application/x-www-form-urlencoded");
        assertThat(grant.status()).isEqualTo(400);
        assertThat(grant.error()).isEqualTo("invalid_grant");
        assertThat(grant.text("error_description")).isEqualTo("The account is locked");
        assertThat(h.get("/api/v1/me", bot.key()).status()).isEqualTo(200);
      }
    }

    @Test
    void meWhenWrongPasswordsMoreThanTheIntervalApartThenNotLocked() throws Exception {
      try (TestServer s = TestServer.start(c -> c.withLockout(LockoutPolicy.DEFAULTS.withQuickLogin(Duration.ofMillis(300), Duration.ofSeconds(60))))) {
        TestHttp h = s.http();
        Fixtures.NewUser bot = Fixtures.programmatic(h, s.owner());
        assertThat(h.get("/api/v1/me", Auth.basic(bot.email(), "guess 1")).status()).isEqualTo(401);
        Thread.sleep(400);
        assertThat(h.get("/api/v1/me", Auth.basic(bot.email(), "guess 2")).status()).isEqualTo(401);
        assertThat(h.get("/api/v1/me", bot.basic()).status()).as("slower than the interval: only counted").isEqualTo(200);
      }
      // Switched off (interval 0), back-to-back failures only count.
      try (TestServer s = TestServer.start(c -> c.withLockout(LockoutPolicy.DEFAULTS.withQuickLogin(Duration.ZERO, Duration.ofSeconds(60))))) {
        TestHttp h = s.http();
        Fixtures.NewUser bot = Fixtures.programmatic(h, s.owner());
        for (int i = 0; i < 5; i++) {
          assertThat(h.get("/api/v1/me", Auth.basic(bot.email(), "guess " + i)).status()).isEqualTo(401);
        }
        assertThat(h.get("/api/v1/me", bot.basic()).status()).isEqualTo(200);
      }
    }
  }

  /** KC-07: with --lockout-permanent-after 1, the second lock in a row lasts until an admin unlocks. */
  @Nested
  class Escalation {
    @Test
    void meWhenMoreTemporaryLocksThanAllowedThenPermanent423WithoutRetryAfterUntilUnlock() throws Exception {
      LockoutPolicy policy = new LockoutPolicy(2, Duration.ofMinutes(15), Duration.ofSeconds(1), LockoutPolicy.Mode.TEMPORARY)
          .withPermanentAfter(1);
      try (TestServer s = TestServer.start(c -> c.withLockout(policy))) {
        TestHttp h = s.http();
        Fixtures.NewUser bot = Fixtures.programmatic(h, s.owner());
        for (int i = 0; i < 2; i++) {
          assertThat(h.get("/api/v1/me", Auth.basic(bot.email(), "first " + i)).status()).isEqualTo(401);
        }
        TestHttp.Response first = h.get("/api/v1/me", bot.basic());
        assertThat(first.status()).isEqualTo(423);
        assertThat(first.header("retry-after")).isEqualTo("1");
        Fixtures.eventually(3_000, () -> !h.get("/api/v1/users/" + bot.id(), s.owner()).json().path("locked").asBoolean());

        for (int i = 0; i < 2; i++) {
          assertThat(h.get("/api/v1/me", Auth.basic(bot.email(), "second " + i)).status()).isEqualTo(401);
        }
        TestHttp.Response permanent = h.get("/api/v1/me", bot.basic());
        assertThat(permanent.status()).isEqualTo(423);
        assertThat(permanent.error()).isEqualTo("account_locked");
        assertThat(permanent.text("message")).contains("an admin must unlock it");
        assertThat(permanent.header("retry-after")).as("nothing to wait for").isNull();
        Thread.sleep(1_500); // longer than any temporary lock of this policy
        assertThat(h.get("/api/v1/me", bot.basic()).status()).isEqualTo(423);
        JsonNode view = h.get("/api/v1/users/" + bot.id(), s.owner()).json();
        assertThat(view.path("locked").asBoolean()).isTrue();
        assertThat(view.path("lockedUntil").isNull()).isTrue();
        JsonNode locks = h.get("/api/v1/audit?event=user.locked&subject=" + bot.id(), s.owner()).json().path("events");
        assertThat(locks.size()).isEqualTo(2);

        assertThat(h.post("/api/v1/users/" + bot.id() + "/unlock", s.owner(), null).status()).isEqualTo(200);
        assertThat(h.get("/api/v1/me", bot.basic()).status()).isEqualTo(200);
        // The unlock cleared the count: the next lock is temporary again.
        for (int i = 0; i < 2; i++) {
          assertThat(h.get("/api/v1/me", Auth.basic(bot.email(), "third " + i)).status()).isEqualTo(401);
        }
        assertThat(h.get("/api/v1/me", bot.basic()).header("retry-after")).isEqualTo("1");
      }
    }
  }
}
