package dev.keyward.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.server.testing.TestHttp;
import dev.keyward.server.testing.TestHttp.Auth;
import dev.keyward.server.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When the store cannot answer, decisions fail closed: 503, never a 200 from a stale guess. */
class FailClosedIT {
  @Test
  void authenticateWhenStoreGoneThen503WithRetryAfterAndReadinessDown() {
    try (TestServer server = TestServer.start()) {
      TestHttp http = server.http();
      String key = http.post("/api/v1/keys", server.owner(), Map.of("name", "k")).text("key");
      server.server().services().database().dataSource().close();

      TestHttp.Response r = http.get("/api/v1/me", Auth.bearer(key));
      assertThat(r.status()).as(r.body()).isEqualTo(503);
      assertThat(r.error()).isEqualTo("unavailable");
      assertThat(r.header("Retry-After")).isEqualTo("5");
      assertThat(r.body()).doesNotContain("SQL").doesNotContain("Hikari").doesNotContain(key);

      TestHttp.Response bad = http.get("/api/v1/me", Auth.bearer(key.substring(0, key.length() - 1) + "0"));
      assertThat(bad.status()).as("a bad checksum needs no store: still 401").isEqualTo(401);

      TestHttp.Response ready = http.get("/health/ready", Auth.NONE);
      assertThat(ready.status()).isEqualTo(503);
      assertThat(ready.json().path("status").asText()).isEqualTo("DOWN");
    }
  }
}
