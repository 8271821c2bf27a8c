package dev.keyward.core.testing;

import dev.keyward.core.Transactor;
import java.util.function.Supplier;

/**
 * A {@link Transactor} that simply runs the work on the calling thread. The in-memory stores have
 * no rollback, so a test that needs atomicity must use a real store.
 */
public final class InlineTransactor implements Transactor {
  private int transactions;

  @Override
  public <T> T inTransaction(Supplier<T> work) {
    synchronized (this) {
      transactions++;
    }
    return work.get();
  }

  /** How many units of work have been run. */
  public synchronized int transactions() {
    return transactions;
  }
}
