package dev.keyward.server;

import dev.keyward.core.audit.AuditReader;
import dev.keyward.core.error.KeywardException;
import dev.keyward.core.tenant.TenantService;
import dev.keyward.server.api.AuditEndpoint;
import dev.keyward.server.api.KeysEndpoint;
import dev.keyward.server.api.RolesEndpoint;
import dev.keyward.server.api.RoutesEndpoint;
import dev.keyward.server.api.VerifyEndpoint;
import dev.keyward.server.api.MeEndpoint;
import dev.keyward.server.api.OpsEndpoint;
import dev.keyward.server.api.TenantsEndpoint;
import dev.keyward.server.api.TokenEndpoints;
import dev.keyward.server.api.UsersEndpoint;
import dev.keyward.server.gateway.Gateway;
import dev.keyward.server.gateway.RoutedMethods;
import dev.keyward.server.http.Api;
import dev.keyward.server.http.Authn;
import dev.keyward.server.http.Bodies;
import dev.keyward.server.http.ClientAddress;
import dev.keyward.server.http.ErrorResponses;
import dev.keyward.server.http.Metrics;
import dev.keyward.server.http.RequestIssuer;
import dev.keyward.server.http.TenantHosts;
import dev.keyward.store.Database;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A running Keyward: the store opened and migrated, tenant {@code default} bootstrapped on first
 * start, and the HTTP server listening. {@link #close()} stops it all.
 */
public final class KeywardServer implements AutoCloseable {
  /**
   * Helidon's HTTP/1 wire log prints request lines (paths included) at FINE: a secret a client puts
   * in a path must never reach a log, whatever level an operator sets, so that logger stays at INFO.
   * (Turning the wire log off through Http1Config instead also drops the 400 answer to a garbage
   * request line.) Held here because JUL forgets the level of a logger nobody references.
   */
  private static final Logger WIRE_LOG = Logger.getLogger("io.helidon.webserver.http1.Http1LoggingConnectionListener");

  static {
    WIRE_LOG.setLevel(Level.INFO);
  }

  private static final io.helidon.http.Header NOSNIFF = io.helidon.http.HeaderValues.create("X-Content-Type-Options", "nosniff");

  private final Services services;
  private final WebServer webServer;
  private final Optional<TenantService.Bootstrap> bootstrap;
  private final Map<String, Set<String>> routes;
  private final Startup startup;

  /** Where start-up time went, in milliseconds: opening and migrating the store, the rest. */
  public record Startup(long storeMillis, long httpMillis) {}

  private KeywardServer(Services services, WebServer webServer, Optional<TenantService.Bootstrap> bootstrap,
      Map<String, Set<String>> routes, Startup startup) {
    this.startup = startup;
    this.services = services;
    this.webServer = webServer;
    this.bootstrap = bootstrap;
    this.routes = routes;
  }

  public static KeywardServer start(KeywardConfig config) {
    return start(config, Clock.systemUTC());
  }

  public static KeywardServer start(KeywardConfig requested, Clock clock) {
    // Port 0 means "any free port": pick it now, so that the default issuer (used where no request
    // is at hand) names the real one.
    KeywardConfig config = requested.port() == 0 ? requested.withPort(freePort(requested.host())) : requested;
    long t0 = System.nanoTime();
    Database database = Database.open(new Database.Settings(config.effectiveDbUrl(), config.dbUser(), config.dbPassword(),
        config.dbSchema(), config.dbUrl() == null ? 4 : 10, java.time.Duration.ofSeconds(2)));
    long t1 = System.nanoTime();
    Services services;
    try {
      services = new Services(config, database, clock);
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
    try {
      Optional<TenantService.Bootstrap> bootstrap = services.tenants().bootstrap(config.adminEmail(),
          config.adminPassword() == null ? null : dev.keyward.core.secret.Secret.of(config.adminPassword()));
      TenantHosts tenantHosts = config.tenantHostPattern() == null ? null : TenantHosts.parse(config.tenantHostPattern());
      ClientAddress addresses = ClientAddress.trusting(config.gateway().trustedProxies());
      Authn authn = new Authn(services.authenticator(), tenantHosts, new RequestIssuer(config.tokens().issuer()), addresses);
      Metrics metrics = new Metrics();
      var refreshWrites = database.refreshTokens().writes();
      metrics.groupCommit("refresh_tokens", refreshWrites::rows, refreshWrites::commits);
      HttpRouting.Builder routing = HttpRouting.builder();
      routing.addFilter(metrics);
      routing.addFilter((chain, req, res) -> {
        res.header(NOSNIFF);
        chain.proceed();
      });
      Api api = new Api(routing);
      // The token endpoints and the verification API are the hottest paths and have fixed paths:
      // matched first (routes are tried in order), they skip the pattern matching of every other route.
      new TokenEndpoints(services.tokens(), services.accessTokens(), services.signingKeys(), services.revocations(),
          services.signingKeyRotation(), authn).register(api);
      new VerifyEndpoint(services.decisions(), services.rolePermissions(), authn).register(api);
      new OpsEndpoint(database, metrics).register(api);
      new MeEndpoint(authn).register(api);
      new TenantsEndpoint(services.tenants(), authn).register(api);
      new UsersEndpoint(services.users(), services.lockout(), authn).register(api);
      new dev.keyward.server.api.SignUpEndpoint(services.signUps(), authn).register(api);
      new KeysEndpoint(services.keys(), authn).register(api);
      new RolesEndpoint(services.roles(), services.routes()::get, authn).register(api);
      new RoutesEndpoint(services.routes(), services.tenants(), services.auditor(), authn).register(api);
      new AuditEndpoint(new AuditReader(database.audit()), authn).register(api);
      // The backoffice's pages are not API routes: registered beside them, outside the OpenAPI route list.
      new dev.keyward.server.ui.Backoffice(services, authn).register(routing, config.gateway().upstream() == null);
      Gateway gateway = config.gateway().upstream() == null ? null
          : new Gateway(services.decisions(), config.gateway().upstream(), config.gateway().upstreamTimeout(),
              RoutedMethods.of(services.routes()), addresses, tenantHosts, new RequestIssuer(config.tokens().issuer()),
              services.clock());
      api.finish(gateway);
      routing.error(KeywardException.class, ErrorResponses::keyward);
      routing.error(Throwable.class, ErrorResponses::unexpected);
      WebServer server = WebServer.builder()
          .host(config.host())
          .port(config.port())
          .shutdownHook(false)
          // Keyward's own endpoints read at most Bodies.MAX_BODY; the gateway forwards up to its own limit.
          .maxPayloadSize(config.gateway().upstream() == null ? Bodies.MAX_BODY * 16L
              : Math.max(Bodies.MAX_BODY * 16L, config.gateway().maxBody()))
          .directHandlers(ErrorResponses.directHandlers())
          .routing(routing)
          .build()
          .start();
      Startup startup = new Startup((t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
      return new KeywardServer(services, server, bootstrap, api.routes(), startup);
    } catch (RuntimeException e) {
      services.close();
      database.close();
      throw e;
    }
  }

  public Startup startup() {
    return startup;
  }

  private static int freePort(String host) {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
      return s.getLocalPort();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("no free port on " + host, e);
    }
  }

  public int port() {
    return webServer.port();
  }

  /** What first start created (with the secrets to show once), or empty on later starts. */
  public Optional<TenantService.Bootstrap> bootstrap() {
    return bootstrap;
  }

  public Services services() {
    return services;
  }

  /** Every route the server answers, by path template. */
  public Map<String, Set<String>> routes() {
    return routes;
  }

  @Override
  public void close() {
    webServer.stop();
    services.close();
    services.database().close();
  }
}
