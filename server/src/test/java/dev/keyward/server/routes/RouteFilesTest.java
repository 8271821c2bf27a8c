package dev.keyward.server.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.core.authz.DataAccess;
import dev.keyward.core.authz.HttpMethod;
import dev.keyward.core.authz.Permission;
import dev.keyward.core.authz.Route;
import dev.keyward.core.error.ErrorCode;
import dev.keyward.server.http.Json;
import dev.keyward.server.routes.RouteFiles.Format;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading routes files: the document shape, both syntaxes, and one test per kind of error (with its line and column). */
class RouteFilesTest {

  private static RouteFile yaml(String text) {
    return RouteFiles.parse(text, "routes.yaml", Format.YAML);
  }

  private static RouteFile json(String text) {
    return RouteFiles.parse(text, "routes.json", Format.JSON);
  }

  /** Asserts the full message: document, line, column and problem. */
  private static void assertYamlError(String text, String message) {
    assertThatThrownBy(() -> yaml(text)).isInstanceOfSatisfying(RouteFileException.class, e -> {
      assertThat(e.getMessage()).isEqualTo(message);
      assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
    });
  }

  private static void assertJsonError(String text, String message) {
    assertThatThrownBy(() -> json(text)).isInstanceOfSatisfying(RouteFileException.class, e -> assertThat(e.getMessage()).isEqualTo(message));
  }

  @Test
  void parseWhenEveryFieldThenRouteCarriesIt() {
    RouteFile f = yaml("""
        routes:
          - method: POST
            path: /v1/algo/{owner}/{name}/publish
            permission: algo:publish
            resource: algo://{owner}/{name}
            user: true
            data: read_write
            manageAlgorithms: true
            production: true
          - method: GET
            path: /status
            public: true
        """);
    Route r = f.routes().routes().get(0);
    assertThat(r.method()).isEqualTo(HttpMethod.POST);
    assertThat(r.path().text()).isEqualTo("/v1/algo/{owner}/{name}/publish");
    assertThat(r.permission()).contains(new Permission("algo", "publish"));
    assertThat(r.resource().orElseThrow().text()).isEqualTo("algo://{owner}/{name}");
    assertThat(r.requiresUser()).isTrue();
    assertThat(r.dataAccess()).contains(DataAccess.READ_WRITE);
    assertThat(r.requiresAlgorithmManagement()).isTrue();
    assertThat(r.productionOnly()).isTrue();
    assertThat(f.routes().routes().get(1).isPublic()).isTrue();
    assertThat(f.roles()).isEmpty();
  }

  @Test
  void parseWhenJsonOrYamlOfTheSameDocumentThenSameRoutesAndRoles() {
    RouteFile fromYaml = yaml("""
        roles:
          - name: CFO
            permissions: [invoices:*, "*:read"]
            description: Money.
        routes:
          - {method: GET, path: "/invoices/{id}", permission: invoices:read, resource: "invoice://{id}"}
        """);
    RouteFile fromJson = json("""
        {"roles": [{"name": "CFO", "permissions": ["invoices:*", "*:read"], "description": "Money."}],
         "routes": [{"method": "GET", "path": "/invoices/{id}", "permission": "invoices:read", "resource": "invoice://{id}"}]}
        """);
    assertThat(fromJson.routes().routes()).isEqualTo(fromYaml.routes().routes());
    assertThat(fromJson.roles()).isEqualTo(fromYaml.roles());
    assertThat(fromYaml.roles().get(0).permissions()).containsExactly(new Permission("invoices", "*"), new Permission("*", "read"));
  }

  @Test
  void describeWhenWrittenAsJsonThenReadsBackToTheSameTable() throws IOException {
    RouteFile original = RouteFiles.load(examples().resolve("algorithms.yaml"));
    byte[] wire = Json.write(RouteFiles.describe(original));
    RouteFile again = RouteFiles.parse(wire, "body", Format.JSON);
    assertThat(again.routes().routes()).isEqualTo(original.routes().routes());
    assertThat(again.roles()).isEqualTo(original.roles());
    String text = new String(wire, StandardCharsets.UTF_8);
    assertThat(text).contains("{\"method\":\"GET\",\"path\":\"/v1/status\",\"public\":true}")
        .contains("{\"method\":\"GET\",\"path\":\"/v1/account\",\"permission\":\"account:read\",\"user\":true}")
        .contains("\"data\":\"read_write\"").contains("\"manageAlgorithms\":true").contains("\"production\":true")
        .doesNotContain("null").doesNotContain("false");
  }

