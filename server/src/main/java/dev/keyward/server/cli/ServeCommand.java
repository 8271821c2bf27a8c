package dev.keyward.server.cli;

import dev.keyward.core.tenant.TenantService;
import dev.keyward.server.KeywardConfig;
import dev.keyward.server.KeywardServer;
import dev.keyward.store.Database;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keyward serve}: starts the server and runs until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Start the Keyward server.", "Every option can also be set with the environment variable named beside it."})
public final class ServeCommand implements Callable<Integer> {
  private static final Logger LOG = Logger.getLogger("dev.keyward");

  @Option(names = "--host", defaultValue = "${env:KEYWARD_HOST:-127.0.0.1}", description = "Interface to listen on (KEYWARD_HOST; default ${DEFAULT-VALUE}).")
  String host = "127.0.0.1";

  @Option(names = "--port", defaultValue = "${env:KEYWARD_PORT:-8080}", description = "Port (KEYWARD_PORT; default ${DEFAULT-VALUE}; 0 picks a free one).")
  int port = 8080;

  @picocli.CommandLine.Mixin StoreOptions store = new StoreOptions();

  @Option(names = "--admin-email", defaultValue = "${env:KEYWARD_ADMIN_EMAIL:-admin@localhost}", description = "Email of the owner created on first start (KEYWARD_ADMIN_EMAIL; default ${DEFAULT-VALUE}).")
  String adminEmail = KeywardConfig.DEFAULT_ADMIN_EMAIL;

  @picocli.CommandLine.Mixin TokenOptions tokenOptions = new TokenOptions();

  @picocli.CommandLine.Mixin LockoutOptions lockoutOptions = new LockoutOptions();

  @picocli.CommandLine.Mixin GatewayOptions gatewayOptions = new GatewayOptions();

  @Option(names = "--tenant-host-pattern", defaultValue = "${env:KEYWARD_TENANT_HOST_PATTERN}", description = "Map host names to tenants, e.g. api.{tenant}.example.com (KEYWARD_TENANT_HOST_PATTERN).")
  @Nullable String tenantHostPattern;

  @Option(names = "--routes", defaultValue = "${env:KEYWARD_ROUTES}", description = "Routes file (YAML or JSON) with the route table and roles (KEYWARD_ROUTES); it replaces the stored table.")
  @Nullable String routes;

  @Override
  public Integer call() {
    Logging.configure();
    long started = System.nanoTime();
    // Secrets come from the environment only, never from flags (flags show in process lists).
    KeywardConfig base = store.config()
        .withHost(host)
        .withPort(port)
        .withAdmin(adminEmail, blankToNull(System.getenv("KEYWARD_ADMIN_PASSWORD")))
        .withTenantHostPattern(blankToNull(tenantHostPattern))
        .withRoutes(blankToNull(routes) == null ? null : java.nio.file.Path.of(routes));
    KeywardConfig config;
    try {
      config = base.withTokens(tokenOptions.apply(base.tokens())).withLockout(lockoutOptions.policy())
          .withGateway(gatewayOptions.settings());
    } catch (IllegalArgumentException e) {
      System.err.println("keyward: " + e.getMessage());
      return 2;
    }
    KeywardServer server;
    try {
      server = KeywardServer.start(config);
    } catch (RuntimeException e) {
      System.err.println("keyward: could not start: " + e.getMessage());
      return 1;
    }
    server.bootstrap().ifPresent(b -> printBootstrap(System.out, b, config, server.port()));
    Database.Dialect dialect = server.services().database().dialect();
    long ms = (System.nanoTime() - started) / 1_000_000;
    long sinceJvm = ManagementFactory.getRuntimeMXBean().getUptime();
    LOG.info(String.format("Keyward listening on http://%s:%d (store: %s) — ready in %d ms (store %d ms, HTTP %d ms; %d ms since JVM start)",
        displayHost(config.host()), server.port(),
        dialect == Database.Dialect.SQLITE ? "SQLite " + config.dataDir().resolve("keyward.db") : "PostgreSQL",
        ms, server.startup().storeMillis(), server.startup().httpMillis(), sinceJvm));
    if (config.gateway().upstream() != null) {
      LOG.info("Gateway: every path that is not Keyward's own is decided, then forwarded to " + config.gateway().upstream()
          + " (timeout " + config.gateway().upstreamTimeout().toMillis() + " ms)");
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "keyward-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /** The first owner's credentials, printed once on the console (not through the log). */
  static void printBootstrap(PrintStream out, TenantService.Bootstrap b, KeywardConfig config, int port) {
    out.println();
    out.println("  Keyward created tenant 'default' and its owner. Shown once; keep them safe:");
    out.println("    email:     " + b.owner().email());
    if (b.generatedPassword() != null) {
      out.println("    password:  " + b.generatedPassword().reveal());
    } else {
      out.println("    password:  (the one in KEYWARD_ADMIN_PASSWORD)");
    }
    out.println("    API key:   " + b.defaultKey().secret().reveal() + "  (default-key, sandbox)");
    String base = "http://" + displayHost(config.host()) + ":" + port; // the bound port, also with --port 0
    out.println("  Sign in to the backoffice at " + base + "/ui/keys");
    out.println("  or try: curl -u '" + b.owner().email() + ":<password>' " + base + "/api/v1/me");
    out.println();
    out.flush();
  }

  private static String displayHost(String host) {
    return host.contains(":") ? "[" + host + "]" : host;
  }

  private static @Nullable String blankToNull(@Nullable String s) {
    return StoreOptions.blankToNull(s);
  }
}
