package dev.keyward.core.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * The {@link JwtCodec}s of one token type, one per issuer. A deployment without a configured
 * issuer takes each request's base URL as the issuer (RFC 8414 §3), so the same server signs and
 * checks under several names; the default issuer's codec is built once, others are kept in a
 * small bounded cache (the names come from requests: they must not grow memory without bound).
 */
final class IssuerCodecs {
  private final SigningKeys keys;
  private final String defaultIssuer;
  private final Duration skew;
  private final String type;
  private final JwtCodec defaultCodec;
  private final Cache<String, JwtCodec> others = Caffeine.newBuilder().maximumSize(64).build();

  IssuerCodecs(SigningKeys keys, String defaultIssuer, Duration skew, String type) {
    this.keys = keys;
    this.defaultIssuer = defaultIssuer;
    this.skew = skew;
    this.type = type;
    this.defaultCodec = new JwtCodec(keys, defaultIssuer, skew, type);
  }

  String defaultIssuer() {
    return defaultIssuer;
  }

  JwtCodec of(String issuer) {
    if (issuer.equals(defaultIssuer)) {
      return defaultCodec;
    }
    return others.get(issuer, i -> new JwtCodec(keys, i, skew, type));
  }
}
