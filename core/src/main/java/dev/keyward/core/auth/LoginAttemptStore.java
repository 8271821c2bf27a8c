package dev.keyward.core.auth;

import java.time.Instant;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Failed password attempts and locks, per account id, kept in the store so that they hold across
 * restarts and are shared by every node. Only accounts that exist get a record.
 */
public interface LoginAttemptStore {

  /** The record of an account; empty when it has none (no failure since its last success). */
  Optional<LoginAttempts> find(String userId);

  /**
   * Applies {@code change} to the account's record (starting from {@link LoginAttempts#NONE}) as
   * one atomic read-modify-write: concurrent updates of the same account, on any node, are applied
   * one after the other and none is lost.
   */
  Transition update(String userId, UnaryOperator<LoginAttempts> change);

  /** Forgets the failures after a successful login, unless a lock was set meanwhile. */
  void clearUnlessLocked(String userId, Instant now);

  /** Forgets failures and lock (admin unlock); true when there was a record. */
  boolean clear(String userId);

  /** A record before and after one update. */
  record Transition(LoginAttempts before, LoginAttempts after) {}
}
