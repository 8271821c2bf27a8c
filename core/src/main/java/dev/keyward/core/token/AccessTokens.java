package dev.keyward.core.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.keyward.core.key.Environment;
import dev.keyward.core.secret.SecretGenerator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Issues and checks access tokens: JWTs (RFC 9068 profile, {@code typ: at+jwt}) signed with the
 * active signing key. Checking is local — signature, issuer, audience, expiry with a small skew —
 * and a token seen before is answered from a cache keyed by its SHA-256 digest until it expires,
 * so it does not pay the signature check again. Revocation is checked by the caller against the
 * {@link RevocationList}, outside this cache.
 *
 * <p>The issuer ({@code iss} and {@code aud}) is the configured one, or, when none is configured,
 * the base URL of the request at hand: the methods taking an {@code issuer} sign and check under
 * that name, and a token issued under one name is not valid under another.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9068">RFC 9068</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8725">RFC 8725</a>
 */
public final class AccessTokens {
  public static final String TYPE = "at+jwt";
  /** Longest token text considered at all; anything longer is refused before parsing. */
  public static final int MAX_LENGTH = 4096;
  /**
   * Most tokens the verified-token cache holds (about 0.5 KB each: 20,000 take ~10 MB). Every
   * token issued here is put in it, so that its first use on this node pays no signature check;
   * under sustained issuing, the oldest are evicted first and pay one check if they are used
   * later. Measured: with 200,000 the cache alone filled ~105 MB of the launcher's 160 MB heap
   * after a few minutes of token load, and full collections every 0.25 s cut introspection from
   * ~55,000 to ~13,000 calls/s.
   */
  static final int VERIFIED_CACHE_SIZE = 20_000;

  private final Duration lifetime;
  private final Duration skew;
  private final Clock clock;
  private final SecretGenerator ids;
  private final Cache<String, Verified> verified;
  private final IssuerCodecs codecs;

  /** A token checked once, and the issuer it was checked for (the only one it is valid for). */
  private record Verified(String issuer, TokenClaims claims) {}

  /**
   * @param issuer the default issuer: the configured one, or this server's own address for
   *     callers that have no request at hand
   */
  public AccessTokens(SigningKeys keys, String issuer, Duration lifetime, Duration skew, Clock clock, SecretGenerator ids) {
    this.lifetime = lifetime;
    this.skew = skew;
    this.clock = clock;
    this.ids = ids;
    this.codecs = new IssuerCodecs(keys, issuer, skew, TYPE);
    this.verified = Caffeine.newBuilder()
        .maximumSize(VERIFIED_CACHE_SIZE)
        .expireAfter(Expiry.<String, Verified>creating((k, v) ->
            Duration.between(clock.instant(), v.claims().expiresAt().plus(skew)).isNegative()
                ? Duration.ZERO
                : Duration.between(clock.instant(), v.claims().expiresAt().plus(skew))))
        .build();
  }

  /** The default issuer. */
  public String issuer() {
    return codecs.defaultIssuer();
  }

  public Duration lifetime() {
    return lifetime;
  }

  /** What a new token is for; the issuer adds id, times and signature. */
  public record Grant(String userId, String email, String tenantId, String tenantSlug, Set<String> scope,
      String clientId, @Nullable String keyId, @Nullable Environment environment, boolean adminKey,
      @Nullable String familyId) {}

  /** A signed token and its claims. */
  public record Issued(String token, TokenClaims claims) {}

  /** Issues a token under the default issuer. */
  public Issued issue(Grant g) {
    return issue(g, issuer());
  }

