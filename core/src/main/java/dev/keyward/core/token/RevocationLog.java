package dev.keyward.core.token;

import java.time.Instant;
import java.util.List;

/**
 * Revocations as stored, written in the same transaction as the change that causes them (so a
 * rolled-back change revokes nothing), and read by every node's poller.
 */
public interface RevocationLog {
  /** Records a revocation, kept until {@code keepUntil} (when every token it concerns has expired). */
  void record(Revocation revocation, Instant keepUntil);

  /** Revocations recorded at or after {@code since}. */
  List<Revocation> since(Instant since);
}
