package dev.keyward.server.routes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.core.authz.DataAccess;
import dev.keyward.core.authz.Permission;
import dev.keyward.core.authz.ResourceExpansion;
import dev.keyward.core.authz.RoleSeed;
import dev.keyward.core.authz.Route;
import dev.keyward.core.authz.RouteLookup;
import dev.keyward.core.authz.RouteMatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The shipped example files load, decide as their comments say, and match the matrix in docs/routes.md cell by cell. */
class ExampleRouteFilesTest {
  private static final RouteFile INVOICING = RouteFiles.load(RouteFilesTest.examples().resolve("invoicing.yaml"));
  private static final RouteFile ALGORITHMS = RouteFiles.load(RouteFilesTest.examples().resolve("algorithms.yaml"));

  /** Whether {@code role} may call {@code method path} (a concrete path, matched through the table). */
  private static boolean allowed(String role, String method, String path) {
    RouteMatch m = INVOICING.routes().match(method, path).orElseThrow(() -> new AssertionError("no route: " + method + " " + path));
    RoleSeed seed = INVOICING.roles().stream().filter(r -> r.name().equals(role)).findFirst().orElseThrow();
    return m.route().permission().map(seed::grants).orElse(true);
  }

  @Test
  void invoicingWhenLoadedThenFiveRolesAndEveryEndpoint() {
    assertThat(INVOICING.roles()).extracting(RoleSeed::name).containsExactly("CFO", "Treasurer", "Accountant", "Sales", "Viewer");
    assertThat(INVOICING.routes().size()).isEqualTo(27);
  }

  @Test
  void invoicingWhenSampleCellsThenAsTheFileSays() {
    assertThat(allowed("CFO", "DELETE", "/bank_accounts/ba_1")).isTrue();
    assertThat(allowed("Treasurer", "POST", "/bank_accounts")).isTrue();
    assertThat(allowed("Treasurer", "DELETE", "/bank_accounts/ba_1")).isFalse();
    assertThat(allowed("Treasurer", "GET", "/products")).isFalse();
    assertThat(allowed("Accountant", "GET", "/bank_accounts/ba_1")).isTrue();
    assertThat(allowed("Accountant", "GET", "/users")).isTrue();
    assertThat(allowed("Accountant", "PUT", "/products/p_9")).isTrue();
    assertThat(allowed("Accountant", "DELETE", "/customers/42")).isFalse();
    assertThat(allowed("Sales", "POST", "/sales_invoices/inv_7/send")).isTrue();
    assertThat(allowed("Sales", "GET", "/bank_accounts")).isFalse();
    assertThat(allowed("Viewer", "GET", "/sales_invoices/inv_7")).isTrue();
    assertThat(allowed("Viewer", "PUT", "/products/p_9")).isFalse();
    assertThat(allowed("Viewer", "GET", "/status")).isTrue();
    // HEAD is GET; PATCH is routed nowhere in this API.
    assertThat(allowed("Viewer", "HEAD", "/customers/42")).isTrue();
    assertThat(INVOICING.routes().lookup("PATCH", "/customers/42"))
        .isInstanceOfSatisfying(RouteLookup.MethodNotAllowed.class, m -> assertThat(m.allowHeader()).isEqualTo("GET, HEAD, PUT, DELETE"));
  }

  @Test
  void invoicingMatrixInDocsWhenComparedCellByCellThenSameAsTheFile() throws IOException {
    List<String> lines = Files.readAllLines(Path.of("..", "docs", "routes.md"));
    int start = lines.indexOf("<!-- matrix:invoicing -->");
    int end = lines.indexOf("<!-- /matrix:invoicing -->");
    assertThat(start).isNotNegative();
    List<String> header = cells(lines.get(start + 1));
    List<String> roles = header.subList(3, header.size());
    assertThat(roles).isEqualTo(INVOICING.roles().stream().map(RoleSeed::name).toList());
    Map<String, Route> byRow = INVOICING.routes().routes().stream()
        .collect(Collectors.toMap(r -> r.method() + " " + r.path().text(), r -> r));
    List<String> seen = new ArrayList<>();
    int checked = 0;
    for (String line : lines.subList(start + 3, end)) {
      List<String> c = cells(line);
      String key = c.get(0) + " " + c.get(1).replace("`", "");
      Route route = byRow.get(key);
      assertThat(route).as("docs row %s is a route of the file", key).isNotNull();
      seen.add(key);
      assertThat(c.get(2)).as(key).isEqualTo(route.permission().map(p -> "`" + p + "`").orElse("public"));
      for (int i = 0; i < roles.size(); i++) {
        RoleSeed role = INVOICING.roles().get(i);
        boolean grants = route.permission().map(role::grants).orElse(true);
        assertThat(c.get(3 + i)).as("%s × %s", role.name(), key).isEqualTo(grants ? "✓" : "–");
        checked++;
      }
    }
    assertThat(seen).as("every route of the file has a row").containsExactlyInAnyOrderElementsOf(byRow.keySet());
    assertThat(checked).isEqualTo(27 * 5);
  }

