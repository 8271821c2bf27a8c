package dev.keyward.core.token;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.keyward.core.secret.SecretGenerator;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;

/**
 * User tokens: proof that a user signed in through a partner application. Signed like access
 * tokens but with their own type ({@code user+jwt}), so neither can stand in for the other
 * (RFC 8725 §3.11), and bound to the partner key that asked for them ({@code azp}): they are only
 * accepted together with that key, as {@code Authorization: Bearer <partner key>, User <token>}.
 * Like access tokens, they carry the issuer of the request they were issued on and are checked
 * against the issuer of the request they come back on.
 */
public final class UserTokens {
  public static final String TYPE = "user+jwt";

  private final IssuerCodecs codecs;
  private final Duration lifetime;
  private final Clock clock;
  private final SecretGenerator ids;

  public UserTokens(SigningKeys keys, String issuer, Duration lifetime, Duration skew, Clock clock, SecretGenerator ids) {
    this.codecs = new IssuerCodecs(keys, issuer, skew, TYPE);
    this.lifetime = lifetime;
    this.clock = clock;
    this.ids = ids;
  }

  /** What a user token says. */
  public record Claims(String jti, String userId, String tenantId, String partnerKeyId, Instant issuedAt, Instant expiresAt) {}

  public Duration lifetime() {
    return lifetime;
  }

  /** A user token under {@code issuer}. */
  public String issue(String userId, String tenantId, String partnerKeyId, String issuer) {
    Instant now = clock.instant();
    return codecs.of(issuer).sign(new JWTClaimsSet.Builder()
        .subject(userId).jwtID(ids.id("ut"))
        .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plus(lifetime)))
        .claim("tid", tenantId).claim("azp", partnerKeyId).claim("kw_iat", now.toEpochMilli()));
  }

  /** The claims of a user token valid under {@code issuer}, or empty. */
  public Optional<Claims> verify(String token, String issuer) {
    Optional<JWTClaimsSet> checked = codecs.of(issuer).check(token, clock.instant());
    if (checked.isEmpty()) {
      return Optional.empty();
    }
    JWTClaimsSet c = checked.get();
    try {
      String sub = c.getSubject();
      String jti = c.getJWTID();
      String tid = c.getStringClaim("tid");
      String azp = c.getStringClaim("azp");
      Long kwIat = c.getLongClaim("kw_iat");
      if (sub == null || jti == null || tid == null || azp == null || kwIat == null) {
        return Optional.empty();
      }
      return Optional.of(new Claims(jti, sub, tid, azp, Instant.ofEpochMilli(kwIat), c.getExpirationTime().toInstant()));
    } catch (ParseException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
