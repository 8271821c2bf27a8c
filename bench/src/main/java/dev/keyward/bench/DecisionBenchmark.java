package dev.keyward.bench;

import dev.keyward.core.auth.Actor;
import dev.keyward.core.auth.Principal;
import dev.keyward.core.authz.Decision;
import dev.keyward.core.authz.DecisionCode;
import dev.keyward.core.authz.DecisionRequest;
import dev.keyward.core.authz.KeyAccess;
import dev.keyward.core.key.Environment;
import dev.keyward.core.key.KeyService;
import dev.keyward.core.principal.UserService;
import dev.keyward.core.secret.PasswordHasher;
import dev.keyward.core.tenant.TenantService;
import dev.keyward.server.KeywardConfig;
import dev.keyward.server.Services;
import dev.keyward.store.Database;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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
 * The one decision function in process, as the verification API and the gateway call it, wired
 * by {@link Services} over SQLite with the algorithm-hosting routes: a question in, a decision
 * out. Every store read is cached (the key, its grant, the roles, the tenant's settings), as for
 * a key in steady use. {@code allowed}: a key whose resource pattern {@code algo://acme/*} covers
 * {@code POST /v1/algo/acme/resize} (route, credential, environment, callers, permission,
 * resource). {@code refusedResource}: the same key on {@code algo://globex/resize}, refused at the
 * resource rule, the last one before the limits. {@code refusedUnknownKey}: a well-formed key that
 * does not exist (its absence is cached too).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@SuppressWarnings("NullAway.Init") // JMH fills the state in setUp()
public class DecisionBenchmark {
  private static final String ISSUER = "http://127.0.0.1:8080";
  private static final String ROUTES = """
      roles:
        - name: consumer
          permissions: [algo:list, algo:read, algo:invoke, data:read]
      routes:
        - method: GET
          path: /v1/status
          public: true
        - method: GET
          path: /v1/algo
          permission: algo:list
        - method: GET
          path: /v1/algo/featured
          permission: algo:list
        - method: GET
          path: /v1/algo/{owner}
          permission: algo:list
        - method: GET
          path: /v1/algo/{owner}/{name}
          permission: algo:read
          resource: algo://{owner}/{name}
        - method: POST
          path: /v1/algo/{owner}/{name}
          permission: algo:invoke
          resource: algo://{owner}/{name}
        - method: POST
          path: /v1/algo/{owner}/{name}/{version}
          permission: algo:invoke
          resource: algo://{owner}/{name}/{version}
        - method: PUT
          path: /v1/algo/{owner}/{name}
          permission: algo:manage
          resource: algo://{owner}/{name}
          manageAlgorithms: true
        - method: GET
          path: /v1/data/{path*}
          permission: data:read
          resource: data://{path}
          data: read
      """;

  private Path dir;
  private Database db;
  private Services services;
  private DecisionRequest allowed;
  private DecisionRequest refusedResource;
  private DecisionRequest refusedUnknownKey;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("keyward-bench");
    Path routes = dir.resolve("routes.yaml");
    Files.writeString(routes, ROUTES, StandardCharsets.UTF_8);
    KeywardConfig config = KeywardConfig.defaults(dir).withAdmin("owner@example.com", "correct horse battery staple")
        .withArgon2(PasswordHasher.Argon2Cost.TEST).withRoutes(routes).withTimings(Duration.ofSeconds(60), Duration.ofSeconds(1));
    db = Database.open(Database.Settings.sqlite(dir.resolve("keyward.db")));
    services = new Services(config, db, Clock.systemUTC());
    TenantService.Bootstrap boot = services.tenants().bootstrap(config.adminEmail(), null).orElseThrow();
    Actor admin = new Actor(new Principal(boot.tenant().id(), "default", boot.owner().id(), "owner@example.com", Set.of("owner"),
        Principal.CredentialType.PASSWORD, null, null, false), null);
    UserService.CreatedUser consumer = services.users().create(admin,
        new UserService.CreateUser("consumer@example.com", "Consumer", true, Set.of("consumer"), null));
    KeyAccess access = KeyAccess.fromWire(new KeyAccess.Wire(List.of("algo://acme/*"), null, null, null, null, null, null));
    KeyService.IssuedKey key = services.keys().create(admin, new KeyService.CreateKey("bench", consumer.member().user().id(), null,
        Environment.SANDBOX, false, null, access));
    List<String> bearer = List.of("Bearer " + key.secret().reveal());
    allowed = question(bearer, "/v1/algo/acme/resize");
    refusedResource = question(bearer, "/v1/algo/globex/resize");
    String unknown = dev.keyward.core.key.ApiKeyFormat.generate(new dev.keyward.core.secret.SecretGenerator(), Environment.SANDBOX).reveal();
    refusedUnknownKey = question(List.of("Bearer " + unknown), "/v1/algo/acme/resize");
    expect(allowed, DecisionCode.VALID);
    expect(refusedResource, DecisionCode.FORBIDDEN);
    expect(refusedUnknownKey, DecisionCode.NOT_FOUND);
  }

  private static DecisionRequest question(List<String> authorization, String path) {
    return new DecisionRequest(authorization, "POST", path, null, null, null, "127.0.0.1", null, false, ISSUER);
  }

  /** The benchmark measures what it says, or does not run. */
  private void expect(DecisionRequest q, DecisionCode code) {
    Decision d = services.decisions().decide(q);
    if (d.code() != code) {
      throw new IllegalStateException(q.path() + ": expected " + code + ", got " + d.code() + " (" + d.message() + ")");
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    expect(allowed, DecisionCode.VALID);
    services.close();
    db.close();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  public Decision allowed() {
    return services.decisions().decide(allowed);
  }

  @Benchmark
  public Decision refusedResource() {
    return services.decisions().decide(refusedResource);
  }

  @Benchmark
  public Decision refusedUnknownKey() {
    return services.decisions().decide(refusedUnknownKey);
  }
}
