package dev.keyward.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyward.client.internal.ApiCalls;
import dev.keyward.client.internal.Errors;
import dev.keyward.client.internal.Exchanges;
import dev.keyward.client.internal.TokenSource;
import dev.keyward.client.model.AuditEvent;
import dev.keyward.client.model.AuditQuery;
import dev.keyward.client.model.Me;
import dev.keyward.client.model.Verification;
import dev.keyward.client.model.VerifyRequest;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A signed-in client of one Keyward server, safe to share between threads (make one per
 * credential and keep it). It exchanges its credential for an access token on first use, renews
 * the token before it expires (one renewal at a time, however many threads use the client),
 * signs in again when the refresh token is refused, and resends a call once when the server
 * refuses an expired token. Refusals are {@link KeywardException}s.
 *
 * <p>Built by {@link Keyward#client(String)}.
 *
 * @since 0.1.0
 */
public final class KeywardClient {
  /** A key of a known environment: {@code <prefix>_live_…} or {@code <prefix>_test_…}. */
  private static final Pattern KEY_ENVIRONMENT = Pattern.compile("^[A-Za-z0-9]+_(live|test)_.+", Pattern.DOTALL);
  static final String USER_AGENT = "keyward-java/0.1.0";

  private final URI base;
  private final String credentialSummary;
  private final TokenSource tokens;
  private final ApiCalls api;
  private final KeywardHttpClient httpClient;
  private final Users users;
  private final Keys keys;
  private final Roles roles;

  private KeywardClient(Builder b, TokenSource.Credentials credentials) {
    this.base = b.base;
    this.credentialSummary = summary(credentials, b.sandbox);
    HttpClient http = HttpClient.newBuilder()
        .connectTimeout(b.connectTimeout)
        .followRedirects(HttpClient.Redirect.NEVER) // a redirect must not carry the token elsewhere
        .build();
    Exchanges exchanges = new Exchanges(http, new Exchanges.Policy(b.requestTimeout, b.maxRetries, b.maxRetryWait, b.retryBackoff),
        b.tenant, USER_AGENT, b.clock);
    this.tokens = new TokenSource(exchanges, base, credentials, b.refreshSkew);
    this.api = new ApiCalls(exchanges, tokens, base);
    Set<String> origins = new LinkedHashSet<>();
    origins.add(KeywardHttpClient.origin(base));
    origins.addAll(b.trustedOrigins);
    this.httpClient = new KeywardHttpClient(exchanges, tokens, base, origins);
    this.users = new Users(api);
    this.keys = new Keys(api);
    this.roles = new Roles(api);
  }

  /** The base URL, ending with {@code /}. */
  public URI baseUrl() {
    return base;
  }

  /** {@code GET /api/v1/me}: who the client is signed in as. */
  public Me me() {
    return api.answer("GET", "api/v1/me", null, Me.class);
  }

  /** People and programmatic users (admins). */
  public Users users() {
    return users;
  }

  /** API keys: the caller's own, or anyone's for admins. */
  public Keys keys() {
    return keys;
  }

  /** Roles and their permissions. */
  public Roles roles() {
    return roles;
  }

  /** {@code GET /api/v1/audit}: credential events of the tenant, newest first (admins). */
  public List<AuditEvent> audit(AuditQuery query) {
    StringJoiner q = new StringJoiner("&", "?", "").setEmptyValue("");
    for (Map.Entry<String, @Nullable Object> e : query.parameters().entrySet()) {
      q.add(e.getKey() + "=" + ApiCalls.query(String.valueOf(e.getValue())));
    }
    return Users.listOf(api.answer("GET", "api/v1/audit" + q, null).path("events"), AuditEvent.class);
  }

  /**
   * {@code POST /api/v1/verify}: the decision on a credential, for a service deciding its own
   * calls (the client's roles must grant {@code keyward:verify}). Refusals are answers too:
   * {@link Verification#valid()} false, with a code.
   */
  public Verification verify(VerifyRequest question) {
    return api.answer("POST", "api/v1/verify", question.toJson(), Verification.class);
  }

  /** {@code POST /api/v1/verify/explain}: the same, with every rule applied; consumes neither rate limit nor quota. */
  public Verification explain(VerifyRequest question) {
    return api.answer("POST", "api/v1/verify/explain", question.toJson(), Verification.class);
  }

  /**
   * Any other call of Keyward's JSON API, signed and retried like the typed ones: {@code path}
   * relative to the base URL (e.g. {@code api/v1/tenants}), the answer's JSON (null for 204).
   */
  public @Nullable JsonNode call(String method, String path, @Nullable Object jsonBody) {
    return api.call(method.toUpperCase(Locale.ROOT), path.startsWith("/") ? path.substring(1) : path, jsonBody);
  }

  /**
   * An {@link HttpClient} that signs every request with the client's access token and keeps it
   * fresh: for an API behind a Keyward gateway. It sends the token only to the Keyward base URL's
   * origin and those added with {@link Builder#trustOrigin(String)}.
   */
  public KeywardHttpClient httpClient() {
    return httpClient;
  }

  /**
   * A valid access token (renewed when due), for callers using another HTTP stack. Do not keep
   * it: ask again for each call.
   */
  public String accessToken() {
    try {
      return tokens.token();
    } catch (IOException e) {
      throw Errors.from(e, "getting an access token");
    } catch (InterruptedException e) {
      throw Errors.interrupted(e);
    }
  }

  /** Forgets the tokens in hand: the next call signs in again. */
  public void signOut() {
    tokens.forget();
  }

  @Override
  public String toString() {
    return "KeywardClient[" + base + ", " + credentialSummary + "]";
  }

  private static String summary(TokenSource.Credentials c, boolean sandbox) {
    String s;
    if (c instanceof TokenSource.ApiKey k) {
      var m = KEY_ENVIRONMENT.matcher(k.key().reveal());
      s = m.matches() ? "API key (" + (m.group(1).equals("live") ? "production" : "sandbox") + ")" : "API key";
    } else {
      s = "programmatic user " + ((TokenSource.Password) c).email();
    }
    return sandbox ? s + ", sandbox only" : s;
  }

  /**
   * How to build a client: a credential ({@link #apiKey} or {@link #basic}), then optional
   * settings. Defaults: refresh 30 s before expiry, connect timeout 5 s, request timeout 30 s,
   * 2 retries, waits of at most 30 s.
   */
  public static final class Builder {
    private final URI base;
    private TokenSource.@Nullable Credentials credentials;
    private boolean sandbox;
    private @Nullable String tenant;
    private Duration refreshSkew = Duration.ofSeconds(30);
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration requestTimeout = Duration.ofSeconds(30);
    private int maxRetries = 2;
    private Duration maxRetryWait = Duration.ofSeconds(30);
    private Duration retryBackoff = Duration.ofMillis(200);
    private final List<String> trustedOrigins = new ArrayList<>();
    private Clock clock = Clock.systemUTC();

    Builder(URI base) {
      this.base = base;
    }

    /** Signs in with an API key ({@code POST /auth/api-key}). */
    public Builder apiKey(@Nullable String key) {
      if (key == null) {
        throw new IllegalArgumentException("The API key is null: is the environment variable holding it set?");
      }
      this.credentials = new TokenSource.ApiKey(Secret.of(key.strip()));
      return this;
    }

    /** The same, from a {@link Secret}. */
    public Builder apiKey(Secret key) {
      this.credentials = new TokenSource.ApiKey(key);
      return this;
    }

    /**
     * Signs in with a programmatic user's email and password (the OAuth password grant). People
     * can only where an owner of their tenant turned the password grant on for people; an API key
     * is the usual credential.
     */
    public Builder basic(String email, @Nullable String password) {
      Objects.requireNonNull(email, "email");
      if (password == null) {
        throw new IllegalArgumentException("The password is null: is the environment variable holding it set?");
      }
      this.credentials = new TokenSource.Password(email, Secret.of(password));
      return this;
    }

    /**
     * A sandbox client: point {@link Keyward#client(String)} at your sandbox base URL, and the
     * client refuses, at {@link #build()}, any credential but a sandbox API key
     * ({@code kw_test_…}), so that a test setup never runs with a production key.
     */
    public Builder sandbox() {
      this.sandbox = true;
      return this;
    }

    /** The tenant to act in ({@code X-Keyward-Tenant}), for a user who belongs to several. */
    public Builder tenant(String slug) {
      this.tenant = Objects.requireNonNull(slug, "slug");
      return this;
    }

    /** How long before its expiry a token is renewed (default 30 s; at most half the token's lifetime is used). */
    public Builder refreshSkew(Duration skew) {
      if (skew.isNegative()) {
        throw new IllegalArgumentException("The refresh skew cannot be negative");
      }
      this.refreshSkew = skew;
      return this;
    }

    /** How long to wait for a connection (default 5 s). */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /** How long to wait for an answer (default 30 s); requests of the {@link #httpClient()} with their own timeout keep it. */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive(timeout, "requestTimeout");
      return this;
    }

    /**
     * Retries after a 429 or 503 (waiting as {@code Retry-After} or {@code RateLimit-Reset} say,
     * else with exponential backoff from {@code firstBackoff}) or a failed connection; default 2,
     * 0 turns retries off. A wait longer than {@code maxWait} (default 30 s) is not taken: the
     * refusal is thrown at once, with {@link KeywardException#retryAfter()}.
     */
    public Builder retries(int maxRetries, Duration firstBackoff, Duration maxWait) {
      if (maxRetries < 0) {
        throw new IllegalArgumentException("maxRetries cannot be negative");
      }
      this.maxRetries = maxRetries;
      this.retryBackoff = Objects.requireNonNull(firstBackoff, "firstBackoff");
      this.maxRetryWait = Objects.requireNonNull(maxWait, "maxWait");
      return this;
    }

    /**
     * Another origin ({@code https://api.example.com}) to which the {@link #httpClient()} may send
     * the access token: an API behind a Keyward gateway on another host name.
     */
    public Builder trustOrigin(String origin) {
      trustedOrigins.add(KeywardHttpClient.origin(parseBase(origin)));
      return this;
    }

    /** The clock token lifetimes are measured with (tests). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The client. Nothing is sent yet: the first call signs in.
     *
     * @throws IllegalStateException without a credential, or with a credential {@link #sandbox()} refuses
     */
    public KeywardClient build() {
      TokenSource.Credentials c = credentials;
      if (c == null) {
        throw new IllegalStateException("Give a credential: apiKey(key) or basic(email, password)");
      }
      if (sandbox) {
        if (!(c instanceof TokenSource.ApiKey k)) {
          throw new IllegalStateException("A sandbox client signs in with a sandbox API key (kw_test_…), not a password");
        }
        var m = KEY_ENVIRONMENT.matcher(k.key().reveal());
        if (!m.matches() || !m.group(1).equals("test")) {
          throw new IllegalStateException("A sandbox client needs a sandbox API key (kw_test_…); this one is not");
        }
      }
      return new KeywardClient(this, c);
    }

    static URI parseBase(String text) {
      Objects.requireNonNull(text, "baseUrl");
      URI uri;
      try {
        uri = new URI(text.strip());
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(shape(text));
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.isOpaque()
          || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
        throw new IllegalArgumentException(shape(text));
      }
      String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
      if (!path.endsWith("/")) {
        path = path + "/";
      }
      return URI.create(scheme + "://" + uri.getRawAuthority() + path);
    }

    private static String shape(String text) {
      String shown = text.contains("@") ? "(value not repeated: it has a user part)" : "'" + text + "'";
      return "The Keyward base URL is an http:// or https:// URL with a host and no user, query or fragment,"
          + " such as http://127.0.0.1:8080, not " + shown;
    }

    private static Duration positive(Duration d, String name) {
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return d;
    }
  }
}