  @Test
  void loadWhenFileThenFormatByExtensionAndErrorsNameTheFile(@TempDir Path dir) throws IOException {
    Path json = Files.writeString(dir.resolve("r.json"), "{\"routes\": [{\"method\": \"GET\", \"path\": \"/a\", \"permission\": \"a:read\"}]}");
    assertThat(RouteFiles.load(json).routes().size()).isEqualTo(1);
    Path yml = Files.writeString(dir.resolve("r.YML"), "routes: []\n");
    assertThat(RouteFiles.load(yml).routes().size()).isZero();
    Path txt = Files.writeString(dir.resolve("r.txt"), "routes: []\n");
    assertThatThrownBy(() -> RouteFiles.load(txt)).hasMessage(txt + ": a routes file is named *.yaml, *.yml or *.json");
    assertThatThrownBy(() -> RouteFiles.load(dir.resolve("missing.yaml"))).hasMessage(dir.resolve("missing.yaml") + ": no such file");
    Path bad = Files.writeString(dir.resolve("bad.yaml"), "routes:\n  - method: GET\n    path: /a\n    permision: a:read\n");
    assertThatThrownBy(() -> RouteFiles.load(bad)).isInstanceOfSatisfying(RouteFileException.class, e -> {
      assertThat(e.getMessage()).startsWith(bad + ":4:5: unknown field 'permision'");
      assertThat(e.source()).isEqualTo(bad.toString());
      assertThat(e.line()).isEqualTo(4);
      assertThat(e.column()).isEqualTo(5);
      assertThat(e.field()).isEqualTo("routes[0].permision");
    });
  }

