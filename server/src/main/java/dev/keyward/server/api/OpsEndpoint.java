package dev.keyward.server.api;

import dev.keyward.server.http.Api;
import dev.keyward.server.http.Bodies;
import dev.keyward.server.http.Metrics;
import dev.keyward.store.Database;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** Liveness, readiness (the store answers), Prometheus metrics and the OpenAPI document. */
public final class OpsEndpoint {
  private static final byte[] LIVE = "{\"status\":\"UP\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
  private final Database database;
  private final Metrics metrics;
  private final byte[] openapi;

  public OpsEndpoint(Database database, Metrics metrics) {
    this.database = database;
    this.metrics = metrics;
    this.openapi = openApiDocument();
  }

  public void register(Api api) {
    api.get("/health/live", this::live)
        .get("/health/ready", this::ready)
        .get("/metrics", this::metrics)
        .get("/openapi.json", this::openapi);
  }

  private void live(ServerRequest req, ServerResponse res) {
    res.header(Bodies.JSON_TYPE);
    res.send(LIVE);
  }

  private void ready(ServerRequest req, ServerResponse res) {
    boolean up = database.isReachable();
    if (!up) {
      res.header(HeaderNames.RETRY_AFTER, "5");
    }
    Bodies.send(res, up ? 200 : 503, Map.of("status", up ? "UP" : "DOWN", "checks", Map.of("store", up ? "UP" : "DOWN")));
  }

  private void metrics(ServerRequest req, ServerResponse res) {
    res.header(HeaderNames.CONTENT_TYPE, Metrics.contentType());
    res.send(metrics.scrape());
  }

  private void openapi(ServerRequest req, ServerResponse res) {
    res.header(Bodies.JSON_TYPE);
    res.send(openapi);
  }

  /** The OpenAPI 3.1 document shipped with the server. */
  public static byte[] openApiDocument() {
    try (InputStream in = OpsEndpoint.class.getResourceAsStream("/openapi.json")) {
      if (in == null) {
        throw new IllegalStateException("openapi.json missing from the server jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
