package dev.keyward.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The remote door: {@code POST /api/v1/verify} on a Keyward server, with the JDK {@link
 * HttpClient} (connections kept alive, every call bounded by a timeout). Whatever is not a
 * readable answer — a timeout, an unreachable server, a 5xx, a refused service credential, a
 * body this filter cannot read — is {@link Verdict.Unavailable}: the call is refused.
 *
 * <p>The service credential is sent only in the {@code Authorization} header of the verification
 * call; it appears in no log, no exception and not in {@link #toString()}.
 */
public final class RemoteDecider implements Decider {
  private static final Logger LOG = Logger.getLogger(RemoteDecider.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Longest verification answer read; a longer one is not Keyward's. */
  static final int MAX_ANSWER_BYTES = 64 * 1024;
  private static final Duration WARNING_INTERVAL = Duration.ofSeconds(30);

  private final URI verifyUri;
  private final String authorization;
  private final Duration timeout;
  private final HttpClient http;
  /** When the last fail-closed warning was logged: at most one per {@link #WARNING_INTERVAL}. */
  private final AtomicLong lastWarning = new AtomicLong(System.nanoTime() - WARNING_INTERVAL.toNanos());

  private RemoteDecider(Builder b) {
    this.verifyUri = verifyUri(b.base);
    this.authorization = authorizationValue(b.credential);
    this.timeout = b.timeout;
    this.http = HttpClient.newBuilder()
        .connectTimeout(b.connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .version(HttpClient.Version.HTTP_1_1)
        .build();
  }

  /**
   * Starts the configuration of a remote decider. Defaults: connect timeout 2 s, whole-call
   * timeout 3 s.
   *
   * @param keywardBase the server's base address, such as {@code http://keyward.internal:8080}
   *     (a path prefix such as {@code https://host/keyward} is kept)
   * @param serviceCredential an API key, or a whole {@code Authorization} value ({@code Bearer …},
   *     {@code Basic …}) of a credential that holds {@code keyward:verify}
   */
  public static Builder builder(URI keywardBase, String serviceCredential) {
    return new Builder(keywardBase, serviceCredential);
  }

  @Override
  public Verdict decide(Question question) {
    String credentialRefusal = VerifyWire.credentialRefusal(question);
    HttpRequest request;
    try {
      request = HttpRequest.newBuilder(verifyUri)
          .timeout(timeout)
          .header("Authorization", authorization)
          .header("Content-Type", "application/json")
          .header("Accept", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(VerifyWire.request(question, credentialRefusal)))
          .build();
    } catch (IllegalArgumentException e) {
      return unavailable("the verification request could not be built: " + e.getMessage());
    }
    HttpResponse<InputStream> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpTimeoutException e) {
      return unavailable("Keyward did not answer within " + timeout.toMillis() + " ms");
    } catch (IOException e) {
      return unavailable("Keyward is unreachable at " + verifyUri + ": " + e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return unavailable("interrupted while waiting for Keyward");
    }
    int status = response.statusCode();
    JsonNode body;
    try (InputStream in = response.body()) {
      byte[] bytes = in.readNBytes(MAX_ANSWER_BYTES + 1);
      if (bytes.length > MAX_ANSWER_BYTES) {
        return unavailable("Keyward's answer (status " + status + ") is longer than " + MAX_ANSWER_BYTES + " bytes");
      }
      body = JSON.readTree(bytes);
    } catch (IOException e) {
      return unavailable("Keyward's answer (status " + status + ") could not be read: " + e.getClass().getSimpleName());
    }
    if (status == 200) {
      Verdict v = VerifyWire.verdict(credentialRefusal, body);
      if (v instanceof Verdict.Unavailable u) {
        return unavailable(u.reason());
      }
      return v;
    }
    if (status == 401 || status == 403) {
      // Our own credential was refused: a deployment problem, never the caller's.
      return unavailable("Keyward refused this filter's service credential (" + status + " "
          + body.path("error").asText("") + "): it must be valid and hold keyward:verify");
    }
    if (status >= 400 && status < 500 && body.path("error").isTextual()) {
      return new Verdict.Rejected(status, body.path("error").asText(), body.path("message").asText(""),
          body.path("field").isTextual() ? body.path("field").asText() : null);
    }
    return unavailable("Keyward answered " + status + " " + body.path("error").asText(""));
  }

  private Verdict unavailable(String reason) {
    long now = System.nanoTime();
    long last = lastWarning.get();
    if (now - last >= WARNING_INTERVAL.toNanos() && lastWarning.compareAndSet(last, now)) {
      LOG.log(Level.WARNING, "Refusing calls (fail closed): " + reason);
    }
    return new Verdict.Unavailable(reason);
  }

  /** The verification address; the service credential is not part of it. */
  public URI verifyUri() {
    return verifyUri;
  }

  @Override
  public String toString() {
    return "Decider.remote(" + verifyUri + ", credential=<redacted>, timeout=" + timeout.toMillis() + "ms)";
  }

  static URI verifyUri(URI base) {
    String scheme = base.getScheme();
    if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || base.getHost() == null) {
      throw new IllegalArgumentException("The Keyward address must be an absolute http(s) URL such as http://keyward:8080, not '"
          + base.getScheme() + "://" + base.getHost() + "…'");
    }
    if (base.getRawQuery() != null || base.getRawFragment() != null || base.getRawUserInfo() != null) {
      throw new IllegalArgumentException("The Keyward address takes no user info, query or fragment");
    }
    String path = base.getRawPath() == null ? "" : base.getRawPath();
    String prefix = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return base.resolve(prefix + "/api/v1/verify");
  }

  /** A bare key becomes {@code Bearer <key>}; a value with a scheme is sent as it is. */
  static String authorizationValue(String credential) {
    String c = credential.strip();
    if (c.isEmpty()) {
      throw new IllegalArgumentException("The service credential is empty");
    }
    for (int i = 0; i < c.length(); i++) {
      char ch = c.charAt(i);
      if (ch < 0x20 || ch == 0x7f) {
        throw new IllegalArgumentException("The service credential holds a control character");
      }
    }
    return c.indexOf(' ') < 0 ? "Bearer " + c : c;
  }

  /** Timeouts of a remote decider. */
  public static final class Builder {
    private final URI base;
    private final String credential;
    private Duration connectTimeout = Duration.ofSeconds(2);
    private Duration timeout = Duration.ofSeconds(3);

    private Builder(URI base, String credential) {
      this.base = Objects.requireNonNull(base, "keywardBase");
      this.credential = Objects.requireNonNull(credential, "serviceCredential");
    }

    /** How long to wait for a new connection to Keyward. */
    public Builder connectTimeout(Duration d) {
      this.connectTimeout = positive(d, "connectTimeout");
      return this;
    }

    /** How long one verification may take in all; past it the call is refused with 503. */
    public Builder timeout(Duration d) {
      this.timeout = positive(d, "timeout");
      return this;
    }

    /**
     * @throws IllegalArgumentException when the address is not an absolute http(s) URL or the
     *     credential is empty (the message never holds the credential)
     */
    public RemoteDecider build() {
      return new RemoteDecider(this);
    }

    @Override
    public String toString() {
      return "RemoteDecider.Builder(" + base + ", credential=<redacted>)";
    }

    private static Duration positive(Duration d, String name) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, not " + d);
      }
      return d;
    }
  }
}
