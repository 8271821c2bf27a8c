package dev.keyward.server.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real upstream API for gateway tests, on 127.0.0.1 and a free port (JDK HttpServer, one virtual
 * thread per exchange). By the path's last segment (so that any routed prefix reaches them):
 *
 * <ul>
 *   <li>{@code /slow?ms=N}: waits N ms, then echoes;
 *   <li>{@code /bytes?n=N}: answers N bytes of {@link #pattern} (chunked), without reading more;
 *   <li>{@code /sized?n=N}: the same with a {@code Content-Length};
 *   <li>{@code /stream}: answers "first;" at once, then "second;" once {@link #releaseStream} is
 *       called (chunked): a gateway that buffers cannot pass the first part on before the release;
 *   <li>{@code /wait-body}: reads 2 bytes, counts down {@link #firstBytes}, then reads the rest and echoes;
 *   <li>{@code …/status/N}: answers status N with a small body (none for 204 and 304);
 *   <li>{@code /answer-headers}: answers with hop-by-hop, CORS and cookie headers the gateway must handle;
 *   <li>{@code /broken}: promises 1000 bytes, sends 10, and closes;
 *   <li>{@code /broken-chunked}: sends 10 bytes chunked, and drops the connection without the last chunk;
 *   <li>anything else: echoes the request as JSON.
 * </ul>
 *
 * The echo is {@code {"method","path","query","headers":{lower-case name: [values]},"bodyLength","bodySha256"}};
 * the body is read as a stream and only hashed, never kept.
 */
public final class EchoUpstream implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();
  private final List<Long> echoedBodies = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final java.util.Set<Integer> peerPorts = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile CountDownLatch streamRelease = new CountDownLatch(1);
  private volatile CountDownLatch firstBytes = new CountDownLatch(1);

  private EchoUpstream(HttpServer server) {
    this.server = server;
  }

  public static EchoUpstream start() {
    try {
      HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
      s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      EchoUpstream upstream = new EchoUpstream(s);
      s.createContext("/", upstream::handle);
      s.start();
      return upstream;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** How many requests reached the upstream. */
  public int requests() {
    return requests.get();
  }

  /** The length of every body echoed whole (read to its end), in order. */
  public List<Long> echoedBodies() {
    return List.copyOf(echoedBodies);
  }

  /** How many different connections (client ports) requests came on. */
  public int connections() {
    return peerPorts.size();
  }

  public void releaseStream() {
    streamRelease.countDown();
  }

  /** Waits until {@code /wait-body} has read the first bytes of a body. */
  public boolean awaitFirstBytes(long seconds) throws InterruptedException {
    return firstBytes.await(seconds, TimeUnit.SECONDS);
  }

  /** Resets the latches for another streaming test. */
  public void reset() {
    streamRelease = new CountDownLatch(1);
    firstBytes = new CountDownLatch(1);
  }

  /** Byte {@code i} of the {@code /bytes} answer. */
  public static byte pattern(long i) {
    return (byte) ((i * 31 + (i >>> 8)) & 0xff);
  }

  private void handle(HttpExchange ex) throws IOException {
    requests.incrementAndGet();
    peerPorts.add(ex.getRemoteAddress().getPort());
    if (ex.getRequestURI().getRawPath().endsWith("/broken-chunked")) {
      ex.sendResponseHeaders(200, 0);
      ex.getResponseBody().write(new byte[10]);
      ex.getResponseBody().flush();
      // Thrown without closing the exchange (which would send the last chunk): the JDK server drops the connection.
      throw new IOException("test: the upstream breaks off");
    }
    try (ex) {
      String path = ex.getRequestURI().getRawPath();
      String query = ex.getRequestURI().getRawQuery();
      String last = path.substring(path.lastIndexOf('/'));
      int status = path.indexOf("/status/");
      if (status >= 0) {
        status(ex, Integer.parseInt(path.substring(status + "/status/".length())));
        return;
      }
      switch (last) {
        case "/slow" -> {
          sleep(Long.parseLong(query.substring(query.indexOf('=') + 1)));
          echo(ex);
        }
        case "/bytes" -> bytes(ex, Long.parseLong(query.substring(query.indexOf('=') + 1)), false);
        case "/sized" -> bytes(ex, Long.parseLong(query.substring(query.indexOf('=') + 1)), true);
        case "/stream" -> stream(ex);
        case "/answer-headers" -> answerHeaders(ex);
        case "/broken" -> {
          ex.sendResponseHeaders(200, 1000);
          ex.getResponseBody().write(new byte[10]);
          ex.getResponseBody().flush();
          // closing the exchange now leaves the answer short: the connection is dropped
        }
        default -> echo(ex);
      }
    }
  }

  private void echo(HttpExchange ex) throws IOException {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("method", ex.getRequestMethod());
    out.put("path", ex.getRequestURI().getRawPath());
    out.put("query", ex.getRequestURI().getRawQuery());
    Map<String, List<String>> headers = new TreeMap<>();
    ex.getRequestHeaders().forEach((k, v) -> headers.computeIfAbsent(k.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).addAll(v));
    out.put("headers", headers);
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    long length = 0;
    try (InputStream in = ex.getRequestBody()) {
      if (ex.getRequestURI().getRawPath().endsWith("/wait-body")) {
        // Less than the first chunk: the JDK's chunked reader blocks for the next chunk header at a chunk's end.
        byte[] first = in.readNBytes(2);
        sha.update(first);
        length += first.length;
        firstBytes.countDown();
      }
      byte[] buffer = new byte[64 * 1024];
      int n;
      while ((n = in.read(buffer)) >= 0) {
        sha.update(buffer, 0, n);
        length += n;
      }
    }
    echoedBodies.add(length);
    out.put("bodyLength", length);
    out.put("bodySha256", HexFormat.of().formatHex(sha.digest()));
    byte[] body = JSON.writeValueAsBytes(out);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.getResponseHeaders().add("X-Upstream", "echo");
    if (ex.getRequestMethod().equals("HEAD")) {
      ex.getResponseHeaders().add("Content-Length", Integer.toString(body.length));
      ex.sendResponseHeaders(200, -1);
      return;
    }
    ex.sendResponseHeaders(200, body.length);
    ex.getResponseBody().write(body);
  }

  private static void bytes(HttpExchange ex, long n, boolean sized) throws IOException {
    ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
    ex.sendResponseHeaders(200, sized ? n : 0);
    OutputStream out = ex.getResponseBody();
    byte[] buffer = new byte[32 * 1024];
    for (long written = 0; written < n; ) {
      int len = (int) Math.min(buffer.length, n - written);
      for (int i = 0; i < len; i++) {
        buffer[i] = pattern(written + i);
      }
      out.write(buffer, 0, len);
      written += len;
    }
  }

  private void stream(HttpExchange ex) throws IOException {
    ex.getResponseHeaders().add("Content-Type", "text/plain");
    ex.sendResponseHeaders(200, 0);
    OutputStream out = ex.getResponseBody();
    out.write("first;".getBytes(StandardCharsets.US_ASCII));
    out.flush();
    try {
      if (!streamRelease.await(20, TimeUnit.SECONDS)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    out.write("second;".getBytes(StandardCharsets.US_ASCII));
  }

  private static void status(HttpExchange ex, int status) throws IOException {
    ex.getRequestBody().readAllBytes();
    if (status == 204 || status == 304) {
      ex.sendResponseHeaders(status, -1);
      return;
    }
    byte[] body = ("{\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, body.length);
    ex.getResponseBody().write(body);
  }

  private static void answerHeaders(HttpExchange ex) throws IOException {
    ex.getRequestBody().readAllBytes();
    var h = ex.getResponseHeaders();
    h.add("Content-Type", "text/plain");
    h.add("Set-Cookie", "a=1; Path=/");
    h.add("Set-Cookie", "b=2; Path=/");
    h.add("Access-Control-Allow-Origin", "*");
    h.add("Access-Control-Allow-Credentials", "true");
    h.add("Keep-Alive", "timeout=5");
    h.add("Proxy-Authenticate", "Basic");
    h.add("Connection", "X-Hop");
    h.add("X-Hop", "hop");
    h.add("Vary", "Accept-Encoding");
    h.add("Cache-Control", "max-age=60");
    byte[] body = "ok".getBytes(StandardCharsets.US_ASCII);
    ex.sendResponseHeaders(200, body.length);
    ex.getResponseBody().write(body);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    streamRelease.countDown();
    server.stop(0);
  }
}
