package dev.keyward.server.testing;

import dev.keyward.core.auth.LockoutPolicy;
import dev.keyward.core.secret.PasswordHasher;
import dev.keyward.server.KeywardConfig;
import dev.keyward.server.KeywardServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A real Keyward server on 127.0.0.1 and a free port, over SQLite in a fresh temporary folder
 * (or over PostgreSQL when configured so), with a known owner password and cheap Argon2. The
 * lockout's quick-login check is off: tests send a wrong password and then the right one within
 * milliseconds, which that check (on by default, tested in {@code LockoutIT}) takes for guessing.
 */
public final class TestServer implements AutoCloseable {
  public static final String ADMIN_EMAIL = "owner@example.com";
  public static final String ADMIN_PASSWORD = "correct horse battery staple";

  private final KeywardServer server;
  private final Path dataDir;
  private final boolean ownsDir;
  private final TestHttp http;

  private TestServer(KeywardServer server, Path dataDir, boolean ownsDir) {
    this.server = server;
    this.dataDir = dataDir;
    this.ownsDir = ownsDir;
    this.http = new TestHttp("http://127.0.0.1:" + server.port());
  }

  public static TestServer start() {
    return start(c -> c);
  }

  /** Starts with the test defaults, adjusted by {@code customise}. */
  public static TestServer start(UnaryOperator<KeywardConfig> customise) {
    try {
      Path dir = Files.createTempDirectory("keyward-it");
      return start(dir, true, java.time.Clock.systemUTC(), customise);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts with the test defaults on {@code clock} (such as a {@link ShiftableClock}), adjusted by {@code customise}. */
  public static TestServer start(java.time.Clock clock, UnaryOperator<KeywardConfig> customise) {
    try {
      Path dir = Files.createTempDirectory("keyward-it");
      return start(dir, true, clock, customise);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Starts on an existing data folder (kept on close), e.g. to restart a server. */
  public static TestServer startIn(Path dir, UnaryOperator<KeywardConfig> customise) {
    return start(dir, false, java.time.Clock.systemUTC(), customise);
  }

  private static TestServer start(Path dir, boolean ownsDir, java.time.Clock clock, UnaryOperator<KeywardConfig> customise) {
    KeywardConfig config = KeywardConfig.defaults(dir)
        .withPort(0)
        .withAdmin(ADMIN_EMAIL, ADMIN_PASSWORD)
        .withArgon2(PasswordHasher.Argon2Cost.TEST)
        .withTimings(KeywardConfig.CREDENTIAL_CACHE_TTL, Duration.ofMillis(200))
        .withLockout(LockoutPolicy.DEFAULTS.withQuickLogin(Duration.ZERO, LockoutPolicy.QUICK_LOGIN_WAIT));
    return new TestServer(KeywardServer.start(customise.apply(config), clock), dir, ownsDir);
  }

  public TestHttp http() {
    return http;
  }

  public KeywardServer server() {
    return server;
  }

  public int port() {
    return server.port();
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Basic credentials of the bootstrapped owner. */
  public TestHttp.Auth owner() {
    return TestHttp.Auth.basic(ADMIN_EMAIL, ADMIN_PASSWORD);
  }

  @Override
  public void close() {
    server.close();
    if (ownsDir) {
      try (Stream<Path> files = Files.walk(dataDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // a temp folder left behind is harmless
      }
    }
  }
}
