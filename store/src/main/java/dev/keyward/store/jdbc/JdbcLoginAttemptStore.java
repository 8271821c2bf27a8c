package dev.keyward.store.jdbc;

import dev.keyward.core.auth.LoginAttemptStore;
import dev.keyward.core.auth.LoginAttempts;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Lockout records in SQL. An update is one transaction that first upserts the row, which creates
 * it if needed and takes its row lock on PostgreSQL (SQLite transactions here begin
 * {@code IMMEDIATE}, holding the write lock), then reads, applies the core's transition and writes
 * back: concurrent failures on any node queue on that lock and none is lost.
 */
public final class JdbcLoginAttemptStore implements LoginAttemptStore {
  private static final String COLUMNS = "failures, window_start, locked_until, lock_count, permanent, last_failure";
  private final Jdbc jdbc;

  public JdbcLoginAttemptStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Optional<LoginAttempts> find(String userId) {
    return jdbc.queryOne("SELECT " + COLUMNS + " FROM login_attempts WHERE user_id = ?", JdbcLoginAttemptStore::map, userId);
  }

  @Override
  public Transition update(String userId, UnaryOperator<LoginAttempts> change) {
    return jdbc.inTransaction(() -> {
      jdbc.update("INSERT INTO login_attempts (user_id, " + COLUMNS + ") VALUES (?, 0, NULL, NULL, 0, ?, NULL)"
          + " ON CONFLICT (user_id) DO UPDATE SET failures = login_attempts.failures", userId, false);
      LoginAttempts before = find(userId).orElse(LoginAttempts.NONE);
      LoginAttempts after = change.apply(before);
      jdbc.update("UPDATE login_attempts SET failures = ?, window_start = ?, locked_until = ?, lock_count = ?, permanent = ?, last_failure = ?"
          + " WHERE user_id = ?",
          after.failures(), after.windowStart(), after.lockedUntil(), after.lockCount(), after.permanent(), after.lastFailure(), userId);
      return new Transition(before, after);
    });
  }

  @Override
  public void clearUnlessLocked(String userId, Instant now) {
    jdbc.update("DELETE FROM login_attempts WHERE user_id = ? AND permanent = ? AND (locked_until IS NULL OR locked_until <= ?)",
        userId, false, now);
  }

  @Override
  public boolean clear(String userId) {
    return jdbc.update("DELETE FROM login_attempts WHERE user_id = ?", userId) > 0;
  }

  private static LoginAttempts map(ResultSet rs) throws SQLException {
    return new LoginAttempts(rs.getInt("failures"), Jdbc.instant(rs, "window_start"), Jdbc.instant(rs, "locked_until"),
        rs.getInt("lock_count"), rs.getBoolean("permanent"), Jdbc.instant(rs, "last_failure"));
  }
}
