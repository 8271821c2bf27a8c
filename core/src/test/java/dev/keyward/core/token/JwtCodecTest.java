package dev.keyward.core.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.keyward.core.secret.SecretGenerator;
import dev.keyward.core.testing.InMemorySigningKeyStore;
import dev.keyward.core.testing.InlineTransactor;
import dev.keyward.core.testing.MutableClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.Test;

class JwtCodecTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));

  private SigningKeys keys(TokenAlgorithm alg) {
    SigningKeys k = new SigningKeys(new InMemorySigningKeyStore(), new Sealer(new byte[32], new SecureRandom()), new InlineTransactor(),
        new SecretGenerator(), alg, Duration.ofHours(2), clock);
    k.load();
    return k;
  }

  private static JWTClaimsSet.Builder claims() {
    return new JWTClaimsSet.Builder().subject("usr_1").jwtID("at_1").issueTime(Date.from(Instant.parse("2030-01-01T00:00:00Z")))
        .expirationTime(Date.from(Instant.parse("2030-01-01T01:00:00Z"))).claim("scope", "admin reader");
  }

  @Test
  void signWhenEdDsaThenSameBytesAsNimbusSignedJwt() throws Exception {
    SigningKeys ring = keys(TokenAlgorithm.EDDSA);
    String ours = new JwtCodec(ring, "https://kw.example", Duration.ofSeconds(30), "at+jwt").sign(claims());

    SigningKeys.Active key = ring.active();
    SignedJWT nimbus = new SignedJWT(new JWSHeader.Builder(key.algorithm().jws()).type(new JOSEObjectType("at+jwt")).keyID(key.kid()).build(),
        claims().issuer("https://kw.example").audience("https://kw.example").build());
    nimbus.sign(key.signer());
    // Ed25519 is deterministic, so equal bytes mean an equal header, payload and signing input.
    assertThat(ours).isEqualTo(nimbus.serialize());
  }

  @Test
  void signWhenActiveKeyRotatesThenNewKidAndBothVerify() {
    SigningKeys ring = keys(TokenAlgorithm.ES256);
    JwtCodec codec = new JwtCodec(ring, "https://kw.example", Duration.ofSeconds(30), "at+jwt");
    String before = codec.sign(claims());
    String oldKid = ring.activeKid();
    String newKid = ring.rotate();
    String after = codec.sign(claims());
    assertThat(newKid).isNotEqualTo(oldKid);
    assertThat(codec.check(before, clock.instant())).isPresent();
    assertThat(codec.check(after, clock.instant())).isPresent();
    assertThat(after).isNotEqualTo(before);
    assertThat(new String(java.util.Base64.getUrlDecoder().decode(after.substring(0, after.indexOf('.'))), java.nio.charset.StandardCharsets.UTF_8))
        .contains("\"kid\":\"" + newKid + "\"");
  }
}
