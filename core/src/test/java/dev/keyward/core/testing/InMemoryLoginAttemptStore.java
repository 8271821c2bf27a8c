package dev.keyward.core.testing;

import dev.keyward.core.auth.LoginAttemptStore;
import dev.keyward.core.auth.LoginAttempts;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** {@link LoginAttemptStore} in a map; every operation is atomic (one lock). */
public final class InMemoryLoginAttemptStore implements LoginAttemptStore {
  private final Map<String, LoginAttempts> records = new HashMap<>();

  @Override
  public synchronized Optional<LoginAttempts> find(String userId) {
    return Optional.ofNullable(records.get(userId));
  }

  @Override
  public synchronized Transition update(String userId, UnaryOperator<LoginAttempts> change) {
    LoginAttempts before = records.getOrDefault(userId, LoginAttempts.NONE);
    LoginAttempts after = change.apply(before);
    records.put(userId, after);
    return new Transition(before, after);
  }

  @Override
  public synchronized void clearUnlessLocked(String userId, Instant now) {
    LoginAttempts a = records.get(userId);
    if (a != null && !a.isLocked(now)) {
      records.remove(userId);
    }
  }

  @Override
  public synchronized boolean clear(String userId) {
    return records.remove(userId) != null;
  }

  public synchronized int size() {
    return records.size();
  }
}
