package dev.keyward.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.server.api.Fixtures.NewKey;
import dev.keyward.server.api.Fixtures.NewUser;
import dev.keyward.server.testing.TestHttp;
import dev.keyward.server.testing.TestServer;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Key access options through the keys API: creation, warnings, edits, rolls, bad input, reserved own-key management. */
class KeyOptionsIT {
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

  static Map<String, Object> named(Map<String, ?> options) {
    Map<String, Object> body = new HashMap<>(options);
    body.put("name", "k-" + java.util.UUID.randomUUID());
    return body;
  }

  @Test
  void createWhenEveryOptionGivenThenShownBackNormalisedWithRedundancyWarnings() {
    TestHttp.Response r = http.post("/api/v1/keys", server.owner(), named(Map.of(
        "resources", List.of("algo://*", "algo://foo/*", "algo://foo/bar/*", "algo://foo/*"),
        "dataAccess", "read_write", "manageAlgorithms", true,
        "callers", Map.of("native", true, "browser", true, "hostnames", List.of("App.Example.COM.", "*.example.org")),
        "ipAllowlist", List.of("10.0.0.0/8", "2001:db8::/32", "192.168.1.7"),
        "rateLimit", Map.of("limit", 100, "periodSeconds", 60), "quota", 1000)));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    assertThat(r.json().path("access").path("callers").path("hostnames").toString()).isEqualTo("[\"app.example.com\",\"*.example.org\"]");
    assertThat(r.json().path("access").path("ipAllowlist").toString()).contains("192.168.1.7/32");
    assertThat(r.json().path("access").path("quota").asLong()).isEqualTo(1000);
    List<String> warnings = Fixtures.items(r.json().path("warnings")).stream().map(w -> w.asText()).toList();
    assertThat(warnings).contains("'algo://foo/*' is already covered by 'algo://*'");
    assertThat(warnings).anySatisfy(w -> assertThat(w).startsWith("'algo://foo/bar/*' is already covered by '"));
    assertThat(warnings).hasSizeGreaterThanOrEqualTo(3);
    TestHttp.Response read = http.get("/api/v1/keys/" + r.text("id"), server.owner());
    assertThat(read.json().path("access")).isEqualTo(r.json().path("access"));
    assertThat(read.json().path("quotaRemaining").asLong()).isEqualTo(1000);
  }

  @Test
  void createWhenOptionMalformedThen400NamingTheField() {
    record Case(Map<String, ?> options, String field) {}
    for (Case c : List.of(
        new Case(Map.of("resources", List.of("")), "resources[0]"),
        new Case(Map.of("resources", List.of("algo://ok/*", "algo://")), "resources[1]"),
        new Case(Map.of("resources", List.of("*")), "resources[0]"),
        new Case(Map.of("resources", List.of("algo://**")), "resources[0]"),
        new Case(Map.of("resources", List.of("algo://foo*/bar")), "resources[0]"),
        new Case(Map.of("resources", List.of("algo://foo/*/bar")), "resources[0]"),
        new Case(Map.of("resources", List.of("algo://foo/.*")), "resources[0]"),
        new Case(Map.of("resources", List.of("algo://(a+)+$")), "resources[0]"),
        new Case(Map.of("resources", List.of("algo://" + "a".repeat(1100))), "resources[0]"),
        new Case(Map.of("resources", Collections.nCopies(257, "algo://a")), "resources"),
        new Case(Map.of("resources", "algo://*"), "resources"),
        new Case(Map.of("dataAccess", "write"), "dataAccess"),
        new Case(Map.of("manageAlgorithms", "yes"), "manageAlgorithms"),
        new Case(Map.of("callers", Map.of("browser", true)), "callers.hostnames"),
        new Case(Map.of("callers", Map.of("browser", true, "hostnames", List.of("evil.com/a.com"))), "callers.hostnames[0]"),
        new Case(Map.of("callers", Map.of("browser", true, "hostnames", List.of("*"))), "callers.hostnames[0]"),
        new Case(Map.of("ipAllowlist", List.of("10.0.0.1/8")), "ipAllowlist[0]"),
        new Case(Map.of("ipAllowlist", List.of("example.com")), "ipAllowlist[0]"),
        new Case(Map.of("ipAllowlist", List.of("10.0.0.0/33")), "ipAllowlist[0]"),
        new Case(Map.of("rateLimit", Map.of("limit", 0, "periodSeconds", 60)), "rateLimit.limit"),
        new Case(Map.of("rateLimit", Map.of("limit", 10)), "rateLimit.periodSeconds"),
        new Case(Map.of("rateLimit", Map.of("limit", 10, "periodSeconds", 1.5)), "rateLimit.periodSeconds"),
        new Case(Map.of("quota", -1), "quota"),
        new Case(Map.of("quota", "10"), "quota"))) {
      TestHttp.Response r = http.post("/api/v1/keys", server.owner(), named(c.options()));
      assertThat(r.status()).as(c + " " + r.body()).isEqualTo(400);
      assertThat(r.json().path("field").asText()).as(c + " " + r.body()).isEqualTo(c.field());
    }
  }

