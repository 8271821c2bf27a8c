package dev.keyward.store.jdbc;

import dev.keyward.core.key.Environment;
import dev.keyward.core.token.RefreshTokenStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Refresh tokens in SQL: single use is one conditional UPDATE, so exactly one caller wins. A new
 * token written outside a transaction (every key exchange and password grant writes one) goes
 * through a {@link GroupCommit}: concurrent inserts share one durable commit. Inside a
 * transaction (a refresh marks its token used and inserts the next one) the insert joins that
 * transaction, so both happen or neither.
 */
public final class JdbcRefreshTokenStore implements RefreshTokenStore, AutoCloseable {
  private static final String COLUMNS =
      "id, digest, family_id, tenant_id, user_id, key_id, client_id, scope, environment, admin, created_at, expires_at, family_created_at, family_expires_at, used_at, revoked_at";
  private static final String INSERT =
      "INSERT INTO refresh_tokens (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  /** Rows per commit at most; under load a batch holds what queued during the previous commit. */
  static final int MAX_BATCH = 256;

  private final Jdbc jdbc;
  private final GroupCommit<StoredRefresh> inserts;

  public JdbcRefreshTokenStore(Jdbc jdbc) {
    this(jdbc, Duration.ZERO);
  }

  /**
   * @param linger how long the writer waits for more rows when it found fewer than a full batch
   */
  public JdbcRefreshTokenStore(Jdbc jdbc, Duration linger) {
    this.jdbc = jdbc;
    this.inserts = new GroupCommit<>(jdbc, "refresh-tokens", JdbcRefreshTokenStore::insertAll, MAX_BATCH, linger);
  }

  @Override
  public void insert(StoredRefresh t) {
    if (jdbc.inTransaction()) {
      jdbc.update(INSERT, values(t));
    } else {
      inserts.submit(t);
    }
  }

  private static void insertAll(Connection c, List<StoredRefresh> rows) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
      for (StoredRefresh t : rows) {
        Jdbc.bind(ps, values(t));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static @Nullable Object[] values(StoredRefresh t) {
    return new @Nullable Object[] {t.id(), t.digest(), t.familyId(), t.tenantId(), t.userId(), t.keyId(), t.clientId(),
        RoleLists.join(t.scope()), t.environment() == null ? null : t.environment().wireName(), t.adminKey(),
        t.createdAt(), t.expiresAt(), t.familyCreatedAt(), t.familyExpiresAt(), t.usedAt(), t.revokedAt()};
  }

  /** The group commit of inserts made outside a transaction (its counters show the batching). */
  public GroupCommit<StoredRefresh> inserts() {
    return inserts;
  }

  /** Writes the inserts still queued, then stops their writer. */
  @Override
  public void close() {
    inserts.close();
  }

  @Override
  public Optional<StoredRefresh> findByDigest(String digest) {
    return jdbc.queryOne("SELECT " + COLUMNS + " FROM refresh_tokens WHERE digest = ?", JdbcRefreshTokenStore::map, digest);
  }

  @Override
  public boolean markUsed(String id, Instant at) {
    return jdbc.update("UPDATE refresh_tokens SET used_at = ? WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL", at, id) == 1;
  }

  @Override
  public int revokeFamily(String familyId, Instant at) {
    return jdbc.update("UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL", at, familyId);
  }

  @Override
  public int revokeAllOfUser(String userId, Instant at) {
    return jdbc.update("UPDATE refresh_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", at, userId);
  }

  @Override
  public int revokeAllOfKey(String keyId, Instant at) {
    return jdbc.update("UPDATE refresh_tokens SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL", at, keyId);
  }

  private static StoredRefresh map(ResultSet rs) throws SQLException {
    String env = rs.getString("environment");
    return new StoredRefresh(rs.getString("id"), rs.getString("digest"), rs.getString("family_id"), rs.getString("tenant_id"),
        rs.getString("user_id"), rs.getString("key_id"), rs.getString("client_id"), RoleLists.split(rs.getString("scope")),
        env == null ? null : Environment.fromWire(env).orElse(null), rs.getBoolean("admin"),
        Jdbc.requiredInstant(rs, "created_at"), Jdbc.requiredInstant(rs, "expires_at"),
        Jdbc.requiredInstant(rs, "family_created_at"), Jdbc.requiredInstant(rs, "family_expires_at"),
        Jdbc.instant(rs, "used_at"), Jdbc.instant(rs, "revoked_at"));
  }
}
