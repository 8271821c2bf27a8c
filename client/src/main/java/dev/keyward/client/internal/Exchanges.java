package dev.keyward.client.internal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * Sends one request the way every call of the client is sent: signed with the current access
 * token, resent once with a new token after a 401 that challenges it, and retried with backoff
 * when the server asks for patience (429, 503: after {@code Retry-After} or
 * {@code RateLimit-Reset}, else exponential backoff with jitter) or could not be reached.
 *
 * <p>What is retried: a 429 always (the request was not processed); a 503 always on Keyward's own
 * endpoints (they fail closed: nothing was done), otherwise only for idempotent methods; a refused
 * connection always (nothing was sent); another broken exchange only for idempotent methods; a
 * timeout never (the wait would only grow). A wait longer than {@link Policy#maxRetryWait()} is
 * not taken: the answer is handed back at once.
 */
public final class Exchanges {
  private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE");
  private static final System.Logger LOG = System.getLogger(Exchanges.class.getName());

  /**
   * How requests are bounded and retried.
   *
   * @param requestTimeout the timeout of a request that has none of its own
   * @param maxRetries retries after the first attempt (429, 503, failed connections)
   * @param maxRetryWait the longest wait the client takes before a retry
   * @param firstBackoff the first backoff when the server names no wait; doubled each time
   */
  public record Policy(Duration requestTimeout, int maxRetries, Duration maxRetryWait, Duration firstBackoff) {
    public Policy {
      if (maxRetries < 0) {
        throw new IllegalArgumentException("maxRetries cannot be negative");
      }
      positive(requestTimeout, "requestTimeout");
      if (maxRetryWait.isNegative() || firstBackoff.isNegative()) {
        throw new IllegalArgumentException("Waits cannot be negative");
      }
    }
  }

  /** Who signs requests: the current access token, and a new one after the server refused one. */
  public interface Signer {
    String token() throws IOException, InterruptedException;

    /** The server refused {@code token}: get another (unless another thread already did). */
    void refused(String token) throws IOException, InterruptedException;
  }

  private final HttpClient http;
  private final Policy policy;
  private final @Nullable String tenant;
  private final String userAgent;
  private final Clock clock;

  public Exchanges(HttpClient http, Policy policy, @Nullable String tenant, String userAgent, Clock clock) {
    this.http = http;
    this.policy = policy;
    this.tenant = tenant;
    this.userAgent = userAgent;
    this.clock = clock;
  }

  public HttpClient http() {
    return http;
  }

  public Clock clock() {
    return clock;
  }

  /**
   * Sends {@code request}.
   *
   * @param signer signs the request with an access token; null: sent as it is
   * @param keywardEndpoint a Keyward endpoint (its 503 means nothing was done), not an API behind it
   */
  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler, @Nullable Signer signer,
      boolean keywardEndpoint) throws IOException, InterruptedException {
    String method = request.method().toUpperCase(Locale.ROOT);
    boolean idempotent = IDEMPOTENT.contains(method);
    boolean resigned = false;
    int retries = 0;
    while (true) {
      String token = signer == null ? null : signer.token();
      Verdict<T> verdict = new Verdict<>(handler, token != null && !resigned, retries < policy.maxRetries(),
          idempotent || keywardEndpoint, retries);
      HttpResponse<T> response;
      try {
        response = http.send(prepare(request, token), verdict);
      } catch (HttpConnectTimeoutException | ConnectException e) {
        retries = retryOrThrow(e, retries, request); // nothing was sent
        continue;
      } catch (HttpTimeoutException e) {
        throw e;
      } catch (IOException e) {
        if (!idempotent) {
          throw e;
        }
        retries = retryOrThrow(e, retries, request);
        continue;
      }
      switch (verdict.action) {
        case RESIGN -> {
          if (signer == null || token == null) {
            throw new IllegalStateException("a 401 to resign without a signer");
          }
          LOG.log(System.Logger.Level.DEBUG, "{0} {1}: 401, signing again with a new access token", method, request.uri().getPath());
          signer.refused(token);
          resigned = true;
        }
        case RETRY -> {
          LOG.log(System.Logger.Level.DEBUG, "{0} {1}: {2}, retrying in {3} ms", method, request.uri().getPath(),
              response.statusCode(), verdict.wait.toMillis());
          sleep(verdict.wait);
          retries++;
        }
        default -> {
          return response;
        }
      }
    }
  }

  private int retryOrThrow(IOException e, int retries, HttpRequest request) throws IOException, InterruptedException {
    if (retries >= policy.maxRetries()) {
      throw e;
    }
    Duration wait = backoff(retries);
    LOG.log(System.Logger.Level.DEBUG, "{0} {1}: {2}, retrying in {3} ms", request.method(), request.uri().getPath(),
        e.getClass().getSimpleName(), wait.toMillis());
    sleep(wait);
    return retries + 1;
  }

  private HttpRequest prepare(HttpRequest request, @Nullable String token) {
    HttpRequest.Builder b = token == null
        ? HttpRequest.newBuilder(request, (name, value) -> true)
        : HttpRequest.newBuilder(request, (name, value) -> !name.equalsIgnoreCase("Authorization"))
            .header("Authorization", "Bearer " + token);
    if (request.timeout().isEmpty()) {
      b.timeout(policy.requestTimeout());
    }
    if (tenant != null && request.headers().firstValue("X-Keyward-Tenant").isEmpty()) {
      b.header("X-Keyward-Tenant", tenant);
    }
    if (request.headers().firstValue("User-Agent").isEmpty()) {
      b.header("User-Agent", userAgent);
    }
    return b.build();
  }

  /** Exponential backoff with jitter: half to all of {@code first * 2^retries}, at most the longest wait. */
  Duration backoff(int retries) {
    long base = policy.firstBackoff().toMillis() << Math.min(retries, 16);
    long capped = Math.min(base, policy.maxRetryWait().toMillis());
    return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
  }

  private static void sleep(Duration d) throws InterruptedException {
    if (!d.isZero()) {
      Thread.sleep(d.toMillis());
    }
  }

  private static void positive(Duration d, String name) {
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }

  private enum Action { DELIVER, RESIGN, RETRY }

  /**
   * Decides from the status and headers, before the body is read, whether the answer goes to the
   * caller or is dropped for another attempt (then its body is discarded, not read into memory).
   */
  private final class Verdict<T> implements HttpResponse.BodyHandler<T> {
    private final HttpResponse.BodyHandler<T> delegate;
    private final boolean canResign;
    private final boolean canRetry;
    private final boolean unavailableRetryable;
    private final int retries;
    volatile Action action = Action.DELIVER;
    volatile Duration wait = Duration.ZERO;

    Verdict(HttpResponse.BodyHandler<T> delegate, boolean canResign, boolean canRetry, boolean unavailableRetryable, int retries) {
      this.delegate = delegate;
      this.canResign = canResign;
      this.canRetry = canRetry;
      this.unavailableRetryable = unavailableRetryable;
      this.retries = retries;
    }

    @Override
    public HttpResponse.BodySubscriber<T> apply(HttpResponse.ResponseInfo info) {
      int status = info.statusCode();
      if (status == 401 && canResign && challengesBearer(info)) {
        action = Action.RESIGN;
        return HttpResponse.BodySubscribers.replacing(null);
      }
      if (canRetry && (status == 429 || (status == 503 && unavailableRetryable))) {
        Optional<Duration> asked = RetryAfter.of(info.headers(), clock);
        Duration w = asked.orElseGet(() -> backoff(retries));
        if (w.compareTo(policy.maxRetryWait()) <= 0) {
          wait = w;
          action = Action.RETRY;
          return HttpResponse.BodySubscribers.replacing(null);
        }
      }
      return delegate.apply(info);
    }
  }

  /** A 401 about the bearer token (Keyward's challenge), not one an API behind the gateway sends for its own reasons. */
  private static boolean challengesBearer(HttpResponse.ResponseInfo info) {
    return info.headers().allValues("WWW-Authenticate").stream()
        .anyMatch(v -> v.regionMatches(true, 0, "Bearer", 0, 6));
  }
}