  @Test
  void patchWhenOptionsChangedThenReplacedAndOthersKeptAndNullResets() {
    NewKey k = Fixtures.key(http, server.owner(), named(Map.of("resources", List.of("algo://a/*"), "quota", 5,
        "rateLimit", Map.of("limit", 10, "periodSeconds", 60))));
    TestHttp.Response changed = http.patch("/api/v1/keys/" + k.id(), server.owner(),
        Map.of("resources", List.of("algo://a/*", "algo://a/b/*"), "name", "renamed"));
    assertThat(changed.status()).as(changed.body()).isEqualTo(200);
    assertThat(changed.json().path("name").asText()).isEqualTo("renamed");
    assertThat(changed.json().path("warnings").toString()).contains("algo://a/b/*");
    assertThat(changed.json().path("access").path("rateLimit").path("limit").asInt()).as("kept").isEqualTo(10);
    assertThat(changed.json().path("quotaRemaining").asLong()).as("kept").isEqualTo(5);
    Map<String, Object> reset = new HashMap<>();
    reset.put("rateLimit", null);
    reset.put("quota", null);
    TestHttp.Response cleared = http.patch("/api/v1/keys/" + k.id(), server.owner(), reset);
    assertThat(cleared.status()).as(cleared.body()).isEqualTo(200);
    assertThat(cleared.json().path("access").path("rateLimit").isNull()).isTrue();
    assertThat(cleared.json().path("quotaRemaining").isNull()).isTrue();
    assertThat(http.get("/api/v1/audit?event=key.updated", server.owner()).json().path("events").size()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void patchWhenImmutableUnknownEmptyOrRevokedThenRefused() {
    NewKey k = Fixtures.key(http, server.owner(), named(Map.of()));
    for (Map.Entry<String, Object> immutable : Map.<String, Object>of("environment", "production", "admin", true,
        "userId", "usr_0000000000000000000000").entrySet()) {
      TestHttp.Response r = http.patch("/api/v1/keys/" + k.id(), server.owner(), Map.of(immutable.getKey(), immutable.getValue()));
      assertThat(r.status()).as(r.body()).isEqualTo(400);
      assertThat(r.json().path("field").asText()).isEqualTo(immutable.getKey());
    }
    assertThat(http.patch("/api/v1/keys/" + k.id(), server.owner(), Map.of("revoked", false)).status()).isEqualTo(400);
    assertThat(http.patch("/api/v1/keys/" + k.id(), server.owner(), Map.of()).status()).isEqualTo(400);
    assertThat(http.patch("/api/v1/keys/" + k.id(), server.owner(), Map.of("resources", List.of("bad"))).json().path("field").asText())
        .isEqualTo("resources[0]");
    assertThat(http.patch("/api/v1/keys/" + Fixtures.unknownId("key"), server.owner(), Map.of("name", "x")).status()).isEqualTo(404);
    http.post("/api/v1/keys/" + k.id() + "/revoke", server.owner(), Map.of());
    TestHttp.Response revoked = http.patch("/api/v1/keys/" + k.id(), server.owner(), Map.of("name", "again"));
    assertThat(revoked.status()).isEqualTo(409);
    assertThat(http.post("/api/v1/keys/" + k.id() + "/roll", server.owner(), Map.of("gracePeriodSeconds", 0)).status()).isEqualTo(409);
  }

  @Test
  void rollWhenGraceOutOfRangeOrMissingThen400AndOtherUsersKeyNotFound() {
    NewKey k = Fixtures.key(http, server.owner(), named(Map.of()));
    for (Object grace : List.of(-1, 2_592_001, 1.5, "60")) {
      TestHttp.Response r = http.post("/api/v1/keys/" + k.id() + "/roll", server.owner(), Map.of("gracePeriodSeconds", grace));
      assertThat(r.status()).as(grace + " " + r.body()).isEqualTo(400);
      assertThat(r.json().path("field").asText()).isEqualTo("gracePeriodSeconds");
    }
    assertThat(http.post("/api/v1/keys/" + k.id() + "/roll", server.owner(), Map.of()).status()).isEqualTo(400);
    NewUser other = Fixtures.programmatic(http, server.owner());
    assertThat(http.post("/api/v1/keys/" + k.id() + "/roll", other.key(), Map.of("gracePeriodSeconds", 0)).status()).isEqualTo(404);
    TestHttp.Response rolled = http.post("/api/v1/keys/" + k.id() + "/roll", server.owner(), Map.of("gracePeriodSeconds", 60));
    assertThat(rolled.status()).isEqualTo(200);
    assertThat(rolled.header("Cache-Control")).isEqualTo("no-store");
    assertThat(http.get("/api/v1/audit?event=key.rolled", server.owner()).body()).contains(k.id()).doesNotContain(rolled.text("key"));
  }

  @Test
  void ownKeyManagementWhenReservedThenOnlyRolesGrantingItManageTheirKeys() {
    assertThat(http.post("/api/v1/roles", server.owner(), Map.of("name", "key-holder", "permissions", List.of("keys:manage-own"))).status())
        .isEqualTo(201);
    assertThat(http.post("/api/v1/roles", server.owner(), Map.of("name", "clerk", "permissions", List.of("invoices:read"))).status())
        .isEqualTo(201);
    NewUser holder = Fixtures.programmatic(http, server.owner(), "key-holder");
    NewUser clerk = Fixtures.programmatic(http, server.owner(), "clerk");
    try {
      http.patch("/api/v1/tenants/default/settings", server.owner(), Map.of("keyManagementReserved", true));
      TestHttp.Response refused = http.post("/api/v1/keys", clerk.basic(), named(Map.of()));
      assertThat(refused.status()).isEqualTo(403);
      assertThat(refused.json().path("message").asText()).contains("keys:manage-own");
      assertThat(http.post("/api/v1/keys/" + clerk.defaultKeyId() + "/revoke", clerk.basic(), Map.of()).status()).isEqualTo(403);
      assertThat(http.post("/api/v1/keys", holder.basic(), named(Map.of())).status()).isEqualTo(201);
      assertThat(http.post("/api/v1/keys", server.owner(), named(Map.of("userId", clerk.id()))).status()).as("admins still may").isEqualTo(201);
    } finally {
      http.patch("/api/v1/tenants/default/settings", server.owner(), Map.of("keyManagementReserved", false));
    }
    assertThat(http.post("/api/v1/keys", clerk.basic(), named(Map.of())).status()).isEqualTo(201);
  }
}
