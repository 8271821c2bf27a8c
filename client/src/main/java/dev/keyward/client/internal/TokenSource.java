package dev.keyward.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyward.client.AuthenticationException;
import dev.keyward.client.KeywardError;
import dev.keyward.client.KeywardException;
import dev.keyward.client.Secret;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The client's access token, kept fresh: obtained from the credential ({@code POST /auth/api-key}
 * for an API key, the password grant of {@code POST /api/v1/token} for a programmatic user),
 * renewed with the refresh token ({@code POST /auth/refresh}) a little before it expires, and
 * obtained from the credential again when the refresh token is refused (spent, expired, its
 * login revoked).
 *
 * <p>One renewal at a time: threads that find the token due wait for the one renewing it and then
 * use its result, so N threads sharing a client cause one refresh per expiry, not N (a refresh
 * token is single use: N concurrent refreshes would see N-1 refused).
 */
public final class TokenSource implements Exchanges.Signer {
  private static final System.Logger LOG = System.getLogger(TokenSource.class.getName());

  /** What the client signs in with. {@code toString()} never shows the secret. */
  public sealed interface Credentials permits ApiKey, Password {}

  /** An API key, exchanged at {@code POST /auth/api-key}. */
  public record ApiKey(Secret key) implements Credentials {}

  /** A programmatic user's email and password, for the password grant. */
  public record Password(String email, Secret password) implements Credentials {}

  /** Tokens in hand; no {@code toString()} that could show them. */
  private static final class Tokens {
    final String access;
    final @Nullable Secret refresh;
    final Instant renewAt;

    Tokens(String access, @Nullable Secret refresh, Instant renewAt) {
      this.access = access;
      this.refresh = refresh;
      this.renewAt = renewAt;
    }
  }

  private final Exchanges exchanges;
  private final URI base;
  private final Credentials credentials;
  private final Duration skew;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile @Nullable Tokens current;
  /** Renewals attempted, and how the last one failed: threads that waited for a failed renewal share its failure. */
  private final java.util.concurrent.atomic.AtomicLong renewals = new java.util.concurrent.atomic.AtomicLong();
  private volatile @Nullable KeywardException lastFailure;

  /**
   * @param base the server's base URL, ending with {@code /}
   * @param skew how long before its expiry a token is renewed (at most half its lifetime)
   */
  public TokenSource(Exchanges exchanges, URI base, Credentials credentials, Duration skew) {
    this.exchanges = exchanges;
    this.base = base;
    this.credentials = credentials;
    this.skew = skew;
  }

  /** A valid access token: the one in hand, or a renewed one when it is (nearly) expired. */
  @Override
  public String token() throws IOException, InterruptedException {
    Tokens t = current;
    if (t != null && fresh(t)) {
      return t.access;
    }
    long seen = renewals.get();
    lock.lockInterruptibly();
    try {
      t = current;
      if (t == null || !fresh(t)) {
        KeywardException failed = lastFailure;
        if (renewals.get() != seen && failed != null) {
          throw failed; // the renewal this thread waited for was refused: no second attempt at once
        }
        t = renew(t);
        current = t;
      }
      return t.access;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void refused(String token) throws IOException, InterruptedException {
    lock.lockInterruptibly();
    try {
      Tokens t = current;
      if (t == null || t.access.equals(token)) {
        current = renew(t);
      } // else: another thread renewed it since this token was sent
    } finally {
      lock.unlock();
    }
  }

  /** Forgets the tokens in hand: the next call signs in again. */
  public void forget() {
    current = null;
  }

  private boolean fresh(Tokens t) {
    return exchanges.clock().instant().isBefore(t.renewAt);
  }

  private Tokens renew(@Nullable Tokens old) throws IOException, InterruptedException {
    renewals.incrementAndGet();
    lastFailure = null;
    try {
      return renewOnce(old);
    } catch (KeywardException e) {
      lastFailure = e;
      throw e;
    }
  }

  private Tokens renewOnce(@Nullable Tokens old) throws IOException, InterruptedException {
    if (old != null && old.refresh != null) {
      try {
        Tokens renewed = obtain(json("auth/refresh", Map.of("refreshToken", old.refresh.reveal())));
        LOG.log(System.Logger.Level.DEBUG, "Access token refreshed");
        return renewed;
      } catch (AuthenticationException refused) {
        // Spent (e.g. a lost answer), expired or revoked with its login: sign in again.
        LOG.log(System.Logger.Level.DEBUG, "Refresh token refused ({0}); signing in again", refused.error());
      }
    }
    Tokens fresh;
    try {
      fresh = obtain(signIn());
    } catch (AuthenticationException refused) {
      String context;
      if (credentials instanceof ApiKey) {
        context = "Keyward refused the client's API key (unknown, expired or revoked, or its owner removed)";
      } else if (refused.error().equals("unauthorized_client")) {
        context = "Keyward does not let this user sign in with a password (people need the password grant turned on for their tenant)";
      } else {
        context = "Keyward refused the client's email and password (unknown, wrong or locked)";
      }
      throw new AuthenticationException(context, refused);
    }
    LOG.log(System.Logger.Level.DEBUG, "Signed in to Keyward");
    return fresh;
  }

  private HttpRequest signIn() {
    if (credentials instanceof ApiKey k) {
      return json("auth/api-key", Map.of("apiKey", k.key().reveal()));
    }
    Password p = (Password) credentials;
    String form = "grant_type=password&username=" + URLEncoder.encode(p.email(), StandardCharsets.UTF_8)
        + "&password=" + URLEncoder.encode(p.password().reveal(), StandardCharsets.UTF_8);
    return HttpRequest.newBuilder(base.resolve("api/v1/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8))
        .build();
  }

  private HttpRequest json(String path, Map<String, String> body) {
    return HttpRequest.newBuilder(base.resolve(path))
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(Json.write(body)))
        .build();
  }

  private Tokens obtain(HttpRequest request) throws IOException, InterruptedException {
    Instant sent = exchanges.clock().instant();
    HttpResponse<byte[]> r = exchanges.send(request, HttpResponse.BodyHandlers.ofByteArray(), null, true);
    if (r.statusCode() != 200) {
      throw Errors.from(r, exchanges.clock());
    }
    JsonNode body = Json.tree(r.body());
    JsonNode access = body.get("access_token");
    JsonNode expiresIn = body.get("expires_in");
    if (access == null || !access.isTextual() || expiresIn == null || !expiresIn.canConvertToLong() || expiresIn.asLong() <= 0) {
      throw new KeywardException(KeywardError.local("invalid_answer",
          "Keyward's token answer has no access_token or expires_in: is the base URL that of a Keyward server?"));
    }
    JsonNode refresh = body.get("refresh_token");
    Duration lifetime = Duration.ofSeconds(expiresIn.asLong());
    Duration early = skew.compareTo(lifetime.dividedBy(2)) < 0 ? skew : lifetime.dividedBy(2);
    return new Tokens(access.asText(), refresh != null && refresh.isTextual() ? Secret.of(refresh.asText()) : null,
        sent.plus(lifetime).minus(early));
  }
}
