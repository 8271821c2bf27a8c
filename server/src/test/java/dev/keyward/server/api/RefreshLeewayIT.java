package dev.keyward.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.server.testing.TestHttp;
import dev.keyward.server.testing.TestHttp.Auth;
import dev.keyward.server.testing.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The optional refresh-token reuse leeway (off by default) for clients that retry after a lost answer. */
class RefreshLeewayIT {
  static TestHttp.Response refresh(TestHttp http, String refreshToken) {
    return http.post("/auth/refresh", Auth.NONE, Map.of("refreshToken", refreshToken));
  }

  @Test
  void refreshWhenReusedWithinLeewayThenNewPairAndFamilyKept() {
    try (TestServer server = TestServer.start(c -> c.withTokens(c.tokens().withReuseLeeway(Duration.ofSeconds(30))))) {
      TestHttp http = server.http();
      String key = http.post("/api/v1/keys", server.owner(), Map.of("name", "leeway")).text("key");
      String first = http.post("/auth/api-key", Auth.NONE, Map.of("apiKey", key)).text("refresh_token");
      TestHttp.Response a = refresh(http, first);
      TestHttp.Response retry = refresh(http, first);
      assertThat(a.status()).isEqualTo(200);
      assertThat(retry.status()).as("a retry within the leeway gets a new pair").isEqualTo(200);
      assertThat(retry.text("refresh_token")).isNotEqualTo(a.text("refresh_token"));
      assertThat(refresh(http, a.text("refresh_token")).status()).as("the family stays good").isEqualTo(200);
      assertThat(http.get("/api/v1/me", Auth.bearer(retry.text("access_token"))).status()).isEqualTo(200);
    }
  }

  @Test
  void refreshWhenReusedAfterTheRaceWindowWithoutLeewayThenFamilyRevoked() throws Exception {
    try (TestServer server = TestServer.start()) {
      TestHttp http = server.http();
      String key = http.post("/api/v1/keys", server.owner(), Map.of("name", "strict")).text("key");
      String first = http.post("/auth/api-key", Auth.NONE, Map.of("apiKey", key)).text("refresh_token");
      TestHttp.Response a = refresh(http, first);
      assertThat(a.status()).isEqualTo(200);
      Thread.sleep(2_200); // past the 2 s concurrent-retry window
      assertThat(refresh(http, first).status()).isEqualTo(400);
      assertThat(refresh(http, a.text("refresh_token")).status()).as("the whole family is revoked").isEqualTo(400);
    }
  }
}
