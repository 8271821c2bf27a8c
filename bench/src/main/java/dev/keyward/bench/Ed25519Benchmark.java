package dev.keyward.bench;

import com.google.crypto.tink.subtle.Ed25519Sign;
import com.google.crypto.tink.subtle.Ed25519Verify;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Raw Ed25519 (RFC 8032) sign and verify of an access-token-sized message (the JWS signing input,
 * ~600 bytes) with each implementation on the class path: Tink (what Nimbus's own EdDSA classes
 * call), the JDK's SunEC provider and BouncyCastle's {@code rfc8032.Ed25519} as Keyward uses it
 * (public key passed in when signing, public point decoded once for verifying).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@SuppressWarnings("NullAway.Init") // JMH fills the state in setUp()
public class Ed25519Benchmark {
  @Param({"TINK", "JDK", "BOUNCYCASTLE"})
  public String impl;

  private byte[] message;
  private byte[] seed;
  private byte[] publicKey;
  private byte[] signature;
  private Ed25519Sign tinkSigner;
  private Ed25519Verify tinkVerifier;
  private KeyPair jdkPair;
  private Ed25519.PublicPoint publicPoint;

  @Setup(Level.Trial)
  public void setUp() throws GeneralSecurityException {
    message = "eyJraWQiOiJza19jZjBUQUp6MUlaUkVHZklMbDZtY2drIiwidHlwIjoiYXQrand0IiwiYWxnIjoiRWREU0EifQ.".repeat(7)
        .getBytes(StandardCharsets.US_ASCII);
    seed = new byte[Ed25519.SECRET_KEY_SIZE];
    new SecureRandom().nextBytes(seed);
    publicKey = new byte[Ed25519.PUBLIC_KEY_SIZE];
    Ed25519.generatePublicKey(seed, 0, publicKey, 0);
    publicPoint = Ed25519.validatePublicKeyFullExport(publicKey, 0);
    tinkSigner = new Ed25519Sign(seed);
    tinkVerifier = new Ed25519Verify(publicKey);
    jdkPair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    signature = sign();
  }

  @Benchmark
  public byte[] sign() throws GeneralSecurityException {
    return switch (impl) {
      case "TINK" -> tinkSigner.sign(message);
      case "JDK" -> {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(jdkPair.getPrivate());
        s.update(message);
        yield s.sign();
      }
      default -> {
        byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
        Ed25519.sign(seed, 0, publicKey, 0, message, 0, message.length, sig, 0);
        yield sig;
      }
    };
  }

  @Benchmark
  public boolean verify() throws GeneralSecurityException {
    return switch (impl) {
      case "TINK" -> {
        tinkVerifier.verify(signature, message);
        yield true;
      }
      case "JDK" -> {
        Signature s = Signature.getInstance("Ed25519");
        s.initVerify(jdkPair.getPublic());
        s.update(message);
        yield s.verify(signature);
      }
      default -> Ed25519.verify(signature, 0, publicPoint, message, 0, message.length);
    };
  }
}
