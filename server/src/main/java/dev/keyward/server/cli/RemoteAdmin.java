package dev.keyward.server.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyward.server.api.KeysEndpoint;
import dev.keyward.server.api.RolesEndpoint;
import dev.keyward.server.api.UsersEndpoint;
import dev.keyward.server.api.Views;
import dev.keyward.server.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The management commands against a running server: the admin API ({@code /api/v1/…}) with the
 * key as a Bearer credential, answers read into the API's own types. An error answer becomes a
 * {@link CliFailure} carrying the server's message: exit 2 for a 400 (bad arguments), 1 otherwise.
 */
final class RemoteAdmin implements Admin {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  /** Tolerant reading: a newer server may add members to its answers. */
  private static final ObjectMapper READER = Json.MAPPER.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final URI base;
  private final String authorization;
  private final @Nullable String tenant;
  private final HttpClient http;

  RemoteAdmin(URI base, String key, @Nullable String tenant) {
    this.base = base;
    this.authorization = "Bearer " + key;
    this.tenant = tenant;
    this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /** Checks a {@code --url}: an http or https base address with a host. */
  static URI base(String url) {
    URI uri;
    try {
      uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    } catch (IllegalArgumentException e) {
      throw new CliFailure(CliFailure.BAD_ARGUMENTS, "--url is not a valid address: " + url);
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
        || uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new CliFailure(CliFailure.BAD_ARGUMENTS, "--url must be the server's base address, e.g. http://127.0.0.1:8080");
    }
    return uri;
  }

  @Override
  public Views.CreatedUserView createUser(UsersEndpoint.CreateUserRequest request) {
    return read(send("POST", "/api/v1/users", request), Views.CreatedUserView.class);
  }

  @Override
  public List<Views.UserView> users() {
    return list(send("GET", "/api/v1/users", null), "users", new TypeReference<>() {});
  }

  @Override
  public Views.UserView updateUser(String userId, UsersEndpoint.UpdateUserRequest request) {
    return read(send("PATCH", "/api/v1/users/" + segment(userId), request), Views.UserView.class);
  }

  @Override
  public String resetPassword(String userId) {
    return read(send("POST", "/api/v1/users/" + segment(userId) + "/reset-password", null), UsersEndpoint.PasswordView.class)
        .password();
  }

  @Override
  public Views.UserView unlock(String userId) {
    return read(send("POST", "/api/v1/users/" + segment(userId) + "/unlock", null), Views.UserView.class);
  }

  @Override
  public void removeUser(String userId) {
    send("DELETE", "/api/v1/users/" + segment(userId), null);
  }

  @Override
  public Views.CreatedKeyView createKey(KeysEndpoint.CreateKeyRequest request) {
    return read(send("POST", "/api/v1/keys", request), Views.CreatedKeyView.class);
  }

  @Override
  public List<Views.KeyView> keys(@Nullable String userId) {
    String query = userId == null ? "" : "?userId=" + URLEncoder.encode(userId, StandardCharsets.UTF_8);
    return list(send("GET", "/api/v1/keys" + query, null), "keys", new TypeReference<>() {});
  }

  @Override
  public Views.KeyView revokeKey(String keyId) {
    return read(send("POST", "/api/v1/keys/" + segment(keyId) + "/revoke", null), Views.KeyView.class);
  }

  @Override
  public Views.CreatedKeyView rollKey(String keyId, KeysEndpoint.RollRequest request) {
    return read(send("POST", "/api/v1/keys/" + segment(keyId) + "/roll", request), Views.CreatedKeyView.class);
  }

  @Override
  public List<RolesEndpoint.RoleView> roles() {
    return list(send("GET", "/api/v1/roles", null), "roles", new TypeReference<>() {});
  }

  @Override
  public RolesEndpoint.RoleView createRole(RolesEndpoint.RoleRequest request) {
    return read(send("POST", "/api/v1/roles", request), RolesEndpoint.RoleView.class);
  }

  @Override
  public RolesEndpoint.RoleView updateRole(String name, RolesEndpoint.RoleRequest request) {
    return read(send("PATCH", "/api/v1/roles/" + segment(name), request), RolesEndpoint.RoleView.class);
  }

  @Override
  public void deleteRole(String name) {
    send("DELETE", "/api/v1/roles/" + segment(name), null);
  }

  @Override
  public List<Views.AuditView> audit(AuditQuery q) {
    String actor = q.actor() == null || !q.actor().contains("@") ? q.actor() : userId(q.actor());
    List<String> params = new ArrayList<>();
    param(params, "event", q.event());
    param(params, "actor", actor);
    param(params, "subject", q.subject());
    param(params, "since", q.since());
    param(params, "until", q.until());
    param(params, "limit", String.valueOf(q.limit()));
    return list(send("GET", "/api/v1/audit?" + String.join("&", params), null), "events", new TypeReference<>() {});
  }

  /** {@code POST /api/v1/signing-keys/rotate}: the new key id and algorithm. */
  String rotateSigningKey() {
    JsonNode answer = read(send("POST", "/api/v1/signing-keys/rotate", null), JsonNode.class);
    return answer.path("kid").asText() + " (" + answer.path("algorithm").asText() + ")";
  }

  private static void param(List<String> params, String name, @Nullable String value) {
    if (value != null) {
      params.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
    }
  }

  private static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private byte[] send(String method, String path, @Nullable Object body) {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_TIMEOUT)
        .header("Authorization", authorization).header("Accept", "application/json");
    if (tenant != null) {
      req.header("X-Keyward-Tenant", tenant);
    }
    if (body != null) {
      req.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(Json.write(body)));
    } else if (method.equals("POST")) {
      req.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString("{}"));
    } else {
      req.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<byte[]> res;
    try {
      res = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      String why = e instanceof java.net.ConnectException ? "connection refused"
          : e instanceof java.net.http.HttpTimeoutException ? "no answer in time"
          : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new CliFailure(CliFailure.REFUSED, "cannot reach " + base + ": " + why);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliFailure(CliFailure.REFUSED, "interrupted while calling " + base);
    }
    if (res.statusCode() / 100 != 2) {
      throw failure(res);
    }
    return res.body();
  }

  private CliFailure failure(HttpResponse<byte[]> res) {
    String message;
    try {
      JsonNode error = READER.readTree(res.body());
      message = error.path("message").asText(error.path("error_description").asText(""));
    } catch (IOException | RuntimeException e) {
      message = "";
    }
    if (message.isBlank()) {
      message = "no error message";
    }
    int status = res.statusCode();
    String hint = status == 401 ? " (check --key or KEYWARD_KEY)" : "";
    return new CliFailure(status == 400 ? CliFailure.BAD_ARGUMENTS : CliFailure.REFUSED,
        "the server answered " + status + ": " + message + hint);
  }

  private static <T> T read(byte[] body, Class<T> type) {
    try {
      return READER.readValue(body, type);
    } catch (IOException e) {
      throw new CliFailure(CliFailure.REFUSED, "the server's answer is not what this CLI expects: " + e.getMessage());
    }
  }

  private static <T> List<T> list(byte[] body, String member, TypeReference<List<T>> type) {
    try {
      Map<String, JsonNode> wrapper = READER.readValue(body, new TypeReference<Map<String, JsonNode>>() {});
      JsonNode items = wrapper.get(member);
      if (items == null || !items.isArray()) {
        throw new CliFailure(CliFailure.REFUSED, "the server's answer has no '" + member + "' list");
      }
      return READER.convertValue(items, type);
    } catch (IOException | IllegalArgumentException e) {
      throw new CliFailure(CliFailure.REFUSED, "the server's answer is not what this CLI expects: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    http.close();
  }
}
