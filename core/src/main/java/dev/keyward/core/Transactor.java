package dev.keyward.core;

import java.util.function.Supplier;

/** Runs work in one store transaction: all of its writes land, or none do. */
public interface Transactor {
  <T> T inTransaction(Supplier<T> work);

  default void run(Runnable work) {
    inTransaction(
        () -> {
          work.run();
          return null;
        });
  }
}
