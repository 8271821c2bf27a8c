package dev.keyward.core.testing;

import dev.keyward.core.token.SigningKeyStore;
import dev.keyward.core.token.SigningKeyStore.StoredKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Signing keys in memory, for tests. */
public final class InMemorySigningKeyStore implements SigningKeyStore {
  private final List<StoredKey> keys = new ArrayList<>();

  @Override
  public synchronized void insert(StoredKey key) {
    keys.add(key);
  }

  @Override
  public synchronized List<StoredKey> list() {
    return keys.stream().sorted(Comparator.comparing(StoredKey::createdAt).reversed()).toList();
  }

  @Override
  public synchronized void retireAllBut(String keepKid, Instant at) {
    keys.replaceAll(k -> k.kid().equals(keepKid) || k.retiredAt() != null
        ? k : new StoredKey(k.kid(), k.algorithm(), k.publicJwk(), k.sealedPrivateJwk(), k.createdAt(), at));
  }
}
