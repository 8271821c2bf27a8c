package dev.keyward.core.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.keyward.core.key.Environment;
import dev.keyward.core.secret.SecretGenerator;
import dev.keyward.core.testing.InMemorySigningKeyStore;
import dev.keyward.core.testing.InlineTransactor;
import dev.keyward.core.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AccessTokensTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
  private final SecretGenerator ids = new SecretGenerator();
  private final byte[] sealKey = new byte[32];

  private SigningKeys keys(TokenAlgorithm alg, SigningKeyStore store) {
    SigningKeys k = new SigningKeys(store, new Sealer(sealKey, new SecureRandom()), new InlineTransactor(), ids, alg,
        Duration.ofHours(2), clock);
    k.load();
    return k;
  }

  private AccessTokens tokens(SigningKeys k) {
    return new AccessTokens(k, "https://kw.example", Duration.ofHours(1), Duration.ofSeconds(30), clock, ids);
  }

  private static AccessTokens.Grant grant() {
    return new AccessTokens.Grant("usr_1", "a@example.com", "tnt_1", "default", Set.of("admin", "reader"), "key_1",
        "key_1", Environment.SANDBOX, false, "fam_1");
  }

  @ParameterizedTest
  @EnumSource(TokenAlgorithm.class)
  void verifyWhenIssuedByThisRingThenClaimsRoundTrip(TokenAlgorithm alg) {
    AccessTokens t = tokens(keys(alg, new InMemorySigningKeyStore()));
    AccessTokens.Issued issued = t.issue(grant());
    AccessTokens fresh = tokens(keys(alg, new InMemorySigningKeyStore()));
    assertThat(fresh.verify(issued.token())).as("another ring's key never verifies").isEmpty();

    TokenClaims c = t.verify(issued.token()).orElseThrow();
    assertThat(c).isEqualTo(issued.claims());
    assertThat(c.scope()).containsExactlyInAnyOrder("admin", "reader");
    assertThat(c.familyId()).isEqualTo("fam_1");
  }

  @Test
  void verifyWhenIssuedUnderOneIssuerThenValidOnlyUnderThatOne() throws Exception {
    SigningKeys ring = keys(TokenAlgorithm.EDDSA, new InMemorySigningKeyStore());
    AccessTokens t = tokens(ring);
    AccessTokens.Issued viaA = t.issue(grant(), "http://a.example:8080");
    JWTClaimsSet claims = SignedJWT.parse(viaA.token()).getJWTClaimsSet();
    assertThat(claims.getIssuer()).isEqualTo("http://a.example:8080");
    assertThat(claims.getAudience()).containsExactly("http://a.example:8080");
    // From the cache of the issuing instance, and from a cold one that pays the signature check.
    for (AccessTokens instance : new AccessTokens[] {t, tokens(ring)}) {
      assertThat(instance.verify(viaA.token(), "http://b.example:8080")).as("another host name").isEmpty();
      assertThat(instance.verify(viaA.token())).as("the default issuer").isEmpty();
      assertThat(instance.verify(viaA.token(), "http://a.example:8080")).contains(viaA.claims());
      assertThat(instance.verify(viaA.token(), "http://b.example:8080")).as("after a success too").isEmpty();
    }
    AccessTokens.Issued byDefault = t.issue(grant());
    assertThat(SignedJWT.parse(byDefault.token()).getJWTClaimsSet().getIssuer()).isEqualTo("https://kw.example");
    assertThat(t.verify(byDefault.token(), "https://kw.example")).contains(byDefault.claims());
    assertThat(tokens(ring).verify(byDefault.token(), "http://a.example:8080")).isEmpty();
  }

  @Test
  void verifyWhenAnyCharacterChangedThenEmpty() {
    SigningKeys ring = keys(TokenAlgorithm.EDDSA, new InMemorySigningKeyStore());
    String token = tokens(ring).issue(grant()).token();
    // A second instance over the same ring: nothing cached, every check pays the signature.
    AccessTokens cold = tokens(ring);
    assertThat(cold.verify(token)).isPresent();
    AccessTokens colder = tokens(ring);
    for (int i = 0; i < token.length(); i += 7) {
      char c = token.charAt(i);
      if (c == '.') {
        continue;
      }
      String changed = token.substring(0, i) + (c == 'A' ? 'B' : 'A') + token.substring(i + 1);
      assertThat(colder.verify(changed)).as("position %d", i).isEmpty();
    }
  }

  @Test
  void verifyWhenExpiredBeyondSkewThenEmptyAndWithinSkewThenValid() {
    AccessTokens t = tokens(keys(TokenAlgorithm.EDDSA, new InMemorySigningKeyStore()));
    String token = t.issue(grant()).token();
    clock.set(clock.instant().plus(Duration.ofHours(1)).plusSeconds(20));
    assertThat(t.verify(token)).isPresent();
    clock.set(clock.instant().plusSeconds(11));
    assertThat(t.verify(token)).isEmpty();
  }

  @Test
  void verifyWhenAlgNoneOrHmacWithPublicKeyOrWrongIssuerThenEmpty() throws Exception {
    SigningKeys ring = keys(TokenAlgorithm.EDDSA, new InMemorySigningKeyStore());
    AccessTokens t = tokens(ring);
    String good = t.issue(grant()).token();
    String[] parts = good.split("\\.", -1);
    String noneHeader = Base64.getUrlEncoder().withoutPadding().encodeToString(
        ("{\"alg\":\"none\",\"typ\":\"at+jwt\",\"kid\":\"" + ring.activeKid() + "\"}").getBytes(StandardCharsets.UTF_8));
    assertThat(t.verify(noneHeader + "." + parts[1] + ".")).isEmpty();

    byte[] publicBytes = ring.jwks().getBytes(StandardCharsets.UTF_8);
    SignedJWT hmac = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(ring.activeKid())
        .type(new com.nimbusds.jose.JOSEObjectType("at+jwt")).build(), SignedJWT.parse(good).getJWTClaimsSet());
    hmac.sign(new MACSigner(java.util.Arrays.copyOf(publicBytes, Math.max(32, publicBytes.length))));
    assertThat(t.verify(hmac.serialize())).isEmpty();

    AccessTokens otherIssuer = new AccessTokens(ring, "https://evil.example", Duration.ofHours(1), Duration.ofSeconds(30), clock, ids);
    assertThat(t.verify(otherIssuer.issue(grant()).token())).isEmpty();
  }

  @Test
  void verifyWhenTypeIsNotAccessTokenThenEmpty() throws Exception {
    SigningKeys ring = keys(TokenAlgorithm.EDDSA, new InMemorySigningKeyStore());
    AccessTokens t = tokens(ring);
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID(ring.activeKid()).build(),
        new JWTClaimsSet.Builder().issuer("https://kw.example").audience("https://kw.example").subject("usr_1")
            .expirationTime(Date.from(clock.instant().plusSeconds(60))).issueTime(Date.from(clock.instant())).build());
    jwt.sign(ring.active().signer());
    assertThat(t.verify(jwt.serialize())).isEmpty();
  }

  @Test
  void rotateWhenNewKeyThenOldTokensStillVerifyUntilRetentionEnds() {
    InMemorySigningKeyStore store = new InMemorySigningKeyStore();
    SigningKeys ring = keys(TokenAlgorithm.EDDSA, store);
    AccessTokens t = tokens(ring);
    String before = t.issue(grant()).token();
    String oldKid = ring.activeKid();
    String newKid = ring.rotate();
    assertThat(newKid).isNotEqualTo(oldKid);
    assertThat(ring.jwks()).contains(oldKid).contains(newKid);
    AccessTokens cold = new AccessTokens(ring, "https://kw.example", Duration.ofHours(1), Duration.ofSeconds(30), clock, ids);
    assertThat(cold.verify(before)).isPresent();
    assertThat(cold.verify(t.issue(grant()).token())).isPresent();
  }

  @Test
  void openWhenSealedWithAnotherKeyThenRefusedClearly() {
    Sealer a = new Sealer(new byte[32], new SecureRandom());
    byte[] other = new byte[32];
    other[0] = 1;
    String sealed = a.seal("secret", "kid1");
    assertThat(a.open(sealed, "kid1")).isEqualTo("secret");
    assertThatThrownBy(() -> a.open(sealed, "kid2")).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new Sealer(other, new SecureRandom()).open(sealed, "kid1")).hasMessageContaining("master key");
    assertThat(sealed).doesNotContain("secret");
  }
}
