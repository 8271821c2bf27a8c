package dev.keyward.client;

import dev.keyward.client.internal.Exchanges;
import dev.keyward.client.internal.TokenSource;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.jspecify.annotations.Nullable;

/**
 * An {@link HttpClient} for an API behind a Keyward gateway: every request leaves with
 * {@code Authorization: Bearer <access token>} (replacing any the caller set), the token kept
 * fresh by the {@link KeywardClient} it belongs to; a 401 carrying a Bearer challenge is answered
 * once more with a new token; a 429 (and a 503 of an idempotent request) is retried after the
 * wait the answer names. Pass it wherever an {@code HttpClient} is expected.
 *
 * <pre>{@code
 * HttpClient api = keyward.httpClient();
 * HttpResponse<String> r = api.send(keyward.httpClient().request("reports/2026/q3.csv").build(),
 *     HttpResponse.BodyHandlers.ofString());
 * }</pre>
 *
 * <p>The token goes only to the origin of the Keyward base URL and those trusted with
 * {@link KeywardClient.Builder#trustOrigin(String)}: a request elsewhere is refused with an
 * {@link IllegalArgumentException}, never sent. Asynchronous sends run the same steps on a thread
 * of their own; HTTP/2 push promises are not accepted.
 *
 * @since 0.1.0
 */
public final class KeywardHttpClient extends HttpClient {
  private static final ExecutorService ASYNC = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "keyward-http-async");
    t.setDaemon(true);
    return t;
  });

  private final Exchanges exchanges;
  private final TokenSource tokens;
  private final URI base;
  private final Set<String> origins;
  private final HttpClient http;

  KeywardHttpClient(Exchanges exchanges, TokenSource tokens, URI base, Set<String> origins) {
    this.exchanges = exchanges;
    this.tokens = tokens;
    this.base = base;
    this.origins = Set.copyOf(origins);
    this.http = exchanges.http();
  }

  /** A request builder for {@code path} resolved against the Keyward base URL (the gateway). */
  public HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(base.resolve(path.startsWith("/") ? path.substring(1) : path));
  }

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException, InterruptedException {
    String origin = origin(request.uri());
    if (!origins.contains(origin)) {
      throw new IllegalArgumentException("The Keyward access token is sent only to " + String.join(", ", origins.stream().sorted().toList())
          + ", not to " + origin + ": add it with trustOrigin(\"" + origin + "\") if it is behind the same Keyward");
    }
    return exchanges.send(request, handler, tokens, false);
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return send(request, handler);
      } catch (IOException e) {
        throw new CompletionException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CompletionException(e);
      }
    }, executor().orElse(ASYNC));
  }

  /** Push promises are not accepted: the same as {@link #sendAsync(HttpRequest, HttpResponse.BodyHandler)}. */
  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
      HttpResponse.@Nullable PushPromiseHandler<T> pushPromiseHandler) {
    return sendAsync(request, handler);
  }

  @Override
  public Optional<CookieHandler> cookieHandler() {
    return http.cookieHandler();
  }

  @Override
  public Optional<Duration> connectTimeout() {
    return http.connectTimeout();
  }

  @Override
  public Redirect followRedirects() {
    return http.followRedirects();
  }

  @Override
  public Optional<ProxySelector> proxy() {
    return http.proxy();
  }

  @Override
  public SSLContext sslContext() {
    return http.sslContext();
  }

  @Override
  public SSLParameters sslParameters() {
    return http.sslParameters();
  }

  @Override
  public Optional<Authenticator> authenticator() {
    return http.authenticator();
  }

  @Override
  public Version version() {
    return http.version();
  }

  @Override
  public Optional<Executor> executor() {
    return http.executor();
  }

  @Override
  public String toString() {
    return "KeywardHttpClient[" + String.join(", ", origins.stream().sorted().toList()) + "]";
  }

  /** {@code scheme://host:port}, lower-case, with the scheme's default port made explicit. */
  static String origin(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
    return scheme + "://" + host + ":" + port;
  }
}
