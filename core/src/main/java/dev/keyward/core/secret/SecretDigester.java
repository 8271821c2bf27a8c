package dev.keyward.core.secret;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 of generated secrets (API keys, programmatic-user passwords), keyed by a deployment
 * secret so that a copy of the database alone cannot be used to test guesses. Generated secrets
 * carry 256 bits of entropy, so no slow hash is needed; lookups stay an indexed equality on the
 * digest.
 */
public final class SecretDigester {
  private static final String ALGORITHM = "HmacSHA256";
  private final SecretKeySpec key;
  private final ThreadLocal<Mac> macs;

  public SecretDigester(byte[] hashingKey) {
    if (hashingKey.length < 32) {
      throw new IllegalArgumentException("hashing key must be at least 32 bytes");
    }
    this.key = new SecretKeySpec(hashingKey.clone(), ALGORITHM);
    this.macs = ThreadLocal.withInitial(this::newMac);
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** URL-safe base64 (no padding) of HMAC-SHA256(secret): 43 characters. */
  public String digest(Secret secret) {
    return digest(secret.reveal());
  }

  String digest(String value) {
    byte[] mac = macs.get().doFinal(value.getBytes(StandardCharsets.UTF_8));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(mac);
  }

  /** Constant-time check of a secret against a stored digest. */
  public boolean verify(Secret secret, String storedDigest) {
    return MessageDigest.isEqual(
        digest(secret).getBytes(StandardCharsets.US_ASCII),
        storedDigest.getBytes(StandardCharsets.US_ASCII));
  }
}
