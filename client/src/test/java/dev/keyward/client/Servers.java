package dev.keyward.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.core.token.TokenAlgorithm;
import dev.keyward.core.token.TokenService;
import dev.keyward.server.KeywardConfig;
import dev.keyward.server.testing.TestHttp;
import dev.keyward.server.testing.TestServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

/** Real Keyward servers for the client's tests, with short token lifetimes and no clock leeway on the server. */
final class Servers {
  private Servers() {}

  /** Access tokens living {@code access}, refresh tokens {@code refresh}; the server allows no clock skew. */
  static UnaryOperator<KeywardConfig> lifetimes(Duration access, Duration refresh) {
    return c -> c.withTokens(new KeywardConfig.TokenSettings(null, TokenAlgorithm.EDDSA, access, refresh, Duration.ofDays(1),
        Duration.ZERO, Duration.ZERO, TokenService.DEFAULT_RACE_WINDOW));
  }

  static TestServer start(Duration access, Duration refresh) {
    return TestServer.start(lifetimes(access, refresh));
  }

  /** Restarts on a data folder and port: the same server, as an operator restarting it would get. */
  static TestServer restart(Path dataDir, int port, Duration access, Duration refresh) {
    return TestServer.startIn(dataDir, c -> lifetimes(access, refresh).apply(c).withPort(port));
  }

  /** A programmatic user created by the owner: its id, email, password and default key (sandbox). */
  record Account(String id, String email, String password, String key, String keyId) {}

  static Account programmatic(TestServer server, String... roles) {
    String email = "svc-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    TestHttp.Response r = server.http().post("/api/v1/users", server.owner(),
        Map.of("email", email, "name", "Service", "programmatic", true, "roles", List.of(roles)));
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return new Account(r.text("id"), email, r.text("password"), r.text("defaultKey"), r.text("defaultKeyId"));
  }

  /** An admin key for {@code account} (an owner or admin): the admin API takes admin keys, never plain ones. */
  static String adminKey(TestServer server, Account account) {
    TestHttp.Response r = server.http().post("/api/v1/keys", server.owner(),
        Map.of("name", "admin-" + UUID.randomUUID(), "userId", account.id(), "admin", true));
    assertThat(r.status()).as("%s", r).isEqualTo(201);
    return r.text("key");
  }

  /** Refresh tokens the server stored for a user: one per sign-in (a new family) and one per refresh. */
  record RefreshRows(int rows, int families) {
    int refreshes() {
      return rows - families;
    }
  }

  static RefreshRows refreshRows(TestServer server, String userId) throws SQLException {
    try (Connection c = server.server().services().database().dataSource().getConnection();
        PreparedStatement s = c.prepareStatement("SELECT COUNT(*), COUNT(DISTINCT family_id) FROM refresh_tokens WHERE user_id = ?")) {
      s.setString(1, userId);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return new RefreshRows(rs.getInt(1), rs.getInt(2));
      }
    }
  }

  /** A client of {@code base} with {@code key}, renewing tokens {@code skew} before expiry. */
  static KeywardClient client(String base, String key, Duration skew) {
    return Keyward.client(base).apiKey(key).refreshSkew(skew).build();
  }
}
