package dev.keyward.bench;

import dev.keyward.core.authz.DataAccess;
import dev.keyward.core.authz.HttpMethod;
import dev.keyward.core.authz.Route;
import dev.keyward.core.authz.RouteLookup;
import dev.keyward.core.authz.RouteTable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Route matching, run on every gateway call and every verification: a raw method and path in,
 * a route (with variables, canonical path and resource) or a 404/405/400 answer out, in a table
 * of 102 routes (the two example APIs plus 60 CRUD routes). {@code regexScanBaseline} is what a
 * regular expression per route would cost on the same table, for comparison only.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@SuppressWarnings("NullAway.Init") // JMH fills the state in setUp()
public class RouteMatchBenchmark {
  private RouteTable table;
  private List<Pattern> regexes;
  private List<Route> regexRoutes;

  @Setup(Level.Trial)
  public void setUp() {
    List<Route> routes = new ArrayList<>();
    for (String collection : List.of("sales_invoices", "customers", "bank_accounts", "products", "users")) {
      routes.add(Route.requiring(HttpMethod.GET, "/" + collection, collection + ":read"));
      routes.add(Route.requiring(HttpMethod.POST, "/" + collection, collection + ":create"));
      routes.add(Route.requiring(HttpMethod.GET, "/" + collection + "/{id}", collection + ":read"));
      routes.add(Route.requiring(HttpMethod.PUT, "/" + collection + "/{id}", collection + ":update"));
      routes.add(Route.requiring(HttpMethod.DELETE, "/" + collection + "/{id}", collection + ":delete"));
    }
    routes.add(Route.requiring(HttpMethod.POST, "/sales_invoices/{id}/send", "sales_invoices:send"));
    routes.add(Route.open(HttpMethod.GET, "/status"));
    routes.add(Route.open(HttpMethod.GET, "/v1/status"));
    routes.add(Route.requiring(HttpMethod.GET, "/v1/algo", "algo:list"));
    routes.add(Route.requiring(HttpMethod.GET, "/v1/algo/featured", "algo:list"));
    routes.add(Route.requiring(HttpMethod.GET, "/v1/algo/{owner}", "algo:list"));
    routes.add(Route.requiring(HttpMethod.GET, "/v1/algo/{owner}/{name}", "algo:read").withResource("algo://{owner}/{name}"));
    routes.add(Route.requiring(HttpMethod.POST, "/v1/algo/{owner}/{name}", "algo:invoke").withResource("algo://{owner}/{name}"));
    routes.add(Route.requiring(HttpMethod.POST, "/v1/algo/{owner}/{name}/{version}", "algo:invoke").withResource("algo://{owner}/{name}/{version}"));
    routes.add(Route.requiring(HttpMethod.PUT, "/v1/algo/{owner}/{name}", "algo:manage").withResource("algo://{owner}/{name}").withAlgorithmManagement());
    routes.add(Route.requiring(HttpMethod.DELETE, "/v1/algo/{owner}/{name}", "algo:manage").withResource("algo://{owner}/{name}").withAlgorithmManagement());
    routes.add(Route.requiring(HttpMethod.POST, "/v1/algo/{owner}/{name}/publish", "algo:publish").withResource("algo://{owner}/{name}")
        .withAlgorithmManagement().withProductionOnly());
    routes.add(Route.requiring(HttpMethod.GET, "/v1/data/{path*}", "data:read").withResource("data://{path}").withData(DataAccess.READ));
    routes.add(Route.requiring(HttpMethod.PUT, "/v1/data/{path*}", "data:write").withResource("data://{path}").withData(DataAccess.READ_WRITE));
    routes.add(Route.requiring(HttpMethod.DELETE, "/v1/data/{path*}", "data:write").withResource("data://{path}").withData(DataAccess.READ_WRITE));
    routes.add(Route.requiring(HttpMethod.GET, "/v1/account", "account:read").withUser());
    routes.add(Route.requiring(HttpMethod.PATCH, "/v1/account", "account:update").withUser());
    for (int i = 0; routes.size() < 102; i++) {
      String base = "/v2/area" + i + "/items";
      routes.add(Route.requiring(HttpMethod.GET, base, "area" + i + ":read"));
      routes.add(Route.requiring(HttpMethod.POST, base, "area" + i + ":create"));
      routes.add(Route.requiring(HttpMethod.GET, base + "/{id}", "area" + i + ":read"));
      routes.add(Route.requiring(HttpMethod.PUT, base + "/{id}", "area" + i + ":update"));
      routes.add(Route.requiring(HttpMethod.DELETE, base + "/{id}", "area" + i + ":delete"));
    }
    table = RouteTable.of(routes);
    regexRoutes = routes;
    regexes = new ArrayList<>();
    for (Route r : routes) {
      regexes.add(Pattern.compile(r.path().text().replaceAll("\\{[A-Za-z0-9_]+\\*}", "(.+)").replaceAll("\\{[A-Za-z0-9_]+}", "([^/]+)")));
    }
    if (table.size() != 102 || !(lookupVariablesAndResource() instanceof RouteLookup.Found)) {
      throw new IllegalStateException("benchmark table not as described");
    }
  }

  @Benchmark
  public RouteLookup literalPath() {
    return table.lookup("GET", "/bank_accounts");
  }

  @Benchmark
  public RouteLookup lookupVariablesAndResource() {
    return table.lookup("POST", "/v1/algo/acme/resize");
  }

  @Benchmark
  public RouteLookup restVariableDeepPath() {
    return table.lookup("GET", "/v1/data/acme/2024/q1/report.csv");
  }

  @Benchmark
  public RouteLookup withQueryString() {
    return table.lookup("GET", "/v2/area7/items/9f3a?expand=owner&limit=20");
  }

  @Benchmark
  public RouteLookup percentEncodedPath() {
    return table.lookup("POST", "/v1/algo/%61cme/re%73ize");
  }

  @Benchmark
  public RouteLookup notFound() {
    return table.lookup("GET", "/v1/nothing/here");
  }

  @Benchmark
  public RouteLookup methodNotAllowed() {
    return table.lookup("PATCH", "/customers/42");
  }

  @Benchmark
  public RouteLookup refusedDotDot() {
    return table.lookup("GET", "/v1/algo/acme/../../admin");
  }

  /** For comparison: the first of 102 regular expressions to match, in table order (no canonicalisation, no 405). */
  @Benchmark
  public Route regexScanBaseline() {
    String path = "/v1/algo/acme/resize";
    for (int i = 0; i < regexes.size(); i++) {
      Route r = regexRoutes.get(i);
      if (r.method() == HttpMethod.POST) {
        Matcher m = regexes.get(i).matcher(path);
        if (m.matches()) {
          return r;
        }
      }
    }
    throw new IllegalStateException("no match");
  }
}
