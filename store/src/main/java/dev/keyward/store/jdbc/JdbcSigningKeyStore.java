package dev.keyward.store.jdbc;

import dev.keyward.core.token.SigningKeyStore;
import dev.keyward.core.token.TokenAlgorithm;
import java.time.Instant;
import java.util.List;

/** Signing keys in SQL. */
public final class JdbcSigningKeyStore implements SigningKeyStore {
  private final Jdbc jdbc;

  public JdbcSigningKeyStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void insert(StoredKey k) {
    jdbc.update("INSERT INTO signing_keys (kid, algorithm, public_jwk, sealed_private_jwk, created_at, retired_at) VALUES (?, ?, ?, ?, ?, ?)",
        k.kid(), k.algorithm().name(), k.publicJwk(), k.sealedPrivateJwk(), k.createdAt(), k.retiredAt());
  }

  @Override
  public List<StoredKey> list() {
    return jdbc.query("SELECT kid, algorithm, public_jwk, sealed_private_jwk, created_at, retired_at FROM signing_keys ORDER BY created_at DESC",
        rs -> new StoredKey(rs.getString("kid"), TokenAlgorithm.valueOf(rs.getString("algorithm")), rs.getString("public_jwk"),
            rs.getString("sealed_private_jwk"), Jdbc.requiredInstant(rs, "created_at"), Jdbc.instant(rs, "retired_at")));
  }

  @Override
  public void retireAllBut(String keepKid, Instant at) {
    jdbc.update("UPDATE signing_keys SET retired_at = ? WHERE kid <> ? AND retired_at IS NULL", at, keepKid);
  }
}
