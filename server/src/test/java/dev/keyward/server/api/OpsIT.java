package dev.keyward.server.api;

import static dev.keyward.server.api.Fixtures.JSON_TYPE;
import static dev.keyward.server.api.Fixtures.fields;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyward.server.testing.TestHttp;
import dev.keyward.server.testing.TestHttp.Auth;
import dev.keyward.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Health, metrics and the OpenAPI document (API-05: the documented routes are exactly the served
 * ones), and the JSON content type with charset on every JSON answer (ASVS-12).
 */
class OpsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

  static TestServer server;
  static TestHttp http;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    http = server.http();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static JsonNode openapi() {
    TestHttp.Response r = http.get("/openapi.json", Auth.NONE);
    assertThat(r.status()).isEqualTo(200);
    return r.json();
  }

  @Nested
  class Health {
    @Test
    void liveWhenCalledThenUpAsJson() {
      TestHttp.Response r = http.get("/health/live", Auth.NONE);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("content-type")).isEqualTo(JSON_TYPE);
      assertThat(r.json()).isEqualTo(JSON.createObjectNode().put("status", "UP"));
    }

    @Test
    void readyWhenStoreReachableThenUpWithStoreCheck() {
      TestHttp.Response r = http.get("/health/ready", Auth.NONE);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("content-type")).isEqualTo(JSON_TYPE);
      assertThat(r.json().path("status").asText()).isEqualTo("UP");
      assertThat(r.json().path("checks").path("store").asText()).isEqualTo("UP");
    }

    @Test
    void readyWhenStoreClosedThen503DownWhileLiveStaysUp() {
      try (TestServer broken = TestServer.start()) {
        broken.server().services().database().close();
        TestHttp.Response ready = broken.http().get("/health/ready", Auth.NONE);
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.header("content-type")).isEqualTo(JSON_TYPE);
        assertThat(ready.header("retry-after")).isNotNull();
        assertThat(ready.json().path("status").asText()).isEqualTo("DOWN");
        assertThat(ready.json().path("checks").path("store").asText()).isEqualTo("DOWN");
        assertThat(broken.http().get("/health/live", Auth.NONE).status()).isEqualTo(200);
        // Decisions fail closed: a credential cannot be checked, so the answer is 503, never 200.
        TestHttp.Response me = broken.http().get("/api/v1/me", broken.owner());
        Fixtures.assertError(me, 503, "unavailable");
      }
    }
  }

  @Nested
  class PrometheusMetrics {
    @Test
    void metricsWhenScrapedThenPrometheusTextWithRequestCounterAndJvmMetrics() {
      http.get("/health/live", Auth.NONE);
      http.get("/no/such/path", Auth.NONE);
      TestHttp.Response r = http.get("/metrics", Auth.NONE);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("content-type")).startsWith("text/plain").contains("version=0.0.4");
      assertThat(r.body())
          .contains("# TYPE keyward_http_requests_total counter")
          .containsPattern("(?m)^keyward_http_requests_total\\{method=\"GET\",status=\"200\"\\} [1-9]")
          .containsPattern("(?m)^keyward_http_requests_total\\{method=\"GET\",status=\"404\"\\} [1-9]")
          .contains("keyward_http_request_duration_seconds_bucket")
          .containsPattern("(?m)^jvm_memory_used_bytes\\{area=\"heap\"\\} ")
          .containsPattern("(?m)^jvm_threads_current ");
    }

    @Test
    void metricsWhenRefreshTokensWrittenThenGroupCommitCountsShowRowsAndCommits() {
      Fixtures.NewKey key = Fixtures.key(http, server.owner(), java.util.Map.of("name", "metrics-" + java.util.UUID.randomUUID()));
      for (int i = 0; i < 3; i++) {
        TestHttp.Response ex = http.post("/auth/api-key", Auth.NONE, java.util.Map.of("apiKey", key.key()));
        assertThat(ex.status()).as(ex.body()).isEqualTo(200);
      }
      String body = http.get("/metrics", Auth.NONE).body();
      assertThat(body)
          .containsPattern("(?m)^keyward_group_commit_rows_total\\{store=\"refresh_tokens\"\\} ([3-9]|[1-9][0-9]+)\\.0$")
          .containsPattern("(?m)^keyward_group_commit_commits_total\\{store=\"refresh_tokens\"\\} [1-9][0-9]*\\.0$");
    }
  }

  @Nested
  class OpenApi {
    @Test
    void openapiWhenFetchedThenJsonOf31WithInfoAndSecuritySchemes() {
      TestHttp.Response r = http.get("/openapi.json", Auth.NONE);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("content-type")).isEqualTo(JSON_TYPE);
      JsonNode doc = r.json();
      assertThat(doc.path("openapi").asText()).matches("3\\.1\\.\\d+");
      assertThat(doc.path("info").path("title").asText()).isEqualTo("Keyward");
      assertThat(doc.path("info").path("version").asText()).isNotBlank();
      JsonNode schemes = doc.path("components").path("securitySchemes");
      assertThat(schemes.path("basicAuth").path("type").asText()).isEqualTo("http");
      assertThat(schemes.path("basicAuth").path("scheme").asText()).isEqualTo("basic");
      assertThat(schemes.path("bearerAuth").path("type").asText()).isEqualTo("http");
      assertThat(schemes.path("bearerAuth").path("scheme").asText()).isEqualTo("bearer");
      assertThat(doc.path("security").toString()).contains("bearerAuth").contains("basicAuth");
    }

    @Test
    void openapiWhenComparedWithRoutesThenSamePathsAndMethods() {
      JsonNode paths = openapi().path("paths");
      Map<String, Set<String>> documented = new TreeMap<>();
      for (Map.Entry<String, JsonNode> e : paths.properties()) {
        Set<String> methods = new TreeSet<>();
        e.getValue().fieldNames().forEachRemaining(m -> {
          if (HTTP_METHODS.contains(m)) {
            methods.add(m.toUpperCase(Locale.ROOT));
          }
        });
        documented.put(e.getKey(), methods);
      }
      Map<String, Set<String>> served = new TreeMap<>();
      server.server().routes().forEach((path, methods) -> served.put(path, new TreeSet<>(methods)));
      assertThat(served).as("routes").isNotEmpty().containsKey("/api/v1/keys/{id}/revoke");
      assertThat(documented).isEqualTo(served);
    }

    @Test
    void openapiWhenRefsFollowedThenEveryOneResolves() {
      JsonNode doc = openapi();
      List<String> refs = new ArrayList<>();
      collectRefs(doc, refs);
      assertThat(refs).hasSizeGreaterThan(50);
      for (String ref : refs) {
        assertThat(ref).startsWith("#/");
        assertThat(doc.at(ref.substring(1)).isMissingNode()).as("unresolved $ref %s", ref).isFalse();
      }
    }

    @Test
    void openapiWhenOperationsReadThenEachListsTheStatusesItCanAnswer() {
      JsonNode doc = openapi();
      doc.path("paths").properties().forEach(p -> p.getValue().properties().forEach(m -> {
        if (!HTTP_METHODS.contains(m.getKey())) {
          return;
        }
        String where = m.getKey().toUpperCase(Locale.ROOT) + " " + p.getKey();
        JsonNode op = m.getValue();
        Set<String> statuses = new TreeSet<>();
        op.path("responses").fieldNames().forEachRemaining(statuses::add);
        assertThat(op.path("operationId").asText()).as(where).isNotBlank();
        assertThat(statuses).as(where).contains("405");
        assertThat(statuses.stream().anyMatch(s -> s.startsWith("2"))).as(where).isTrue();
        boolean oauth = op.path("tags").toString().contains("\"oauth\"");
        if (oauth) {
          // The OAuth endpoints authenticate clients their own way (RFC 6749 §2.3; a path under /api/ or not):
          // each declares its security, answers 401 where it takes credentials, and refuses in the RFC 6749 shape.
          assertThat(op.path("security").isArray()).as("%s declares its client authentication", where).isTrue();
          if (op.path("security").toString().contains("Auth")) {
            assertThat(statuses).as(where).contains("401");
            assertThat(op.path("responses").path("401").toString()).as(where).contains("OAuthUnauthorized");
          }
          if (op.has("requestBody")) {
            assertThat(statuses).as(where).contains("400", "503");
            assertThat(op.path("responses").path("400").toString()).as(where).contains("OAuth");
            assertThat(op.path("requestBody").path("content").has("application/x-www-form-urlencoded")).as(where).isTrue();
          }
        } else if (p.getKey().startsWith("/api/") && !(op.path("security").isArray() && op.path("security").isEmpty())) {
          // An /api/ operation takes the document's credentials, unless it says it needs none (sign-up).
          assertThat(statuses).as(where).contains("400", "401", "403", "503");
          assertThat(op.path("security").isMissingNode()).as("%s uses the document's security", where).isTrue();
          assertThat(op.path("parameters").toString()).as(where).contains("#/components/parameters/Tenant");
        } else {
          assertThat(op.path("security").isArray() && op.path("security").isEmpty()).as("%s needs no credential", where).isTrue();
        }
        if (p.getKey().contains("{id}") || p.getKey().contains("{slug}") || p.getKey().contains("{name}")) {
          assertThat(statuses).as(where).contains("404");
        }
        if (op.has("requestBody")) {
          // Other content types and charsets: 415, on the OAuth endpoints in the RFC 6749 shape (BAD-31, BAD-32).
          assertThat(statuses).as(where).contains("413", "415");
          if (oauth) {
            assertThat(op.path("responses").path("415").toString()).as(where).contains("OAuthUnsupportedMediaType");
          }
          assertThat(op.path("requestBody").path("content").has("application/json")).as(where).isTrue();
        }
      }));
      JsonNode paths = doc.path("paths");
      assertThat(statuses(paths, "/api/v1/users", "post")).contains("201", "409", "422");
      assertThat(statuses(paths, "/api/v1/users/{id}", "delete")).contains("204", "409");
      assertThat(statuses(paths, "/api/v1/users/{id}", "patch")).contains("200", "409", "422");
      assertThat(statuses(paths, "/api/v1/keys", "post")).contains("201", "404", "409", "422");
      assertThat(statuses(paths, "/api/v1/keys", "get")).contains("200", "404");
      assertThat(statuses(paths, "/api/v1/keys/{id}/revoke", "post")).contains("200", "409");
      assertThat(statuses(paths, "/api/v1/tenants", "post")).contains("201", "409");
      assertThat(statuses(paths, "/health/ready", "get")).contains("200", "503");
      assertThat(statuses(paths, "/api/v1/token", "post")).contains("200", "400", "401", "503");
      assertThat(statuses(paths, "/oauth/introspect", "post")).contains("200", "400", "401", "403");
      assertThat(statuses(paths, "/oauth/revoke", "post")).contains("200", "400", "401");
    }

    private Set<String> statuses(JsonNode paths, String path, String method) {
      Set<String> out = new TreeSet<>();
      paths.path(path).path(method).path("responses").fieldNames().forEachRemaining(out::add);
      return out;
    }

    @Test
    void openapiWhenSchemasComparedWithRealAnswersThenSameFields() {
      JsonNode doc = openapi();
      Auth owner = server.owner();
      Fixtures.NewUser user = Fixtures.programmatic(http, owner);
      Fixtures.NewUser person = Fixtures.person(http, owner);
      TestHttp.Response key = http.post("/api/v1/keys", owner, Map.of("name", "schema-check", "environment", "sandbox"));
      TestHttp.Response tenant = http.post("/api/v1/tenants", owner,
          Map.of("slug", "schema-" + Long.toString(System.nanoTime(), 36), "name", "Schema", "ownerEmail", Fixtures.email("schema")));
      assertThat(tenant.status()).as(tenant.body()).isEqualTo(201);

      assertSameFields(doc, "CreatedUser", user.json());
      assertThat(required(doc, "CreatedUser")).containsAll(fields(person.json()));
      assertSameFields(doc, "User", http.get("/api/v1/users/" + user.id(), owner).json());
      assertSameFields(doc, "UserList", http.get("/api/v1/users", owner).json());
      assertSameFields(doc, "CreatedKey", key.json());
      assertSameFields(doc, "Key", http.get("/api/v1/keys/" + key.text("id"), owner).json());
      assertSameFields(doc, "KeyList", http.get("/api/v1/keys", owner).json());
      assertSameFields(doc, "CreatedTenant", tenant.json());
      assertSameFields(doc, "User", tenant.json().path("owner"));
      assertSameFields(doc, "Tenant", http.get("/api/v1/tenants", owner).json().path("tenants").get(0));
      assertSameFields(doc, "TenantList", http.get("/api/v1/tenants", owner).json());
      assertSameFields(doc, "AuditEvent", http.get("/api/v1/audit?limit=1", owner).json().path("events").get(0));
      assertSameFields(doc, "AuditList", http.get("/api/v1/audit?limit=1", owner).json());
      assertSameFields(doc, "Password", http.post("/api/v1/users/" + user.id() + "/reset-password", owner, null).json());
      JsonNode meByKey = http.get("/api/v1/me", Auth.bearer(key.text("key"))).json();
      assertSameFields(doc, "Me", meByKey);
      assertThat(fields(meByKey.path("credential")))
          .isEqualTo(fields(schema(doc, "Me").path("properties").path("credential").path("properties")));
      assertThat(fields(meByKey.path("tenant")))
          .isEqualTo(fields(schema(doc, "Me").path("properties").path("tenant").path("properties")));
      assertSameFields(doc, "Health", http.get("/health/live", Auth.NONE).json());
      assertOAuthSchemas(doc, owner, key.text("key"));
      assertSameFields(doc, "Readiness", http.get("/health/ready", Auth.NONE).json());
      JsonNode fieldError = http.post("/api/v1/users", owner, Map.of("email", "not-an-email", "name", "x")).json();
      assertSameFields(doc, "Error", fieldError);
      assertThat(required(doc, "Error")).containsAll(fields(http.get("/api/v1/me", Auth.NONE).json()));
      assertThat(schema(doc, "Error").path("properties").path("error").path("enum").toString())
          .contains("\"" + fieldError.path("error").asText() + "\"", "\"already_revoked\"", "\"tenant_required\"");
    }

    /** The answers of the token endpoints against their schemas. */
    private void assertOAuthSchemas(JsonNode doc, Auth owner, String apiKey) {
      TestHttp.Response exchanged = http.post("/auth/api-key", Auth.NONE, Map.of("apiKey", apiKey));
      assertThat(exchanged.status()).as(exchanged.body()).isEqualTo(200);
      assertSameFields(doc, "TokenResponse", exchanged.json());
      TestHttp.Response cc = http.send("POST", "/api/v1/token", Auth.basic(apiKey, ""), "grant_type=client_credentials",
          "application/x-www-form-urlencoded");
      assertThat(cc.status()).as(cc.body()).isEqualTo(200);
      assertThat(fields(cc.json())).isSubsetOf(fields(schema(doc, "TokenResponse").path("properties")))
          .containsAll(required(doc, "TokenResponse"));
      String accessToken = exchanged.text("access_token");
      assertSameFields(doc, "Introspection", http.post("/oauth/introspect", owner, Map.of("token", accessToken)).json());
      assertThat(fields(http.post("/oauth/introspect", owner, Map.of("token", "garbage")).json())).isEqualTo(required(doc, "Introspection"));
      JsonNode oauthError = http.send("POST", "/api/v1/token", Auth.NONE, "", "application/x-www-form-urlencoded").json();
      assertSameFields(doc, "OAuthError", oauthError);
      for (String path : List.of("/api/v1/token", "/auth/api-key", "/auth/refresh", "/oauth/introspect", "/oauth/revoke")) {
        TestHttp.Response unsupported = http.send("POST", path, owner, "token=x", "text/plain");
        assertThat(unsupported.status()).as("%s %s", path, unsupported).isEqualTo(415);
        assertSameFields(doc, "OAuthError", unsupported.json());
        assertThat(unsupported.text("error")).isEqualTo("invalid_request");
        assertThat(statuses(doc.path("paths"), path, "post")).as(path).contains("415");
      }
      Set<String> codes = new TreeSet<>();
      for (dev.keyward.core.token.OAuthException.Code c : dev.keyward.core.token.OAuthException.Code.values()) {
        codes.add(c.wireName());
      }
      Set<String> documented = new TreeSet<>();
      schema(doc, "OAuthError").path("properties").path("error").path("enum").forEach(n -> documented.add(n.asText()));
      assertThat(documented).isEqualTo(codes).contains(oauthError.path("error").asText());
      assertSameFields(doc, "AuthorizationServerMetadata", http.get("/.well-known/oauth-authorization-server", Auth.NONE).json());
      JsonNode jwks = http.get("/.well-known/jwks.json", Auth.NONE).json();
      assertSameFields(doc, "JwkSet", jwks);
      assertThat(jwks.path("keys").size()).isPositive();
      for (JsonNode jwk : jwks.path("keys")) {
        assertThat(fields(jwk)).isSubsetOf(fields(schema(doc, "Jwk").path("properties"))).containsAll(required(doc, "Jwk"));
      }
      TestHttp.Response rotated = http.post("/api/v1/signing-keys/rotate", owner, null);
      assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
      assertSameFields(doc, "RotatedSigningKey", rotated.json());
      JsonNode meByToken = http.get("/api/v1/me", Auth.bearer(accessToken)).json();
      assertSameFields(doc, "Me", meByToken);
      assertThat(schema(doc, "Me").path("properties").path("credential").path("properties").path("type").path("enum").toString())
          .contains("\"" + meByToken.path("credential").path("type").asText() + "\"");
    }

    private JsonNode schema(JsonNode doc, String name) {
      JsonNode s = doc.path("components").path("schemas").path(name);
      assertThat(s.isObject()).as("schema %s", name).isTrue();
      return s;
    }

    private Set<String> required(JsonNode doc, String name) {
      Set<String> out = new TreeSet<>();
      schema(doc, name).path("required").forEach(n -> out.add(n.asText()));
      return out;
    }

    private void assertSameFields(JsonNode doc, String name, JsonNode answer) {
      JsonNode s = schema(doc, name);
      assertThat(fields(answer)).as("fields of %s answer vs schema", name).isEqualTo(fields(s.path("properties")));
      assertThat(fields(answer)).as("required fields of %s", name).containsAll(required(doc, name));
      assertThat(s.path("additionalProperties").asBoolean(true)).as("%s is closed", name).isFalse();
    }

    private void collectRefs(JsonNode node, List<String> out) {
      if (node.isObject()) {
        node.properties().forEach(e -> {
          if (e.getKey().equals("$ref")) {
            out.add(e.getValue().asText());
          } else {
            collectRefs(e.getValue(), out);
          }
        });
      } else if (node.isArray()) {
        node.forEach(n -> collectRefs(n, out));
      }
    }
  }

  @Nested
  class ContentType {
    @Test
    void everyRouteWhenCalledWithOrWithoutCredentialsThenJsonWithCharset() {
      List<String> checked = new ArrayList<>();
      server.server().routes().forEach((path, methods) -> {
        String concrete = path.replace("{slug}", "no-such-tenant").replace("{name}", "no-such-role").replace("{id}", path.startsWith("/api/v1/keys") ? Fixtures.unknownId("key") : Fixtures.unknownId("usr"));
        for (String method : methods) {
          for (Auth auth : new Auth[] {Auth.NONE, server.owner()}) {
            String body = method.equals("GET") || method.equals("DELETE") ? null : "{}";
            TestHttp.Response r = http.send(method, concrete, auth, body, body == null ? null : "application/json");
            String where = method + " " + concrete + " (" + (auth.header() == null ? "anonymous" : "owner") + ") -> " + r;
            checked.add(where);
            if (path.equals("/metrics")) {
              assertThat(r.header("content-type")).as(where).startsWith("text/plain");
              continue;
            }
            assertThat(r.body()).as(where).isNotEmpty();
            assertThat(r.header("content-type")).as(where).isEqualTo(JSON_TYPE);
            r.json();
            if (r.status() >= 400) {
              assertThat(r.text("request_id")).as(where).isNotBlank();
              assertThat(r.status()).as(where).isLessThan(500);
            }
          }
        }
      });
      int operations = server.server().routes().values().stream().mapToInt(Set::size).sum();
      assertThat(operations).isGreaterThanOrEqualTo(18);
      assertThat(checked).hasSize(2 * operations);
    }

    @Test
    void errorsWhenRaisedByRoutingOrHttpLayerThenJsonWithCharset() {
      List<TestHttp.Response> answers = List.of(
          http.get("/no/such/path", Auth.NONE),
          http.get("/api/v1/nothing-here", server.owner()),
          http.send("DELETE", "/health/live", Auth.NONE, null, null),
          http.send("PUT", "/api/v1/users", server.owner(), "{}", "application/json"),
          http.get("/api/v1/me", Auth.NONE),
          http.get("/api/v1/me", Auth.bearer("kw_live_nope")),
          http.send("POST", "/api/v1/users", server.owner(), "{not json", "application/json"),
          http.send("POST", "/api/v1/users", server.owner(), "email=a", "application/x-www-form-urlencoded"),
          http.post("/api/v1/users", server.owner(), Map.of("email", "a@example.com", "name", "x", "surprise", 1)),
          http.send("POST", "/api/v1/keys", server.owner(), "{\"name\":\"" + "x".repeat(70_000) + "\"}", "application/json"),
          http.raw("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n".getBytes(StandardCharsets.US_ASCII)),
          http.raw("GET /health/live HTTP/1.1\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII)),
          http.raw("BLAH\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
      int[] expected = {404, 404, 405, 405, 401, 401, 400, 415, 400, 413, 400, 400, 400};
      for (int i = 0; i < answers.size(); i++) {
        TestHttp.Response r = answers.get(i);
        assertThat(r.status()).as("answer %d: %s", i, r).isEqualTo(expected[i]);
        assertThat(r.header("content-type")).as("answer %d: %s", i, r).isEqualTo(JSON_TYPE);
        assertThat(r.text("error")).as("answer %d", i).isNotBlank();
        assertThat(r.text("request_id")).as("answer %d", i).isNotBlank();
      }
      assertThat(answers.get(2).header("allow")).isEqualTo("GET");
      assertThat(answers.get(3).header("allow")).isEqualTo("GET, POST");
      assertThat(answers.get(4).headerValues("www-authenticate")).anyMatch(v -> v.startsWith("Bearer"));
      assertThat(answers.get(4).headerValues("www-authenticate")).anyMatch(v -> v.startsWith("Basic"));
    }
  }
}
