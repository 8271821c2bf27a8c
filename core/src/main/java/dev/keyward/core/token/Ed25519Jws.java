package dev.keyward.core.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Set;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * EdDSA (Ed25519, RFC 8032) for JWS through BouncyCastle's {@code rfc8032.Ed25519}, which signs
 * with precomputed base-point tables and verifies against a public point decoded once: measured
 * here several times faster than Tink's implementation behind Nimbus's own EdDSA classes (see
 * {@code bench/README.md}). The signatures are plain RFC 8032 Ed25519, so any JOSE library
 * verifies them; these classes only plug the faster arithmetic into Nimbus.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8037">RFC 8037</a>
 */
final class Ed25519Jws {
  private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.EdDSA);
  private static final SecureRandom RANDOM = new SecureRandom();

  static {
    Ed25519.precompute(); // the base-point tables, once, rather than on the first token
  }

  private Ed25519Jws() {}

  /** A new Ed25519 key pair as a private JWK (RFC 8037) for EdDSA signatures. */
  static OctetKeyPair generate(String kid) {
    byte[] seed = new byte[Ed25519.SECRET_KEY_SIZE];
    Ed25519.generatePrivateKey(RANDOM, seed);
    byte[] publicKey = new byte[Ed25519.PUBLIC_KEY_SIZE];
    Ed25519.generatePublicKey(seed, 0, publicKey, 0);
    return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(publicKey)).d(Base64URL.encode(seed))
        .keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.EdDSA).build();
  }

  static JWSSigner signer(OctetKeyPair key) throws JOSEException {
    if (!Curve.Ed25519.equals(key.getCurve()) || !key.isPrivate()) {
      throw new JOSEException("an Ed25519 private key is needed");
    }
    byte[] seed = key.getDecodedD();
    byte[] publicKey = key.getDecodedX();
    if (seed.length != Ed25519.SECRET_KEY_SIZE || publicKey.length != Ed25519.PUBLIC_KEY_SIZE) {
      throw new JOSEException("malformed Ed25519 key");
    }
    byte[] derived = new byte[Ed25519.PUBLIC_KEY_SIZE];
    Ed25519.generatePublicKey(seed, 0, derived, 0);
    if (!MessageDigest.isEqual(derived, publicKey)) {
      throw new JOSEException("the Ed25519 public key does not match the private key");
    }
    return new Signer(seed, publicKey);
  }

  static JWSVerifier verifier(OctetKeyPair key) throws JOSEException {
    if (!Curve.Ed25519.equals(key.getCurve())) {
      throw new JOSEException("an Ed25519 key is needed");
    }
    byte[] publicKey = key.getDecodedX();
    Ed25519.PublicPoint point = publicKey.length == Ed25519.PUBLIC_KEY_SIZE
        ? Ed25519.validatePublicKeyFullExport(publicKey, 0)
        : null;
    if (point == null) {
      throw new JOSEException("invalid Ed25519 public key");
    }
    return new Verifier(point);
  }

  private static final class Signer implements JWSSigner {
    private final byte[] seed;
    private final byte[] publicKey;
    private final JCAContext jca = new JCAContext();

    Signer(byte[] seed, byte[] publicKey) {
      this.seed = seed;
      this.publicKey = publicKey;
    }

    @Override
    public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
      if (!ALGORITHMS.contains(header.getAlgorithm())) {
        throw new JOSEException("Ed25519 signs EdDSA only, not " + header.getAlgorithm());
      }
      byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
      Ed25519.sign(seed, 0, publicKey, 0, signingInput, 0, signingInput.length, signature, 0);
      return Base64URL.encode(signature);
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
      return ALGORITHMS;
    }

    @Override
    public JCAContext getJCAContext() {
      return jca;
    }
  }

  private static final class Verifier implements JWSVerifier {
    private final Ed25519.PublicPoint publicPoint;
    private final JCAContext jca = new JCAContext();

    Verifier(Ed25519.PublicPoint publicPoint) {
      this.publicPoint = publicPoint;
    }

    @Override
    public boolean verify(JWSHeader header, byte[] signedContent, Base64URL signature) {
      if (!ALGORITHMS.contains(header.getAlgorithm())
          || (header.getCriticalParams() != null && !header.getCriticalParams().isEmpty())) {
        return false; // no critical extension is understood here (RFC 7515 §4.1.11)
      }
      byte[] sig = signature.decode();
      return sig.length == Ed25519.SIGNATURE_SIZE
          && Ed25519.verify(sig, 0, publicPoint, signedContent, 0, signedContent.length);
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
      return ALGORITHMS;
    }

    @Override
    public JCAContext getJCAContext() {
      return jca;
    }
  }
}
