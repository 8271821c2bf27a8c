package dev.keyward.core.token;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Persistence of signing keys; the private part is only ever stored sealed. */
public interface SigningKeyStore {

  /** A signing key as stored. {@code retiredAt} null: the key signs new tokens. */
  record StoredKey(String kid, TokenAlgorithm algorithm, String publicJwk, String sealedPrivateJwk,
      Instant createdAt, @Nullable Instant retiredAt) {}

  void insert(StoredKey key);

  /** Every key, newest first. */
  List<StoredKey> list();

  /** Retires every active key except {@code keepKid}. */
  void retireAllBut(String keepKid, Instant at);
}
