package dev.keyward.client;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A plain HTTP proxy on 127.0.0.1 in front of a real Keyward server, counting what reaches the
 * server: requests and answer statuses by {@code METHOD /path}, and the bearer tokens presented.
 * It changes nothing in either direction.
 */
final class CountingProxy implements AutoCloseable {
  private static final Set<String> NOT_FORWARDED = Set.of("host", "connection", "content-length", "expect", "upgrade",
      "transfer-encoding", "keep-alive", "te", "trailer", "proxy-connection");
  private final HttpServer server;
  private final String target;
  private final HttpClient http = HttpClient.newHttpClient();
  private final Map<String, List<Integer>> statuses = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> tokens = new ConcurrentHashMap<>();

  private CountingProxy(String target) throws IOException {
    this.target = target;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::forward);
    server.start();
  }

  static CountingProxy to(String target) throws IOException {
    return new CountingProxy(target);
  }

  String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Requests that got an answer from the server, e.g. {@code count("POST /auth/refresh")}. */
  int count(String request) {
    return statuses(request).size();
  }

  List<Integer> statuses(String request) {
    return List.copyOf(statuses.getOrDefault(request, List.of()));
  }

  /** The distinct bearer tokens presented with {@code request}. */
  Set<String> bearerTokens(String request) {
    return Set.copyOf(tokens.getOrDefault(request, Set.of()));
  }

  private void forward(HttpExchange ex) throws IOException {
    try (ex) {
      String name = ex.getRequestMethod() + " " + ex.getRequestURI().getPath();
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        body = in.readAllBytes();
      }
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target + ex.getRequestURI()))
          .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
      ex.getRequestHeaders().forEach((h, values) -> {
        if (!NOT_FORWARDED.contains(h.toLowerCase(Locale.ROOT))) {
          values.forEach(v -> b.header(h, v));
        }
      });
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      if (auth != null && auth.startsWith("Bearer ")) {
        tokens.computeIfAbsent(name, k -> ConcurrentHashMap.newKeySet()).add(auth.substring(7));
      }
      HttpResponse<byte[]> r;
      try {
        r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException e) {
        ex.sendResponseHeaders(502, -1);
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        ex.sendResponseHeaders(502, -1);
        return;
      }
      statuses.computeIfAbsent(name, k -> new CopyOnWriteArrayList<>()).add(r.statusCode());
      r.headers().map().forEach((h, values) -> {
        if (!NOT_FORWARDED.contains(h.toLowerCase(Locale.ROOT)) && !h.startsWith(":")) {
          values.forEach(v -> ex.getResponseHeaders().add(h, v));
        }
      });
      byte[] answer = r.body();
      ex.sendResponseHeaders(r.statusCode(), answer.length == 0 ? -1 : answer.length);
      if (answer.length > 0) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(answer);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
