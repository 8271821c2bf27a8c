package dev.keyward.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.core.session.SessionPolicy;
import dev.keyward.server.testing.ShiftableClock;
import dev.keyward.server.testing.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A backoffice session ends after {@link SessionPolicy#DEFAULTS}' idle time without a page, and at
 * its maximum age however busy it is (ASVS 7.3.1, 7.3.2), on a server whose clock the test moves.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackofficeSessionTimeoutIT {
  private static final SessionPolicy POLICY = SessionPolicy.DEFAULTS;
  private final ShiftableClock clock = new ShiftableClock();
  private TestServer server;

  @BeforeAll
  void start() {
    server = TestServer.start(clock, c -> c);
  }

  @AfterAll
  void stop() {
    server.close();
  }

  private FormClient signedIn() {
    FormClient b = new FormClient(server.http().base());
    assertThat(b.signIn(TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD).status()).isEqualTo(303);
    assertThat(b.get("/ui/keys").status()).isEqualTo(200);
    return b;
  }

  private static void assertSignedOut(FormClient b) {
    FormClient.Page p = b.get("/ui/keys");
    assertThat(p.status()).isEqualTo(303);
    assertThat(p.header("location")).isEqualTo("/ui/sign-in");
  }

  @Test
  void sessionWhenUsedWithinIdleTimeoutThenKeptAndWhenIdleLongerThenEnded() {
    FormClient b = signedIn();
    Duration almost = POLICY.idleTimeout().minus(Duration.ofMinutes(1));
    clock.shift(almost);
    assertThat(b.get("/ui/keys").status()).as("used just before the idle timeout").isEqualTo(200);
    clock.shift(almost);
    assertThat(b.get("/ui/keys").status()).as("idleness counts from the last page").isEqualTo(200);
    clock.shift(POLICY.idleTimeout().plusSeconds(1));
    assertSignedOut(b);
  }

  @Test
  void sessionWhenBusyPastMaxAgeThenEndedAnyway() {
    FormClient b = signedIn();
    Duration step = POLICY.idleTimeout().minus(Duration.ofMinutes(5));
    Duration elapsed = Duration.ZERO;
    while (elapsed.plus(step).compareTo(POLICY.maxAge()) < 0) {
      clock.shift(step);
      elapsed = elapsed.plus(step);
      assertThat(b.get("/ui/keys").status()).as("busy, %s after sign-in", elapsed).isEqualTo(200);
    }
    clock.shift(POLICY.maxAge().minus(elapsed).plusSeconds(1));
    assertSignedOut(b);
    FormClient again = signedIn();
    assertThat(again.get("/ui/keys").status()).as("a new sign-in starts a new session").isEqualTo(200);
  }
}