  private static List<String> cells(String row) {
    String trimmed = row.strip();
    return java.util.Arrays.stream(trimmed.substring(1, trimmed.length() - 1).split("\\|")).map(String::strip).toList();
  }

  private static RouteMatch algo(String method, String path) {
    return ALGORITHMS.routes().match(method, path).orElseThrow(() -> new AssertionError("no route: " + method + " " + path));
  }

  @Test
  void algorithmsWhenInvokedThenPermissionAndResourceFromThePath() {
    RouteMatch invoke = algo("POST", "/v1/algo/acme/resize");
    assertThat(invoke.route().permission()).contains(new Permission("algo", "invoke"));
    assertThat(invoke.resource()).isEqualTo(new ResourceExpansion.Formed("algo://acme/resize"));
    assertThat(algo("POST", "/v1/algo/acme/resize/v2").resource()).isEqualTo(new ResourceExpansion.Formed("algo://acme/resize/v2"));
    assertThat(algo("POST", "/v1/algo/acme/a%2Ab").resource()).isInstanceOf(ResourceExpansion.Unformable.class);
  }

  @Test
  void algorithmsWhenLiteralBesideVariableThenLiteralWins() {
    assertThat(algo("GET", "/v1/algo/featured").route().path().text()).isEqualTo("/v1/algo/featured");
    assertThat(algo("GET", "/v1/algo/acme").variables()).containsEntry("owner", "acme");
    Route publish = algo("POST", "/v1/algo/acme/resize/publish").route();
    assertThat(publish.permission()).contains(new Permission("algo", "publish"));
    assertThat(publish.requiresAlgorithmManagement()).isTrue();
    assertThat(publish.productionOnly()).isTrue();
  }

  @Test
  void algorithmsWhenManagingThenFlagNeeded() {
    assertThat(algo("PUT", "/v1/algo/acme/resize").route().requiresAlgorithmManagement()).isTrue();
    assertThat(algo("DELETE", "/v1/algo/acme/resize").route().requiresAlgorithmManagement()).isTrue();
    assertThat(algo("POST", "/v1/algo/acme/resize").route().requiresAlgorithmManagement()).isFalse();
  }

  @Test
  void algorithmsWhenDataRoutesThenDataRequirementAndDeepResource() {
    RouteMatch read = algo("GET", "/v1/data/acme/2024/q1.csv");
    assertThat(read.route().dataAccess()).contains(DataAccess.READ);
    assertThat(read.resource()).isEqualTo(new ResourceExpansion.Formed("data://acme/2024/q1.csv"));
    assertThat(algo("PUT", "/v1/data/acme/x").route().dataAccess()).contains(DataAccess.READ_WRITE);
    assertThat(algo("DELETE", "/v1/data/acme/x").route().dataAccess()).contains(DataAccess.READ_WRITE);
    assertThat(ALGORITHMS.routes().lookup("GET", "/v1/data")).isInstanceOf(RouteLookup.NotFound.class);
    assertThat(ALGORITHMS.routes().lookup("GET", "/v1/data/acme/../secret")).isInstanceOf(RouteLookup.Refused.class);
  }

  @Test
  void algorithmsWhenAccountOrStatusThenUserRequiredOrPublic() {
    assertThat(algo("GET", "/v1/account").route().requiresUser()).isTrue();
    assertThat(algo("PATCH", "/v1/account").route().requiresUser()).isTrue();
    assertThat(algo("GET", "/v1/status").route().isPublic()).isTrue();
    assertThat(ALGORITHMS.routes().lookup("DELETE", "/v1/status"))
        .isInstanceOfSatisfying(RouteLookup.MethodNotAllowed.class, m -> assertThat(m.allowHeader()).isEqualTo("GET, HEAD"));
    assertThat(ALGORITHMS.roles()).extracting(RoleSeed::name).containsExactly("consumer", "developer", "account-holder");
  }
}
