package dev.keyward.server.http;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.LongSupplier;

/** Prometheus metrics of one server: requests by method and status, their latency, the JVM. */
public final class Metrics implements Filter {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter requests;
  private final Histogram latency;

  public Metrics() {
    requests = Counter.builder()
        .name("keyward_http_requests_total")
        .help("HTTP requests answered, by method and status")
        .labelNames("method", "status")
        .withoutExemplars()
        .register(registry);
    latency = Histogram.builder()
        .name("keyward_http_request_duration_seconds")
        .help("Time to answer an HTTP request")
        .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5)
        .classicOnly() // the text format shows only these; a native histogram would cost per request for nothing
        .withoutExemplars()
        .register(registry);
    JvmMetrics.builder().register(registry);
  }

  /**
   * Counts of a group commit (see the store): rows written and the commits that held them, so
   * that rows / commits shows how many writes share one durable commit.
   */
  public void groupCommit(String name, LongSupplier rows, LongSupplier commits) {
    CounterWithCallback.builder()
        .name("keyward_group_commit_rows_total")
        .help("Rows written through a group commit")
        .labelNames("store")
        .callback(cb -> cb.call(rows.getAsLong(), name))
        .register(registry);
    CounterWithCallback.builder()
        .name("keyward_group_commit_commits_total")
        .help("Durable commits made by a group commit")
        .labelNames("store")
        .callback(cb -> cb.call(commits.getAsLong(), name))
        .register(registry);
  }

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    long start = System.nanoTime();
    try {
      chain.proceed();
    } finally {
      latency.observe((System.nanoTime() - start) / 1e9);
      requests.labelValues(req.prologue().method().text(), String.valueOf(res.status().code())).inc();
    }
  }

  /** The registry in the Prometheus text format. */
  public byte[] scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    try {
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public static String contentType() {
    return PrometheusTextFormatWriter.CONTENT_TYPE;
  }
}
