package dev.keyward.store.jdbc;

import dev.keyward.core.session.SessionStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** Backoffice sessions in SQL, read joined with the account and membership as they are now. */
public final class JdbcSessionStore implements SessionStore {
  private final Jdbc jdbc;

  public JdbcSessionStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void insert(String digest, String tenantId, String userId, Instant at) {
    jdbc.update("INSERT INTO sessions (id, tenant_id, user_id, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?)",
        digest, tenantId, userId, at, at);
  }

  @Override
  public Optional<Found> find(String digest) {
    return jdbc.queryOne("SELECT s.tenant_id, t.slug, s.user_id, u.email, u.name, u.programmatic, m.roles, s.created_at,"
        + " s.last_seen_at, u.credentials_changed_at FROM sessions s"
        + " JOIN users u ON u.id = s.user_id"
        + " JOIN memberships m ON m.tenant_id = s.tenant_id AND m.user_id = s.user_id"
        + " JOIN tenants t ON t.id = s.tenant_id"
        + " WHERE s.id = ?", JdbcSessionStore::map, digest);
  }

  @Override
  public void touch(String digest, Instant at) {
    jdbc.update("UPDATE sessions SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?", at, digest, at);
  }

  @Override
  public void delete(String digest) {
    jdbc.update("DELETE FROM sessions WHERE id = ?", digest);
  }

  @Override
  public int deleteExpired(Instant idleBefore, Instant startedBefore) {
    return jdbc.update("DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?", idleBefore, startedBefore);
  }

  private static Found map(ResultSet rs) throws SQLException {
    return new Found(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getBoolean(6),
        RoleLists.split(rs.getString(7)), Jdbc.requiredInstant(rs, "created_at"), Jdbc.requiredInstant(rs, "last_seen_at"),
        Jdbc.requiredInstant(rs, "credentials_changed_at"));
  }
}
