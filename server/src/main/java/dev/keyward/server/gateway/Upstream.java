package dev.keyward.server.gateway;

import dev.keyward.core.error.ErrorCode;
import dev.keyward.core.error.KeywardException;
import io.helidon.http.ClientRequestHeaders;
import io.helidon.http.Method;
import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.api.WebClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The API behind the gateway, reached through one pooled keep-alive HTTP/1.1 client (Helidon
 * WebClient: measured faster than {@code java.net.http.HttpClient} on this path, see
 * {@code bench/README.md}). It follows no redirect, uses no proxy, keeps no cookie, and sends no
 * {@code Expect: 100-continue}: the caller's request goes out as it came in.
 */
final class Upstream {
  private final WebClient client;
  private final String origin;
  private final String basePath;
  private final Duration timeout;

  Upstream(URI base, Duration timeout) {
    this.timeout = timeout;
    this.origin = base.getScheme().toLowerCase(java.util.Locale.ROOT) + "://" + base.getRawAuthority();
    String path = base.getRawPath() == null ? "" : base.getRawPath();
    this.basePath = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    this.client = WebClient.builder()
        .connectTimeout(timeout)
        .readTimeout(timeout)
        .followRedirects(false)
        .sendExpectContinue(false)
        .keepAlive(true)
        .proxy(Proxy.noProxy())
        .shareConnectionCache(false)
        // Unbuffered socket writes: each piece of a streamed body leaves when written, not when 4 KiB have gathered.
        .writeBufferSize(0)
        .servicesDiscoverServices(false)
        .build();
  }

  /** The base URL, as configured. */
  String describe() {
    return origin + basePath;
  }

  /**
   * Sends a request upstream and returns its answer, open: the caller streams the body and closes
   * it.
   *
   * @param pathAndQuery the raw path and query as received, appended to the base path unchanged
   * @param body the caller's body, streamed as it arrives; null when there is none
   * @param contentLength the body's length when known (else it goes chunked), or -1
   * @throws KeywardException 502 when the upstream cannot be reached or breaks the exchange, 504
   *     when it does not connect or answer within the timeout
   * @throws CallerGone when reading the caller's body fails (the caller went away)
   */
  HttpClientResponse send(Method method, String pathAndQuery, Consumer<ClientRequestHeaders> headers,
      @Nullable InputStream body, long contentLength) {
    HttpClientRequest request = client.method(method)
        .uri(origin + basePath + pathAndQuery)
        .skipUriEncoding(true)
        .headers(headers);
    try {
      if (body == null) {
        return request.request();
      }
      if (contentLength >= 0) {
        request.headers().contentLength(contentLength);
      }
      boolean chunked = contentLength < 0;
      return request.outputStream(out -> {
        copyBody(body, out, chunked);
        out.close();
      });
    } catch (RuntimeException e) {
      throw failure(e);
    }
  }

  /**
   * Copies the caller's body upstream as it arrives. Helidon's client holds the first write of a
   * chunked body back until the next write or the end (to send a small body with a length
   * instead); so the first piece is written as one byte and the rest, which sends both at once.
   */
  private static void copyBody(InputStream in, OutputStream out, boolean chunked) throws IOException {
    byte[] buffer = new byte[16 * 1024];
    boolean first = true;
    while (true) {
      int n;
      try {
        n = in.read(buffer);
      } catch (IOException | RuntimeException e) {
        throw new CallerGone(e);
      }
      if (n < 0) {
        return;
      }
      if (first && chunked && n > 1) {
        out.write(new byte[] {buffer[0]});
        out.write(Arrays.copyOfRange(buffer, 1, n));
      } else if (n > 0) {
        out.write(buffer, 0, n);
      }
      first = false;
      out.flush();
    }
  }

  /**
   * The caller's failure as it is; else 504 for a timeout anywhere in the cause chain, else 502.
   * The upstream's failure is logged in one line (the deepest cause's message), without a stack
   * trace: an upstream that is down would otherwise fill the log at the request rate.
   */
  private RuntimeException failure(RuntimeException e) {
    Throwable root = e;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CallerGone gone) {
        return gone;
      }
      root = t;
    }
    String detail = describe() + ": " + root;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.SocketTimeoutException || t instanceof InterruptedIOException) {
        return new KeywardException(ErrorCode.GATEWAY_TIMEOUT,
            "The upstream API did not answer within " + seconds(timeout) + " s", null, detail, null);
      }
    }
    return new KeywardException(ErrorCode.BAD_GATEWAY, "The upstream API could not be reached", null, detail, null);
  }

  private static String seconds(Duration d) {
    long millis = d.toMillis();
    return millis % 1000 == 0 ? Long.toString(millis / 1000) : Double.toString(millis / 1000.0);
  }

  /** Reading the caller's request body failed: the caller is gone, and nothing is answered. */
  static final class CallerGone extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CallerGone(Throwable cause) {
      super("the caller's request body could not be read", cause);
    }
  }
}
