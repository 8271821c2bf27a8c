package dev.keyward.store.jdbc;

import dev.keyward.core.Transactor;
import dev.keyward.core.error.KeywardException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Runs SQL with bound parameters, inside the current transaction when there is one. Store
 * failures become {@code unavailable} (503: decisions fail closed) and unique-key violations
 * become {@code conflict} (409).
 *
 * <p>With a single writer (SQLite: every transaction begins {@code IMMEDIATE}, taking the one
 * write lock), transactions of this process queue on a fair lock here rather than in SQLite's
 * busy handler, which polls with sleeps of 1 to 100 ms: under concurrent writes that polling,
 * not the work, set the pace. The wait is bounded like the busy timeout it replaces.
 */
public final class Jdbc implements Transactor {
  /** Longest wait for the single-writer lock, as SQLite's {@code busy_timeout}. */
  static final Duration WRITER_WAIT = Duration.ofSeconds(5);

  private final DataSource dataSource;
  private final @Nullable ReentrantLock writer;
  // Per instance, not static: each database (a test may open several) has its own transactions.
  @SuppressWarnings("ThreadLocalUsage")
  private final ThreadLocal<@Nullable Connection> current = new ThreadLocal<>();

  public Jdbc(DataSource dataSource) {
    this(dataSource, false);
  }

  /**
   * @param singleWriter true when the engine runs one write transaction at a time (SQLite):
   *     transactions then queue here, in order
   */
  public Jdbc(DataSource dataSource, boolean singleWriter) {
    this.dataSource = dataSource;
    this.writer = singleWriter ? new ReentrantLock(true) : null;
  }

  /** Maps one row. */
  @FunctionalInterface
  public interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  @FunctionalInterface
  interface ConnectionWork<T> {
    T apply(Connection c) throws SQLException;
  }

  @Override
  public <T> T inTransaction(Supplier<T> work) {
    if (current.get() != null) {
      return work.get();
    }
    ReentrantLock lock = writer;
    if (lock == null) {
      return transaction(work);
    }
    try {
      if (!lock.tryLock(WRITER_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw KeywardException.unavailable("no write turn within " + WRITER_WAIT, null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw KeywardException.unavailable("interrupted while waiting for a write turn", e);
    }
    try {
      return transaction(work);
    } finally {
      lock.unlock();
    }
  }

  private <T> T transaction(Supplier<T> work) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      current.set(c);
      try {
        T result = work.get();
        c.commit();
        return result;
      } catch (SQLException e) {
        rollback(c);
        throw translate(e);
      } catch (RuntimeException e) {
        rollback(c);
        throw e;
      } catch (Error e) {
        rollback(c);
        throw e;
      } finally {
        current.remove();
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw translate(e);
    }
  }

  /** True while the calling thread is inside {@link #inTransaction}. */
  public boolean inTransaction() {
    return current.get() != null;
  }

  private static void rollback(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the original failure is the one worth reporting
    }
  }

  <T> T withConnection(ConnectionWork<T> work) {
    Connection tx = current.get();
    try {
      if (tx != null) {
        return work.apply(tx);
      }
      try (Connection c = dataSource.getConnection()) {
        return work.apply(c);
      }
    } catch (SQLException e) {
      throw translate(e);
    }
  }

  public int update(String sql, @Nullable Object... params) {
    if (writer != null && current.get() == null) {
      // A lone write takes its turn like any transaction (see the class comment).
      return inTransaction(() -> update(sql, params));
    }
    return withConnection(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        bind(ps, params);
        return ps.executeUpdate();
      }
    });
  }

  public <T> List<T> query(String sql, RowMapper<T> mapper, @Nullable Object... params) {
    return withConnection(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        bind(ps, params);
        try (ResultSet rs = ps.executeQuery()) {
          List<T> out = new ArrayList<>();
          while (rs.next()) {
            out.add(mapper.map(rs));
          }
          return out;
        }
      }
    });
  }

  public <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, @Nullable Object... params) {
    List<T> rows = query(sql, mapper, params);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  static void bind(PreparedStatement ps, @Nullable Object... params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      Object p = params[i];
      if (p instanceof Instant t) {
        ps.setLong(i + 1, t.toEpochMilli());
      } else if (p == null) {
        ps.setObject(i + 1, null);
      } else {
        ps.setObject(i + 1, p);
      }
    }
  }

  static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }

  static Instant requiredInstant(ResultSet rs, String column) throws SQLException {
    return Instant.ofEpochMilli(rs.getLong(column));
  }

  static KeywardException translate(SQLException e) {
    String state = e.getSQLState();
    String message = String.valueOf(e.getMessage());
    if ("23505".equals(state) || message.contains("UNIQUE constraint failed") || message.contains("PRIMARYKEY")) {
      return KeywardException.conflict("This record already exists");
    }
    if ("23503".equals(state) || message.contains("FOREIGN KEY constraint failed")) {
      // Only a concurrent change can get here (services check references first).
      return KeywardException.conflict("A record this one refers to was changed or removed; try again");
    }
    return KeywardException.unavailable(e.getClass().getSimpleName() + " state=" + state, e);
  }
}
