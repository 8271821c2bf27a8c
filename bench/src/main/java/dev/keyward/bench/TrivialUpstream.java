package dev.keyward.bench;

import com.sun.net.httpserver.HttpServer;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * A trivial upstream API for {@code bench/load-gateway.sh}: every request is answered 200 with a
 * small fixed JSON body, on 127.0.0.1. Two servers, so that the script can measure which one is
 * faster and put the faster one behind the gateway (the upstream must not be the bottleneck).
 *
 * <p>Usage: {@code TrivialUpstream helidon|jdk <port>}; runs until killed.
 */
public final class TrivialUpstream {
  private static final byte[] BODY = "{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8);

  private TrivialUpstream() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length != 2 || !(args[0].equals("helidon") || args[0].equals("jdk"))) {
      System.err.println("usage: TrivialUpstream helidon|jdk <port>");
      System.exit(2);
    }
    int port = Integer.parseInt(args[1]);
    if (args[0].equals("helidon")) {
      WebServer.builder()
          .host("127.0.0.1")
          .port(port)
          .routing(HttpRouting.builder().any((req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send(BODY);
          }))
          .build()
          .start();
    } else {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.createContext("/", exchange -> {
        try (exchange; InputStream in = exchange.getRequestBody()) {
          in.transferTo(OutputStream.nullOutputStream());
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, BODY.length);
          exchange.getResponseBody().write(BODY);
        }
      });
      server.start();
    }
    System.err.println("upstream listening on http://127.0.0.1:" + port);
    Thread.currentThread().join();
  }
}
