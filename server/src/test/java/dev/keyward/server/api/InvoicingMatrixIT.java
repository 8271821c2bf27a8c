package dev.keyward.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyward.server.testing.TestHttp;
import dev.keyward.server.testing.TestHttp.Auth;
import dev.keyward.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The invoicing example (ASVS-08): every role × endpoint × method cell of the matrix written in
 * docs/routes.md, decided by a server started with examples/routes/invoicing.yaml — allowed cells
 * are VALID, denied cells FORBIDDEN naming the missing permission. The expectation comes from the
 * docs table, not from the code under test.
 */
class InvoicingMatrixIT {
  @Test
  void everyCellWhenDecidedThenAsTheDocumentedMatrixSays() throws Exception {
    List<String> lines = Files.readAllLines(Path.of("..", "docs", "routes.md"));
    int start = lines.indexOf("<!-- matrix:invoicing -->");
    int end = lines.indexOf("<!-- /matrix:invoicing -->");
    List<String> header = cells(lines.get(start + 1));
    List<String> roles = header.subList(3, header.size());
    try (TestServer server = TestServer.start(c -> c.withRoutes(Path.of("..", "examples", "routes", "invoicing.yaml")))) {
      TestHttp http = server.http();
      Map<String, String> keyOf = new HashMap<>();
      for (String role : roles) {
        keyOf.put(role, Fixtures.programmatic(http, server.owner(), role).defaultKey());
      }
      Auth verifier = server.owner();
      int checked = 0;
      for (String line : lines.subList(start + 3, end)) {
        List<String> c = cells(line);
        String method = c.get(0);
        String path = c.get(1).replace("`", "").replaceAll("\\{[a-z_]+}", "42");
        String permission = c.get(2).replace("`", "");
        for (int i = 0; i < roles.size(); i++) {
          boolean allowed = c.get(3 + i).equals("✓");
          TestHttp.Response r = http.post("/api/v1/verify", verifier,
              Map.of("credential", keyOf.get(roles.get(i)), "method", method, "path", path));
          assertThat(r.status()).as(r.body()).isEqualTo(200);
          JsonNode d = r.json();
          String cell = roles.get(i) + " × " + method + " " + path;
          assertThat(d.path("code").asText()).as(cell).isEqualTo(allowed ? "VALID" : "FORBIDDEN");
          if (permission.equals("public")) {
            assertThat(d.path("permission").isNull()).as(cell).isTrue();
          } else {
            assertThat(d.path("permission").asText()).as(cell).isEqualTo(permission);
          }
          if (!allowed) {
            assertThat(d.path("message").asText()).as(cell).contains(permission);
          }
          checked++;
        }
      }
      assertThat(checked).isEqualTo(27 * 5);
    }
  }

  private static List<String> cells(String row) {
    String trimmed = row.strip();
    return Arrays.stream(trimmed.substring(1, trimmed.length() - 1).split("\\|")).map(String::strip).toList();
  }
}
