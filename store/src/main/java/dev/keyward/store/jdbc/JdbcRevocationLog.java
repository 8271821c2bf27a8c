package dev.keyward.store.jdbc;

import dev.keyward.core.secret.SecretGenerator;
import dev.keyward.core.token.Revocation;
import dev.keyward.core.token.RevocationLog;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** Revocations in SQL, read back by every node's poller; expired rows are deleted as it goes. */
public final class JdbcRevocationLog implements RevocationLog {
  private final Jdbc jdbc;
  private final SecretGenerator ids;
  private final Clock clock;

  public JdbcRevocationLog(Jdbc jdbc, SecretGenerator ids, Clock clock) {
    this.jdbc = jdbc;
    this.ids = ids;
    this.clock = clock;
  }

  @Override
  public void record(Revocation r, Instant keepUntil) {
    jdbc.update("INSERT INTO revocations (id, kind, subject, at, recorded_at, keep_until) VALUES (?, ?, ?, ?, ?, ?)",
        ids.id("rev"), r.kind().name(), r.subject(), r.at(), clock.instant(), keepUntil);
  }

  @Override
  public List<Revocation> since(Instant since) {
    return jdbc.query("SELECT kind, subject, at FROM revocations WHERE recorded_at >= ?",
        rs -> new Revocation(Revocation.Kind.valueOf(rs.getString("kind")), rs.getString("subject"), Jdbc.requiredInstant(rs, "at")),
        since);
  }

  /** Deletes revocations no token can need any more. */
  public int purge(Instant now) {
    return jdbc.update("DELETE FROM revocations WHERE keep_until < ?", now);
  }
}
