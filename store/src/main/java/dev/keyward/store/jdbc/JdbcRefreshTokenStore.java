package dev.keyward.store.jdbc;

import dev.keyward.core.key.Environment;
import dev.keyward.core.token.RefreshTokenStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Refresh tokens in SQL: single use is one conditional UPDATE, so exactly one caller wins. Writes
 * made outside a transaction (a new token of a key exchange or password grant; a rotation, which
 * spends a token and inserts its successor) go through one {@link GroupCommit}: concurrent writes
 * share one durable commit, and each rotation learns from its own UPDATE's row count whether it
 * won. Inside a transaction a write joins that transaction instead. Either way a rotation's
 * successor is stored in the same transaction as the spending, and only when that won.
 */
public final class JdbcRefreshTokenStore implements RefreshTokenStore, AutoCloseable {
  private static final String COLUMNS =
      "id, digest, family_id, tenant_id, user_id, key_id, client_id, scope, environment, admin, created_at, expires_at, family_created_at, family_expires_at, used_at, revoked_at";
  private static final String INSERT =
      "INSERT INTO refresh_tokens (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String SPEND =
      "UPDATE refresh_tokens SET used_at = ? WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL";
  /** Rows per commit at most; under load a batch holds what queued during the previous commit. */
  static final int MAX_BATCH = 256;

  /** One write: a new token and, for a rotation, the token it replaces ({@code spentId}, spent at {@code at}). */
  private record Write(StoredRefresh token, @Nullable String spentId, @Nullable Instant at) {}

  private final Jdbc jdbc;
  private final GroupCommit<Write, Boolean> writes;

  public JdbcRefreshTokenStore(Jdbc jdbc) {
    this(jdbc, Duration.ZERO);
  }

  /**
   * @param linger how long the writer waits for more rows when it found fewer than a full batch
   */
  public JdbcRefreshTokenStore(Jdbc jdbc, Duration linger) {
    this.jdbc = jdbc;
    this.writes = new GroupCommit<>(jdbc, "refresh-tokens", JdbcRefreshTokenStore::writeAll, MAX_BATCH, linger);
  }

  @Override
  public void insert(StoredRefresh t) {
    write(new Write(t, null, null));
  }

  @Override
  public boolean rotate(String oldId, Instant at, StoredRefresh successor) {
    return write(new Write(successor, oldId, at));
  }

  private boolean write(Write w) {
    if (jdbc.inTransaction()) {
      return jdbc.withConnection(c -> writeAll(c, List.of(w))).get(0);
    }
    return writes.submit(w);
  }

  /**
   * Spends the old tokens of the rotations (each UPDATE's row count says whether that caller won),
   * then inserts the new tokens of plain inserts and of the rotations that won. True per write
   * that stored its token.
   */
  private static List<Boolean> writeAll(Connection c, List<Write> batch) throws SQLException {
    Boolean[] stored = new Boolean[batch.size()];
    // In id order: two batches (on two nodes) spending the same tokens lock their rows in the same order.
    List<Integer> rotations = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      if (batch.get(i).spentId() == null) {
        stored[i] = true;
      } else {
        rotations.add(i);
      }
    }
    rotations.sort(Comparator.comparing(i -> Objects.requireNonNull(batch.get(i).spentId())));
    if (!rotations.isEmpty()) {
      try (PreparedStatement ps = c.prepareStatement(SPEND)) {
        for (int i : rotations) {
          Jdbc.bind(ps, batch.get(i).at(), batch.get(i).spentId());
          ps.addBatch();
        }
        int[] counts = ps.executeBatch();
        for (int k = 0; k < counts.length; k++) {
          if (counts[k] != 0 && counts[k] != 1) {
            throw new SQLException("spending one refresh token changed " + counts[k] + " rows");
          }
          stored[rotations.get(k)] = counts[k] == 1;
        }
      }
    }
    if (Arrays.asList(stored).contains(true)) {
      try (PreparedStatement ps = c.prepareStatement(INSERT)) {
        for (int i = 0; i < batch.size(); i++) {
          if (stored[i]) {
            Jdbc.bind(ps, values(batch.get(i).token()));
            ps.addBatch();
          }
        }
        ps.executeBatch();
      }
    }
    return Arrays.asList(stored);
  }

  private static @Nullable Object[] values(StoredRefresh t) {
    return new @Nullable Object[] {t.id(), t.digest(), t.familyId(), t.tenantId(), t.userId(), t.keyId(), t.clientId(),
        RoleLists.join(t.scope()), t.environment() == null ? null : t.environment().wireName(), t.adminKey(),
        t.createdAt(), t.expiresAt(), t.familyCreatedAt(), t.familyExpiresAt(), t.usedAt(), t.revokedAt()};
  }

  /** The group commit of writes made outside a transaction (its counters show the batching). */
  public GroupCommit<?, ?> writes() {
    return writes;
  }

  /** Writes what is still queued, then stops the writer. */
  @Override
  public void close() {
    writes.close();
  }

  @Override
  public Optional<StoredRefresh> findByDigest(String digest) {
    return jdbc.queryOne("SELECT " + COLUMNS + " FROM refresh_tokens WHERE digest = ?", JdbcRefreshTokenStore::map, digest);
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