  @Test
  void loadWhenTooLargeOrNotUtf8ThenRefused(@TempDir Path dir) throws IOException {
    Path big = Files.write(dir.resolve("big.yaml"), new byte[RouteFiles.MAX_BYTES + 1]);
    assertThatThrownBy(() -> RouteFiles.load(big)).hasMessageEndingWith(": larger than 1048576 bytes");
    Path latin1 = Files.write(dir.resolve("l.yaml"), "routes: [] # caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> RouteFiles.load(latin1)).hasMessageEndingWith(": not valid UTF-8");
  }

  // One test per kind of error, each asserting the whole message.

  @Test
  void parseWhenUnknownFieldThenNamedWithTheKnownOnes() {
    assertYamlError("""
        routes:
          - method: GET
            path: /a
            permision: a:read
        """, "routes.yaml:4:5: unknown field 'permision' (known: method, path, permission, resource, user, data, manageAlgorithms, production, public)");
    assertYamlError("rotes: []\n", "routes.yaml:1:1: unknown field 'rotes' (known: routes, roles)");
    assertYamlError("routes: []\nroles:\n  - name: A\n    permissions: []\n    descr: x\n",
        "routes.yaml:5:5: unknown field 'descr' (known: name, permissions, description)");
  }

  @Test
  void parseWhenDuplicateKeyThenRefusedAtTheSecond() {
    assertYamlError("""
        routes:
          - method: GET
            path: /a
            path: /b
            permission: a:read
        """, "routes.yaml:4:5: duplicate field 'path'");
    assertJsonError("{\"routes\": [],\n \"routes\": []}", "routes.json:2:2: duplicate field 'routes'");
  }

  @Test
  void parseWhenWrongTypeThenSaysWhatWasExpected() {
    assertYamlError("routes:\n  - method: GET\n    path: 12\n    permission: a:read\n", "routes.yaml:3:11: 'path' is a string, not a number");
    assertYamlError("routes:\n  - method: GET\n    path: /a\n    permission: a:read\n    user: \"true\"\n",
        "routes.yaml:5:11: 'user' is true or false, not a string");
    assertYamlError("routes:\n  - method: GET\n    path: /a\n    permission: a:read\n    user: yes\n",
        "routes.yaml:5:11: 'user' is written true or false (YAML's yes, no, on, off and True are not accepted)");
    assertYamlError("routes:\n  - GET /a\n", "routes.yaml:2:5: 'routes[0]' is a route: an object with method, path, permission…, not a string");
    assertYamlError("routes: {}\n", "routes.yaml:1:9: 'routes' is a list of routes, not an object");
    assertYamlError("- routes\n", "routes.yaml:1:1: the document is an object with 'routes' (and optionally 'roles'), not a list");
    assertJsonError("{\"routes\": [{\"method\": [\"GET\"], \"path\": \"/a\"}]}", "routes.json:1:24: 'method' is a string, not a list");
    assertJsonError("{\"routes\": [{\"method\": null}]}", "routes.json:1:24: 'method' is a string, not null");
    assertYamlError("routes: []\nroles:\n  - name: A\n    permissions: [a:read, 3]\n",
        "routes.yaml:4:27: a permission is a string such as 'invoices:read', not a number");
  }

  @Test
  void parseWhenMissingFieldThenAtTheRouteStart() {
    assertYamlError("routes:\n  - method: GET\n    permission: a:read\n", "routes.yaml:2:5: missing field 'path'");
    assertYamlError("routes:\n  - path: /a\n    method: GET\n",
        "routes.yaml:2:5: missing field 'permission' (or 'public: true' for a route that needs no credential)");
    assertYamlError("roles: []\n", "routes.yaml:1:1: missing field 'routes' (a list of routes; it may be empty)");
    assertYamlError("", "routes.yaml:1:1: the document is empty: it needs a 'routes' list");
    assertYamlError("routes: []\nroles:\n  - name: A\n", "routes.yaml:3:5: missing field 'permissions' (a list such as [invoices:read, customers:*])");
  }

  @Test
  void parseWhenBadMethodThenRefusedWithTheKnownOnes() {
    assertYamlError("routes:\n  - {method: get, path: /a, permission: a:read}\n",
        "routes.yaml:2:14: unknown method 'get' (known: GET, POST, PUT, PATCH, DELETE; upper case)");
    assertYamlError("routes:\n  - {method: HEAD, path: /a, permission: a:read}\n", "routes.yaml:2:14: HEAD is decided as GET: write the route for GET");
    assertYamlError("routes:\n  - {method: OPTIONS, path: /a, permission: a:read}\n",
        "routes.yaml:2:14: OPTIONS is never routed: CORS preflights are answered from the key's allowed callers");
  }

  @Test
  void parseWhenBadPathTemplateThenTheTemplatesProblem() {
    assertYamlError("routes:\n  - method: GET\n    path: /a/{id}.json\n    permission: a:read\n",
        "routes.yaml:3:11: Bad path template: a segment is literal text or one whole '{variable}', not a mix: '{id}.json'");
    assertYamlError("routes:\n  - method: GET\n    path: /a/\n    permission: a:read\n",
        "routes.yaml:3:11: Bad path template: it ends with '/' (paths ending with '/' are refused, so no route could match it)");
    assertYamlError("routes:\n  - method: GET\n    path: /a/{rest*}/b\n    permission: a:read\n",
        "routes.yaml:3:11: Bad path template: '{rest*}' captures the rest of the path, so it must be the last segment");
  }

  @Test
  void parseWhenResourceUsesVariableThePathLacksThenRefusedAtTheResource() {
    assertYamlError("""
        routes:
          - method: POST
            path: /v1/algo/{owner}
            permission: algo:invoke
            resource: algo://{owner}/{name}
        """, "routes.yaml:5:15: The resource template uses '{name}', which the path '/v1/algo/{owner}' does not define (it defines: owner)");
    assertYamlError("routes:\n  - {method: GET, path: /a, permission: a:read, resource: 'algo://*'}\n",
        "routes.yaml:2:59: Bad resource template: literal text holds letters, digits and - . _ ~ ! $ & ' ( ) + , = : @ only (no '*': a resource is concrete): '*'");
  }

  @Test
  void parseWhenPermissionWildcardOrMalformedThenRefused() {
    assertYamlError("routes:\n  - {method: GET, path: /a, permission: 'a:*'}\n",
        "routes.yaml:2:41: A required permission names one resource and one action, without '*': (value not repeated)");
    assertYamlError("routes:\n  - {method: GET, path: /a, permission: read}\n",
        "routes.yaml:2:41: Permissions look like 'resource:action' (letters, digits, '_', '.', '-'; '*' as a wildcard): 'read'");
    assertYamlError("routes: []\nroles:\n  - name: A\n    permissions: [a:read, 'b c:read']\n",
        "routes.yaml:4:27: Permissions look like 'resource:action' (letters, digits, '_', '.', '-'; '*' as a wildcard): (value not repeated)");
    assertYamlError("routes: []\nroles:\n  - name: A\n    permissions: [a:read, a:read]\n", "routes.yaml:4:27: the permission 'a:read' is listed twice");
  }

  @Test
  void parseWhenPublicRouteRequiresSomethingThenRefused() {
    assertYamlError("routes:\n  - {method: GET, path: /a, public: true, permission: a:read}\n",
        "routes.yaml:2:55: a public route is called without a credential, so it requires nothing: drop 'permission' or 'public'");
    assertYamlError("routes:\n  - {method: GET, path: /a, public: true, user: true}\n",
        "routes.yaml:2:49: a public route is called without a credential, so it requires nothing: drop 'user' or 'public'");
  }

  @Test
  void parseWhenDataRequirementBadThenRefused() {
    assertYamlError("routes:\n  - {method: GET, path: /a, permission: a:read, data: write}\n",
        "routes.yaml:2:55: 'data' is 'read' or 'read_write', not 'write'");
    assertYamlError("routes:\n  - {method: GET, path: /a, permission: a:read, data: none}\n",
        "routes.yaml:2:55: A route's data requirement is 'read' or 'read_write' ('none' is the default: leave it out)");
  }

  @Test
  void parseWhenTwoRoutesMatchTheSameRequestsThenRefusedNamingTheFirstLine() {
    assertYamlError("""
        routes:
          - {method: GET, path: "/a/{id}", permission: a:read}
          - {method: POST, path: "/a/{id}", permission: a:write}
          - {method: GET, path: "/a/{name}", permission: a:other}
        """, "routes.yaml:4:25: GET '/a/{name}' matches the same requests as GET '/a/{id}' at line 2 (same method, same path up to variable names)");
    assertJsonError("{\"routes\": [{\"method\": \"GET\", \"path\": \"/a\", \"permission\": \"a:read\"},\n"
        + "{\"method\": \"GET\", \"path\": \"/a\", \"permission\": \"a:read\"}]}",
        "routes.json:2:27: GET '/a' matches the same requests as GET '/a' at line 1 (same method, same path up to variable names)");
  }

  @Test
  void parseWhenRolesBadThenRefused() {
    assertYamlError("routes: []\nroles:\n  - {name: CFO, permissions: []}\n  - {name: CFO, permissions: []}\n",
        "routes.yaml:4:12: the role 'CFO' is declared twice (first at line 3)");
    assertYamlError("routes: []\nroles:\n  - {name: 'a b', permissions: []}\n",
        "routes.yaml:3:12: Role names are 1 to 64 characters of letters, digits, '_', '.', ':' or '-'");
  }

  @Test
  void parseWhenSyntaxErrorThenLocationAndNoInputRepeated() {
    assertYamlError("routes:\n  - method: GET\n    path: /a: b\n", "routes.yaml:3:13: YAML syntax error: mapping values are not allowed here");
    assertJsonError("{\"routes\": [\n  {\"method\": GET}]}", "routes.json:2:14: JSON syntax error: unrecognized token");
    String secret = "kw_live_" + "A".repeat(49);
    assertThatThrownBy(() -> json("{\"routes\": [" + secret + "]}")).isInstanceOfSatisfying(RouteFileException.class,
        e -> assertThat(e.getMessage()).doesNotContain(secret).doesNotContain("kw_live"));
    assertThatThrownBy(() -> yaml("routes:\n  - method: " + secret + "\n    path: /a\n    permission: a:b\n"))
        .isInstanceOfSatisfying(RouteFileException.class, e -> assertThat(e.getMessage()).doesNotContain("kw_live"));
  }

  @Test
  void parseWhenYamlAliasTagOrSecondDocumentThenRefused() {
    assertYamlError("routes:\n  - {method: &m GET, path: /a, permission: a:read}\n  - {method: *m, path: /b, permission: a:read}\n",
        "routes.yaml:3:14: YAML aliases ('*name') are not supported: write the value out");
    assertYamlError("routes:\n  - {method: GET, path: !!str /a, permission: a:read}\n", "routes.yaml:2:25: YAML tags ('!!…') are not supported");
    assertYamlError("routes: []\n---\nroutes: []\n", "routes.yaml:3:1: unexpected content after the document (one document per file)");
    assertJsonError("{\"routes\": []} {}", "routes.json:1:16: unexpected content after the document (one document per file)");
  }

  static Path examples() {
    // Surefire runs in the module directory.
    return Path.of("..", "examples", "routes");
  }

  @Test
  void listsOfKnownFieldsWhenComparedToTheWireFormThenSame() {
    // The reader's field list and the writer's record are one vocabulary: no field readable but not written, or the reverse.
    List<String> written = java.util.Arrays.stream(RoutesDocument.RouteSpec.class.getRecordComponents())
        .map(c -> c.getName().equals("isPublic") ? "public" : c.getName()).toList();
    assertThat(written).isEqualTo(RouteFileReader.ROUTE_FIELDS);
  }
}
