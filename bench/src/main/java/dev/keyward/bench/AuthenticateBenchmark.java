package dev.keyward.bench;

import dev.keyward.core.auth.Principal;
import dev.keyward.core.principal.UserService;
import dev.keyward.core.secret.PasswordHasher;
import dev.keyward.core.tenant.TenantService;
import dev.keyward.server.KeywardConfig;
import dev.keyward.server.Services;
import dev.keyward.store.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The in-process hot path: an {@code Authorization} header in, a decided principal out. "Cached"
 * is a key seen within the cache lifetime (no store read); "miss" reads SQLite every time (the
 * cache lifetime is zero); "rejected" is a key with a bad checksum (no digest, no store).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@SuppressWarnings("NullAway.Init") // JMH fills the state in setUp()
public class AuthenticateBenchmark {
  /** The issuer a request would expect tokens from (no token is presented here). */
  private static final String ISSUER = "http://127.0.0.1:8080";
  private Path dir;
  private Database cachedDb;
  private Database missDb;
  private Services cached;
  private Services miss;
  private List<String> bearer;
  private List<String> basicProgrammatic;
  private List<String> badChecksum;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("keyward-bench");
    KeywardConfig config = KeywardConfig.defaults(dir).withAdmin("owner@example.com", "correct horse battery staple")
        .withArgon2(PasswordHasher.Argon2Cost.OWASP);
    cachedDb = Database.open(Database.Settings.sqlite(dir.resolve("keyward.db")));
    cached = new Services(config.withTimings(Duration.ofSeconds(60), Duration.ofSeconds(1)), cachedDb, Clock.systemUTC());
    TenantService.Bootstrap boot = cached.tenants().bootstrap(config.adminEmail(), null).orElseThrow();
    String key = boot.defaultKey().secret().reveal();
    var owner = new dev.keyward.core.auth.Actor(cached.authenticator().authenticate(List.of("Bearer " + key), null, null, ISSUER), null);
    // The owner's default key is not an admin key: act as the owner by password for set-up.
    var admin = new dev.keyward.core.auth.Actor(new Principal(owner.principal().tenantId(), "default", owner.userId(),
        "owner@example.com", Set.of("owner"), Principal.CredentialType.PASSWORD, null, null, false), null);
    UserService.CreatedUser svc = cached.users().create(admin, new UserService.CreateUser("svc@example.com", "Service", true, Set.of(), null));
    bearer = List.of("Bearer " + key);
    basicProgrammatic = List.of("Basic " + Base64.getEncoder().encodeToString(
        ("svc@example.com:" + java.util.Objects.requireNonNull(svc.password()).reveal()).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    badChecksum = List.of("Bearer " + key.substring(0, key.length() - 1) + (key.endsWith("A") ? "B" : "A"));
    missDb = Database.open(Database.Settings.sqlite(dir.resolve("keyward.db")));
    miss = new Services(config.withTimings(Duration.ZERO, Duration.ofSeconds(1)), missDb, Clock.systemUTC());
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    cached.close();
    miss.close();
    cachedDb.close();
    missDb.close();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  public Principal bearerKeyCached() {
    return cached.authenticator().authenticate(bearer, null, null, ISSUER);
  }

  @Benchmark
  public Principal bearerKeyCacheMissSqlite() {
    return miss.authenticator().authenticate(bearer, null, null, ISSUER);
  }

  @Benchmark
  public Principal basicProgrammaticPasswordCached() {
    return cached.authenticator().authenticate(basicProgrammatic, null, null, ISSUER);
  }

  @Benchmark
  public Object badChecksumRejected() {
    try {
      return cached.authenticator().authenticate(badChecksum, null, null, ISSUER);
    } catch (RuntimeException expected) {
      return expected;
    }
  }
}
