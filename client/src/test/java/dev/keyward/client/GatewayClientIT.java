package dev.keyward.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyward.client.model.NewKey;
import dev.keyward.client.model.RateLimit;
import dev.keyward.server.KeywardConfig;
import dev.keyward.server.testing.EchoUpstream;
import dev.keyward.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's {@link HttpClient} in front of an API behind a real Keyward gateway (a real
 * upstream on 127.0.0.1 that echoes what it receives): signed with the access token, refused
 * elsewhere, retried after a 429 as {@code Retry-After} says.
 */
class GatewayClientIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ROUTES = """
      roles:
        - name: reader
          permissions: [reports:read]
      routes:
        - method: GET
          path: /reports/{path*}
          permission: reports:read
      """;
  @TempDir static Path dir;
  static EchoUpstream upstream;
  static TestServer server;
  static Servers.Account reader;

  @BeforeAll
  static void start() throws Exception {
    Path routes = Files.writeString(dir.resolve("routes.yaml"), ROUTES);
    upstream = EchoUpstream.start();
    server = TestServer.start(c -> Servers.lifetimes(Duration.ofMinutes(5), Duration.ofMinutes(5)).apply(c)
        .withRoutes(routes)
        .withGateway(KeywardConfig.GatewaySettings.NONE.withUpstream(URI.create(upstream.base()))));
    reader = Servers.programmatic(server, "reader");
  }

  @AfterAll
  static void stop() {
    server.close();
    upstream.close();
  }

  @Test
  void sendWhenRoutedPathThenUpstreamSeesTheDecidedCallerAndNoCredential() throws Exception {
    KeywardClient client = Keyward.client(server.http().base()).apiKey(reader.key()).build();
    HttpClient api = client.httpClient();
    HttpRequest request = client.httpClient().request("/reports/2026/q3.csv?format=csv")
        .header("Authorization", "Bearer not-this-one").GET().build();

    HttpResponse<String> r = api.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode echo = JSON.readTree(r.body());
    assertThat(echo.path("path").asText()).isEqualTo("/reports/2026/q3.csv");
    assertThat(echo.path("headers").path("x-keyward-user").get(0).asText()).isEqualTo(reader.id());
    assertThat(echo.path("headers").has("authorization")).as("the gateway removed the token").isFalse();

    HttpResponse<String> async = api.sendAsync(request, HttpResponse.BodyHandlers.ofString()).get();
    assertThat(async.statusCode()).isEqualTo(200);
  }

  @Test
  void sendWhenAnotherOriginThenRefusedAndNothingSent() {
    KeywardClient client = Keyward.client(server.http().base()).apiKey(reader.key()).build();
    int before = upstream.requests();
    HttpRequest elsewhere = HttpRequest.newBuilder(URI.create(upstream.base() + "/reports/x")).build();
    assertThatThrownBy(() -> client.httpClient().send(elsewhere, HttpResponse.BodyHandlers.discarding()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is sent only to http://127.0.0.1:" + server.port())
        .hasMessageContaining("trustOrigin(\"" + upstream.base() + "\")");
    assertThat(upstream.requests()).isEqualTo(before);
  }

  @Test
  void sendWhenOriginTrustedThenSignedThere() throws Exception {
    try (CountingProxy otherName = CountingProxy.to(server.http().base())) {
      KeywardClient client = Keyward.client(server.http().base()).apiKey(reader.key()).trustOrigin(otherName.base()).build();
      HttpRequest there = HttpRequest.newBuilder(URI.create(otherName.base() + "/reports/y")).build();
      assertThat(client.httpClient().send(there, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
      assertThat(otherName.bearerTokens("GET /reports/y")).containsExactly(client.accessToken());
    }
  }

  @Test
  void sendWhenRateLimitedThenWaitsAsRetryAfterSaysAndSucceeds() throws Exception {
    KeywardClient owner = Keyward.client(server.http().base()).apiKey(reader.key()).build();
    String limited = owner.keys().create(NewKey.named("one-a-second-" + System.nanoTime())
        .withRateLimit(RateLimit.of(1, Duration.ofSeconds(2)))).secret().reveal();
    KeywardClient patient = Keyward.client(server.http().base()).apiKey(limited).retries(2, Duration.ofMillis(50), Duration.ofSeconds(3)).build();
    KeywardClient hurried = Keyward.client(server.http().base()).apiKey(limited).retries(0, Duration.ZERO, Duration.ZERO).build();
    HttpRequest call = patient.httpClient().request("reports/r").build();
    patient.accessToken(); // both signed in before the window starts
    hurried.accessToken();

    assertThat(patient.httpClient().send(call, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    HttpResponse<String> refused = hurried.httpClient().send(call, HttpResponse.BodyHandlers.ofString());
    assertThat(refused.statusCode()).as("without retries the 429 is the caller's").isEqualTo(429);
    assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isBetween(1, 2));

    int before = upstream.requests();
    long start = System.nanoTime();
    HttpResponse<String> r = patient.httpClient().send(call, HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat((System.nanoTime() - start) / 1_000_000).as("waited for the window").isGreaterThanOrEqualTo(300L);
    assertThat(upstream.requests()).isEqualTo(before + 1);
    assertThat(r.headers().firstValue("RateLimit-Limit")).contains("1");
  }
}
