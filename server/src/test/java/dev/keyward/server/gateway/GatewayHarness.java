package dev.keyward.server.gateway;

import dev.keyward.core.auth.Principal;
import dev.keyward.core.authz.Decision;
import dev.keyward.core.authz.DecisionCode;
import dev.keyward.core.authz.DecisionRequest;
import dev.keyward.core.authz.Decisions;
import dev.keyward.core.error.KeywardException;
import dev.keyward.core.key.Environment;
import dev.keyward.server.http.ClientAddress;
import dev.keyward.server.http.ErrorResponses;
import dev.keyward.server.http.RequestIssuer;
import dev.keyward.server.testing.TestHttp;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The gateway alone, on a real Helidon server on 127.0.0.1, in front of a real upstream, with the
 * decision function replaced by what each test sets: for the proxy mechanics (streaming, headers,
 * statuses). The wiring with the real decision engine is tested through the real server.
 */
final class GatewayHarness implements AutoCloseable {
  static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  static final Principal ALICE = new Principal("tenant-id-1", "acme", "user-id-1", "alice@example.com",
      Set.of("treasurer", "accountant", "CFO"), Principal.CredentialType.API_KEY, "key-id-1", Environment.SANDBOX, false);

  final AtomicReference<Decisions> decisions = new AtomicReference<>(r -> allow(ALICE));
  final List<DecisionRequest> asked = new CopyOnWriteArrayList<>();
  private final WebServer server;
  final TestHttp http;

  private GatewayHarness(WebServer server) {
    this.server = server;
    this.http = new TestHttp("http://127.0.0.1:" + server.port());
  }

  /** The gateway in front of {@code upstream}, trusting {@code trustedProxies}, routing GET and POST everywhere. */
  static GatewayHarness start(String upstream, Duration timeout, List<String> trustedProxies) {
    return start(upstream, timeout, trustedProxies, 64L * 1024 * 1024);
  }

  /** The same, forwarding bodies of at most {@code maxBody} bytes. */
  static GatewayHarness start(String upstream, Duration timeout, List<String> trustedProxies, long maxBody) {
    GatewayHarness[] self = new GatewayHarness[1];
    Decisions recording = request -> {
      self[0].asked.add(request);
      return self[0].decisions.get().decide(request);
    };
    Gateway gateway = new Gateway(recording, URI.create(upstream), timeout, path -> path.startsWith("/none") ? null : "GET, HEAD, POST",
        ClientAddress.trusting(trustedProxies), null, new RequestIssuer("http://keyward.test"), Clock.fixed(NOW, ZoneOffset.UTC));
    HttpRouting.Builder routing = HttpRouting.builder()
        .any(gateway)
        .any((req, res) -> {
          throw KeywardException.notFound("Resource");
        })
        .error(KeywardException.class, ErrorResponses::keyward)
        .error(Throwable.class, ErrorResponses::unexpected);
    WebServer server = WebServer.builder()
        .host("127.0.0.1")
        .port(0)
        .shutdownHook(false)
        .maxPayloadSize(maxBody)
        .directHandlers(ErrorResponses.directHandlers())
        .routing(routing)
        .build()
        .start();
    self[0] = new GatewayHarness(server);
    return self[0];
  }

  static Decision allow(@Nullable Principal who) {
    return new Decision(DecisionCode.VALID, "Allowed", who, null, null, null, null, List.of());
  }

  static Decision allowLimited(Principal who, long limit, long remaining, Instant resetAt) {
    return new Decision(DecisionCode.VALID, "Allowed", who, null, null, new Decision.Limit(limit, remaining, resetAt), null, List.of());
  }

  static Decision refuse(DecisionCode code, String message) {
    return new Decision(code, message, null, null, null, null, null, List.of());
  }

  DecisionRequest lastAsked() {
    return asked.get(asked.size() - 1);
  }

  String base() {
    return http.base();
  }

  @Override
  public void close() {
    server.stop();
  }
}
