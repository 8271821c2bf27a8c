package dev.keyward.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.server.testing.TestHttp;
import dev.keyward.server.testing.TestHttp.Auth;
import dev.keyward.server.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MeIT {
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

  @Test
  void meWhenBasicPasswordThenPasswordCredentialInDefaultTenant() {
    TestHttp.Response r = http.get("/api/v1/me", server.owner());
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("email").asText()).isEqualTo(TestServer.ADMIN_EMAIL);
    assertThat(r.json().path("tenant").path("slug").asText()).isEqualTo("default");
    assertThat(r.json().path("roles").toString()).isEqualTo("[\"owner\"]");
    assertThat(r.json().path("credential").path("type").asText()).isEqualTo("password");
  }

  @Test
  void meWhenBearerKeyOrBasicKeyThenApiKeyCredential() {
    TestHttp.Response created = http.post("/api/v1/keys", server.owner(), Map.of("name", "me-test", "environment", "production"));
    assertThat(created.status()).isEqualTo(201);
    String key = created.text("key");
    for (Auth auth : new Auth[] {Auth.bearer(key), Auth.basic(key, "")}) {
      TestHttp.Response r = http.get("/api/v1/me", auth);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(r.json().path("credential").path("type").asText()).isEqualTo("api_key");
      assertThat(r.json().path("credential").path("keyId").asText()).isEqualTo(created.text("id"));
      assertThat(r.json().path("credential").path("environment").asText()).isEqualTo("production");
    }
  }
}
