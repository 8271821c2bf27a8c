package dev.keyward.bench;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.api.WebClient;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A bare proxy for {@code bench/load-gateway.sh}: a Helidon SE server that forwards every GET to
 * an upstream and streams the answer back, with no decision and no header rules. It measures the
 * two candidate clients for the gateway on the same path (Helidon WebClient, the JDK's
 * {@code java.net.http.HttpClient}), and shows what forwarding alone costs next to the gateway.
 *
 * <p>Usage: {@code BareProxy helidon|jdk <port> <upstream port>}; runs until killed.
 */
public final class BareProxy {
  private BareProxy() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 3 || !(args[0].equals("helidon") || args[0].equals("jdk"))) {
      System.err.println("usage: BareProxy helidon|jdk <port> <upstream port>");
      System.exit(2);
    }
    String upstream = "http://127.0.0.1:" + Integer.parseInt(args[2]);
    Handler handler = args[0].equals("helidon") ? helidon(upstream) : jdk(upstream);
    WebServer.builder()
        .host("127.0.0.1")
        .port(Integer.parseInt(args[1]))
        .routing(HttpRouting.builder().get("/*", handler))
        .build()
        .start();
    System.err.println("proxy listening on http://127.0.0.1:" + args[1] + " (" + args[0] + " client)");
    Thread.currentThread().join();
  }

  private static Handler helidon(String upstream) {
    WebClient client = WebClient.builder()
        .followRedirects(false)
        .proxy(Proxy.noProxy())
        .shareConnectionCache(false)
        .readTimeout(Duration.ofSeconds(30))
        .build();
    return (req, res) -> {
      try (HttpClientResponse answer = client.method(Method.GET)
          .uri(upstream + req.prologue().uriPath().rawPath())
          .skipUriEncoding(true)
          .request()) {
        res.status(answer.status());
        answer.headers().contentType().ifPresent(t -> res.header(HeaderNames.CONTENT_TYPE, t.text()));
        answer.headers().contentLength().ifPresent(res::contentLength);
        try (InputStream in = answer.inputStream(); OutputStream out = res.outputStream()) {
          in.transferTo(out);
        }
      }
    };
  }

  private static Handler jdk(String upstream) {
    HttpClient client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
    return (req, res) -> {
      HttpRequest request = HttpRequest.newBuilder(URI.create(upstream + req.prologue().uriPath().rawPath()))
          .timeout(Duration.ofSeconds(30))
          .GET()
          .build();
      HttpResponse<InputStream> answer = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
      res.status(Status.create(answer.statusCode()));
      answer.headers().firstValue("content-type").ifPresent(t -> res.header(HeaderNames.CONTENT_TYPE, t));
      answer.headers().firstValueAsLong("content-length").ifPresent(res::contentLength);
      try (InputStream in = answer.body(); OutputStream out = res.outputStream()) {
        in.transferTo(out);
      }
    };
  }
}