  /** Issues a token under {@code issuer} (its {@code iss} and {@code aud}). */
  public Issued issue(Grant g, String issuer) {
    Instant now = clock.instant();
    Instant exp = now.plus(lifetime);
    TokenClaims claims = new TokenClaims(ids.id("at"), g.userId(), g.email(), g.tenantId(), g.tenantSlug(),
        g.scope(), g.clientId(), g.keyId(), g.environment(), g.adminKey(), g.familyId(), now, exp);
    JWTClaimsSet.Builder b = new JWTClaimsSet.Builder()
        .subject(g.userId())
        .jwtID(claims.jti())
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now))
        .expirationTime(Date.from(exp))
        .claim("scope", String.join(" ", g.scope().stream().sorted().toList()))
        .claim("client_id", g.clientId())
        .claim("email", g.email())
        .claim("tid", g.tenantId())
        .claim("tenant", g.tenantSlug())
        .claim("kw_iat", now.toEpochMilli());
    if (g.keyId() != null) {
      b.claim("key_id", g.keyId());
    }
    if (g.environment() != null) {
      b.claim("env", g.environment().wireName());
    }
    if (g.adminKey()) {
      b.claim("adm", true);
    }
    if (g.familyId() != null) {
      b.claim("fid", g.familyId());
    }
    String token = codecs.of(issuer).sign(b);
    verified.put(digest(token), new Verified(issuer, claims));
    return new Issued(token, claims);
  }

  /** True when the text has the shape of a compact JWS (three base64url parts). */
  public static boolean looksLikeJwt(String s) {
    int dots = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '.') {
        dots++;
      } else if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
        return false;
      }
    }
    return dots == 2;
  }

  /** The claims of a token valid under the default issuer, or empty. */
  public Optional<TokenClaims> verify(String token) {
    return verify(token, issuer());
  }

  /** The claims of a valid token (signature, issuer {@code issuer}, audience, type, times), or empty. */
  public Optional<TokenClaims> verify(String token, String issuer) {
    if (token.length() > MAX_LENGTH) {
      return Optional.empty();
    }
    String digest = digest(token);
    Verified cached = verified.getIfPresent(digest);
    Instant now = clock.instant();
    if (cached != null) {
      // Checked before (only a token that passed every check is cached): its issuer is known,
      // a token names one issuer only, and its shape needs no second look.
      return cached.issuer().equals(issuer) && cached.claims().expiresAt().plus(skew).isAfter(now)
          ? Optional.of(cached.claims())
          : Optional.empty();
    }
    if (!looksLikeJwt(token)) {
      return Optional.empty();
    }
    Optional<TokenClaims> checked = check(token, now, issuer);
    checked.ifPresent(c -> verified.put(digest, new Verified(issuer, c)));
    return checked;
  }

  private Optional<TokenClaims> check(String token, Instant now, String issuer) {
    Optional<JWTClaimsSet> checked = codecs.of(issuer).check(token, now);
    if (checked.isEmpty()) {
      return Optional.empty();
    }
    JWTClaimsSet c = checked.get();
    try {
      String subject = c.getSubject();
      String jti = c.getJWTID();
      String tid = c.getStringClaim("tid");
      String tenant = c.getStringClaim("tenant");
      String clientId = c.getStringClaim("client_id");
      String email = c.getStringClaim("email");
      String scope = c.getStringClaim("scope");
      Long kwIat = c.getLongClaim("kw_iat");
      if (subject == null || jti == null || tid == null || tenant == null || clientId == null || email == null || scope == null || kwIat == null) {
        return Optional.empty();
      }
      String env = c.getStringClaim("env");
      Environment environment = env == null ? null : Environment.fromWire(env).orElse(null);
      if (env != null && environment == null) {
        return Optional.empty();
      }
      Boolean adm = c.getBooleanClaim("adm");
      Set<String> scopes = scope.isEmpty() ? Set.of() : new LinkedHashSet<>(Arrays.asList(scope.split(" ", -1)));
      return Optional.of(new TokenClaims(jti, subject, email, tid, tenant, scopes, clientId, c.getStringClaim("key_id"),
          environment, Boolean.TRUE.equals(adm), c.getStringClaim("fid"), Instant.ofEpochMilli(kwIat), c.getExpirationTime().toInstant()));
    } catch (ParseException | RuntimeException e) {
      return Optional.empty(); // a claim of the wrong type
    }
  }

  private static final MessageDigest SHA256 = sha256();

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The cache key of a token: its SHA-256, as text (each char holds one byte; never shown). */
  static String digest(String token) {
    MessageDigest sha;
    try {
      sha = (MessageDigest) SHA256.clone(); // cheaper than a provider look-up per call
    } catch (CloneNotSupportedException e) {
      sha = sha256();
    }
    return new String(sha.digest(token.getBytes(StandardCharsets.ISO_8859_1)), StandardCharsets.ISO_8859_1);
  }
}
