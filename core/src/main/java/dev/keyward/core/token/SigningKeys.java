package dev.keyward.core.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.keyward.core.Transactor;
import dev.keyward.core.secret.SecretGenerator;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The keyring of access-token signing keys. One key signs; retired keys still verify (and stay in
 * the JWKS) until every token they signed has expired. Keys are generated on first start and kept
 * in the store with their private part sealed by the master key; a key id unknown to this node
 * (rotated on another node) makes it reload the ring, at most once a second.
 */
public final class SigningKeys {
  private record Loaded(SigningKeyStore.StoredKey stored, JWSSigner signer, JWSVerifier verifier, JWK publicJwk) {}

  private record Ring(Loaded active, Map<String, Loaded> byKid, String jwks) {}

  private final SigningKeyStore store;
  private final Sealer sealer;
  private final Transactor tx;
  private final SecretGenerator ids;
  private final TokenAlgorithm algorithm;
  private final Duration retention;
  private final Clock clock;
  private volatile @Nullable Ring ring;
  private volatile Instant lastReload = Instant.EPOCH;

  /**
   * @param retention how long a retired key keeps verifying: at least the longest access-token lifetime
   */
  public SigningKeys(SigningKeyStore store, Sealer sealer, Transactor tx, SecretGenerator ids,
      TokenAlgorithm algorithm, Duration retention, Clock clock) {
    this.store = store;
    this.sealer = sealer;
    this.tx = tx;
    this.ids = ids;
    this.algorithm = algorithm;
    this.retention = retention;
    this.clock = clock;
  }

  /** Loads the ring, creating a key of the configured algorithm when none is active. */
  public synchronized void load() {
    List<SigningKeyStore.StoredKey> keys = store.list();
    boolean hasActive = keys.stream().anyMatch(k -> k.retiredAt() == null && k.algorithm() == algorithm);
    if (!hasActive) {
      rotate();
      return;
    }
    ring = build(keys);
    lastReload = clock.instant();
  }

  /** Makes a new key the signing key; the previous ones keep verifying for the retention period. */
  public synchronized String rotate() {
    SigningKeyStore.StoredKey fresh = generate(algorithm, ids.id("sk"), clock.instant());
    tx.run(() -> {
      store.insert(fresh);
      store.retireAllBut(fresh.kid(), clock.instant());
    });
    ring = build(store.list());
    lastReload = clock.instant();
    return fresh.kid();
  }

  /**
   * The key that signs now, its id and algorithm, read together. The ring is re-read from the
   * store every {@link #REFRESH} so that a rotation made on another node (or by the CLI) is
   * followed here too.
   */
  public Active active() {
    if (Duration.between(lastReload, clock.instant()).compareTo(REFRESH) >= 0) {
      synchronized (this) {
        if (Duration.between(lastReload, clock.instant()).compareTo(REFRESH) >= 0) {
          ring = build(store.list());
          lastReload = clock.instant();
        }
      }
    }
    Loaded a = ring().active();
    return new Active(a.stored().kid(), a.stored().algorithm(), a.signer());
  }

  /** The signing key in use: id, algorithm and signer. */
  public record Active(String kid, TokenAlgorithm algorithm, JWSSigner signer) {}

  /** How often the ring is re-read to follow rotations made elsewhere. */
  static final Duration REFRESH = Duration.ofSeconds(30);

  public TokenAlgorithm activeAlgorithm() {
    return ring().active().stored().algorithm();
  }

  public String activeKid() {
    return ring().active().stored().kid();
  }

  /**
   * The verifier for a key id, only if the token's header names the algorithm that key was made
   * for (no algorithm confusion: an HS256 token "signed" with a public key never verifies).
   */
  public Optional<JWSVerifier> verifier(String kid, JWSAlgorithm headerAlgorithm) {
    Loaded k = ring().byKid().get(kid);
    if (k == null && reloadAllowed()) {
      synchronized (this) {
        ring = build(store.list());
        lastReload = clock.instant();
      }
      k = ring().byKid().get(kid);
    }
    if (k == null || !k.stored().algorithm().jws().equals(headerAlgorithm)) {
      return Optional.empty();
    }
    return Optional.of(k.verifier());
  }

  /** The public JWK Set (RFC 7517): the signing key and retired keys still within retention. */
  public String jwks() {
    return ring().jwks();
  }

  private boolean reloadAllowed() {
    return Duration.between(lastReload, clock.instant()).compareTo(Duration.ofSeconds(1)) >= 0;
  }

  private Ring ring() {
    Ring r = ring;
    if (r == null) {
      throw new IllegalStateException("signing keys not loaded");
    }
    return r;
  }

  private Ring build(List<SigningKeyStore.StoredKey> keys) {
    Instant now = clock.instant();
    Map<String, Loaded> byKid = new HashMap<>();
    Loaded active = null;
    List<JWK> published = new ArrayList<>();
    for (SigningKeyStore.StoredKey k : keys) {
      boolean verifying = k.retiredAt() == null || k.retiredAt().plus(retention).isAfter(now);
      if (!verifying) {
        continue;
      }
      Loaded loaded = open(k);
      byKid.put(k.kid(), loaded);
      published.add(loaded.publicJwk());
      if (k.retiredAt() == null && k.algorithm() == algorithm && (active == null || k.createdAt().isAfter(active.stored().createdAt()))) {
        active = loaded;
      }
    }
    if (active == null) {
      throw new IllegalStateException("no active signing key");
    }
    return new Ring(active, Map.copyOf(byKid), new JWKSet(published).toString(true));
  }

  private Loaded open(SigningKeyStore.StoredKey k) {
    try {
      JWK jwk = JWK.parse(sealer.open(k.sealedPrivateJwk(), k.kid()));
      return switch (k.algorithm()) {
        case EDDSA -> {
          OctetKeyPair okp = jwk.toOctetKeyPair();
          yield new Loaded(k, Ed25519Jws.signer(okp), Ed25519Jws.verifier(okp.toPublicJWK()), okp.toPublicJWK());
        }
        case ES256 -> {
          ECKey ec = jwk.toECKey();
          yield new Loaded(k, new ECDSASigner(ec), new ECDSAVerifier(ec.toPublicJWK()), ec.toPublicJWK());
        }
        case RS256 -> {
          RSAKey rsa = jwk.toRSAKey();
          yield new Loaded(k, new RSASSASigner(rsa), new RSASSAVerifier(rsa.toPublicJWK()), rsa.toPublicJWK());
        }
      };
    } catch (ParseException | JOSEException e) {
      throw new IllegalStateException("signing key " + k.kid() + " cannot be read", e);
    }
  }

  private SigningKeyStore.StoredKey generate(TokenAlgorithm alg, String kid, Instant now) {
    try {
      JWK jwk = switch (alg) {
        case EDDSA -> Ed25519Jws.generate(kid);
        case ES256 -> new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256).generate();
        case RS256 -> new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).generate();
      };
      return new SigningKeyStore.StoredKey(kid, alg, jwk.toPublicJWK().toJSONString(),
          sealer.seal(jwk.toJSONString(), kid), now, null);
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot generate a " + alg + " key", e);
    }
  }
}
