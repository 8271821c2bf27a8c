package dev.keyward.core.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Signs and checks Keyward's JWTs of one type ({@code typ}): the active key signs; checking
 * accepts only that type, a known key id whose algorithm matches the header (no algorithm
 * confusion), no unknown critical headers, a valid signature, this issuer and audience, and times
 * within the allowed skew. Headers that point at other keys ({@code jwk}, {@code jku},
 * {@code x5u}, {@code x5c}) are never used.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8725">RFC 8725</a>
 */
final class JwtCodec {
  private final SigningKeys keys;
  private final String issuer;
  private final Duration skew;
  private final JOSEObjectType type;

  JwtCodec(SigningKeys keys, String issuer, Duration skew, String type) {
    this.keys = keys;
    this.issuer = issuer;
    this.skew = skew;
    this.type = new JOSEObjectType(type);
  }

  /** The header of the active key, and its encoding, made once per key rather than per token. */
  private record Prepared(String kid, JWSHeader header, String encoded) {}

  private volatile @Nullable Prepared prepared;

  /**
   * Signs claims (issuer and audience are added here) with the active key: the compact JWS
   * {@code base64url(header) . base64url(claims) . base64url(signature)} (RFC 7515 §7.1), as
   * Nimbus's {@code SignedJWT} would build it, but with the header encoded once per key.
   */
  String sign(JWTClaimsSet.Builder claims) {
    SigningKeys.Active key = keys.active();
    Prepared p = prepared;
    if (p == null || !p.kid().equals(key.kid()) || !p.header().getAlgorithm().equals(key.algorithm().jws())) {
      JWSHeader header = new JWSHeader.Builder(key.algorithm().jws()).type(type).keyID(key.kid()).build();
      p = new Prepared(key.kid(), header, header.toBase64URL().toString());
      prepared = p;
    }
    String payload = Base64URL.encode(claims.issuer(issuer).audience(issuer).build().toString()).toString();
    String signingInput = p.encoded() + "." + payload;
    try {
      return signingInput + "." + key.signer().sign(p.header(), signingInput.getBytes(StandardCharsets.US_ASCII));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a " + type + " token", e);
    }
  }

  /** The claims of a token that passes every check, or empty; never throws on bad input. */
  Optional<JWTClaimsSet> check(String token, Instant now) {
    if (token.length() > AccessTokens.MAX_LENGTH || !AccessTokens.looksLikeJwt(token)) {
      return Optional.empty();
    }
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      JWSHeader h = jwt.getHeader();
      if (h.getType() == null || !type.equals(h.getType()) || h.getKeyID() == null
          || (h.getCriticalParams() != null && !h.getCriticalParams().isEmpty())) {
        return Optional.empty();
      }
      Optional<JWSVerifier> verifier = keys.verifier(h.getKeyID(), h.getAlgorithm());
      if (verifier.isEmpty() || !jwt.verify(verifier.get())) {
        return Optional.empty();
      }
      JWTClaimsSet c = jwt.getJWTClaimsSet();
      Date exp = c.getExpirationTime();
      Date iat = c.getIssueTime();
      Date nbf = c.getNotBeforeTime();
      List<String> aud = c.getAudience();
      if (!issuer.equals(c.getIssuer()) || aud == null || !aud.contains(issuer) || exp == null || iat == null
          || !exp.toInstant().plus(skew).isAfter(now) || iat.toInstant().minus(skew).isAfter(now)
          || (nbf != null && nbf.toInstant().minus(skew).isAfter(now))) {
        return Optional.empty();
      }
      return Optional.of(c);
    } catch (ParseException | JOSEException | RuntimeException e) {
      // Any malformed, foreign or tampered token is simply not valid.
      return Optional.empty();
    }
  }
}
