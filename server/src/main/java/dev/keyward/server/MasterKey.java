package dev.keyward.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * The deployment secret, from {@code KEYWARD_MASTER_KEY} or a file {@code master.key} in the data
 * folder (created on first start, readable by its owner only). Purpose keys are derived from it
 * (HMAC-SHA256 of a label), so the key digests of API keys and later the signing-key encryption
 * use different keys. Several nodes sharing one PostgreSQL must share the master key.
 */
public final class MasterKey {
  static final String FILE = "master.key";
  private final byte[] key;

  private MasterKey(byte[] key) {
    this.key = key;
  }

  public static MasterKey load(@Nullable String configured, Path dataDir) {
    if (configured != null) {
      if (configured.length() < 32) {
        throw new IllegalArgumentException("KEYWARD_MASTER_KEY must be at least 32 characters (e.g. `openssl rand -base64 32`)");
      }
      return new MasterKey(configured.getBytes(StandardCharsets.UTF_8));
    }
    Path file = dataDir.resolve(FILE);
    try {
      Files.createDirectories(dataDir);
      if (!Files.exists(file)) {
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        try {
          Files.writeString(file, Base64.getEncoder().encodeToString(fresh) + "\n", StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
          } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
          }
        } catch (FileAlreadyExistsException raced) {
          // another process created it first: use theirs
        }
      }
      byte[] decoded = Base64.getDecoder().decode(Files.readString(file).strip());
      if (decoded.length < 32) {
        throw new IllegalStateException(file + " holds fewer than 32 bytes");
      }
      return new MasterKey(decoded);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot read or create the master key file " + file + ": " + e.getMessage(), e);
    }
  }

  /** A 32-byte key for one purpose. */
  public byte[] derive(String purpose) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(("keyward/" + purpose).getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "MasterKey[redacted]";
  }
}
