package dev.keyward.store.jdbc;

import dev.keyward.core.error.ErrorCode;
import dev.keyward.core.error.KeywardException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Group commit: rows that many threads write at once are queued and written by one writer thread,
 * a batch per transaction, so that one durable commit (an fsync) serves all of them. A caller
 * returns only once the commit holding its row is done, so an acknowledged write still survives a
 * crash. A batch that fails fails every caller in it ({@code unavailable}, 503), except a
 * constraint violation: then each row of the batch is written alone, so that only the offending
 * caller gets its {@code conflict}. Each row has a result (what the writer learnt writing it, such
 * as whether a conditional update matched), handed to its caller with the commit.
 *
 * <p>The writer takes whatever is queued when it becomes free (at most {@code maxBatch} rows),
 * waiting at most {@code linger} for more when it found fewer: under load, rows queue up while the
 * previous commit is being synced, which is what fills the batches.
 *
 * @param <T> one row
 * @param <R> the result of writing one row
 */
public final class GroupCommit<T, R> implements AutoCloseable {
  /**
   * Writes the rows of one batch on a connection inside an open transaction (no commit), and
   * returns one result per row, in the order of the rows.
   */
  @FunctionalInterface
  public interface BatchWriter<T, R> {
    List<R> write(Connection c, List<T> rows) throws SQLException;
  }

  /** How long a caller waits for its commit before it is told the store is unavailable. */
  private static final Duration MAX_WAIT = Duration.ofSeconds(30);

  private record Pending<T, R>(T row, CompletableFuture<R> done) {}

  private final Jdbc jdbc;
  private final BatchWriter<T, R> writer;
  private final int maxBatch;
  private final long lingerNanos;
  private final BlockingQueue<Pending<T, R>> queue;
  private final Thread thread;
  /** Guards {@code closed} and enqueuing (a lock, not a monitor: a caller may wait on a full queue). */
  private final ReentrantLock lifecycle = new ReentrantLock();
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong rows = new AtomicLong();
  private final AtomicInteger pending = new AtomicInteger();
  private boolean closed;

  public GroupCommit(Jdbc jdbc, String name, BatchWriter<T, R> writer, int maxBatch, Duration linger) {
    if (maxBatch < 1 || linger.isNegative()) {
      throw new IllegalArgumentException("maxBatch must be positive and linger not negative");
    }
    this.jdbc = jdbc;
    this.writer = writer;
    this.maxBatch = maxBatch;
    this.lingerNanos = linger.toNanos();
    this.queue = new LinkedBlockingQueue<>(maxBatch * 64);
    this.thread = Thread.ofPlatform().daemon().name("keyward-group-commit-" + name).start(this::run);
  }

  /**
   * Writes one row and returns, once it is committed, what writing it gave.
   *
   * @throws KeywardException {@code unavailable} when the batch failed or the store is closed,
   *     {@code conflict} when this row violates a constraint
   */
  public R submit(T row) {
    Pending<T, R> p = new Pending<>(row, new CompletableFuture<>());
    try {
      lifecycle.lockInterruptibly();
      try {
        if (closed) {
          throw KeywardException.unavailable("group commit closed", null);
        }
        // A full queue makes callers wait here: back-pressure instead of unbounded memory.
        queue.put(p);
        pending.incrementAndGet();
      } finally {
        lifecycle.unlock();
      }
      return p.done().get(MAX_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw KeywardException.unavailable("interrupted while waiting for a group commit", e);
    } catch (TimeoutException e) {
      throw KeywardException.unavailable("no group commit within " + MAX_WAIT, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof KeywardException k) {
        // A copy per caller, so that each stack trace shows its own caller.
        throw new KeywardException(k.code(), k.publicMessage(), k.field(), "group commit", k);
      }
      throw KeywardException.unavailable("group commit failed", e.getCause());
    }
  }

  /** Rows submitted and not yet answered: queued, or in the batch being written. */
  public int pending() {
    return pending.get();
  }

  /** Commits made so far (for tests and figures). */
  public long commits() {
    return commits.get();
  }

  /** Rows committed so far (for tests and figures). */
  public long rows() {
    return rows.get();
  }

  private void run() {
    List<Pending<T, R>> batch = new ArrayList<>(maxBatch);
    while (true) {
      Pending<T, R> first;
      try {
        first = queue.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        first = null; // nobody but the JVM interrupts this thread; close() lets it finish
      }
      if (first == null) {
        lifecycle.lock();
        try {
          if (closed && queue.isEmpty()) {
            return;
          }
        } finally {
          lifecycle.unlock();
        }
        continue;
      }
      batch.add(first);
      queue.drainTo(batch, maxBatch - batch.size());
      linger(batch);
      try {
        write(batch);
      } catch (Throwable t) { // the writer must outlive anything a batch throws, or later callers would wait in vain
        KeywardException failure = KeywardException.unavailable("group commit failed", t);
        batch.stream().filter(p -> !p.done().isDone()).forEach(p -> fail(p, failure));
      }
      batch.clear();
    }
  }

  private void linger(List<Pending<T, R>> batch) {
    long deadline = System.nanoTime() + lingerNanos;
    while (lingerNanos > 0 && batch.size() < maxBatch) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      try {
        Pending<T, R> next = queue.poll(left, TimeUnit.NANOSECONDS);
        if (next == null) {
          return;
        }
        batch.add(next);
        queue.drainTo(batch, maxBatch - batch.size());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void write(List<Pending<T, R>> batch) {
    List<R> results;
    try {
      results = commit(batch);
    } catch (KeywardException failure) {
      if (failure.code() == ErrorCode.CONFLICT && batch.size() > 1) {
        // One row broke a constraint: write each alone, so only that caller hears of it (the
        // rolled-back batch left no trace, so each row's result is that of its own commit).
        for (Pending<T, R> p : batch) {
          write(List.of(p));
        }
        return;
      }
      batch.forEach(p -> fail(p, failure));
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      pending.decrementAndGet();
      batch.get(i).done().complete(results.get(i));
    }
  }

  private void fail(Pending<T, R> p, KeywardException failure) {
    pending.decrementAndGet();
    p.done().completeExceptionally(failure);
  }

  /** Writes and commits one batch: its results, or the failure (the transaction rolled back). */
  private List<R> commit(List<Pending<T, R>> batch) {
    List<T> values = new ArrayList<>(batch.size());
    batch.forEach(p -> values.add(p.row()));
    List<R> results;
    try {
      results = jdbc.inTransaction(() -> jdbc.withConnection(c -> {
        List<R> written = writer.write(c, values);
        if (written.size() != values.size()) { // a bug of the writer: rolled back rather than leave a caller unanswered
          throw new IllegalStateException("the batch writer gave " + written.size() + " results for " + values.size() + " rows");
        }
        return written;
      }));
    } catch (KeywardException e) {
      throw e;
    } catch (RuntimeException e) {
      throw KeywardException.unavailable("group commit of " + values.size() + " rows failed", e);
    }
    commits.incrementAndGet();
    rows.addAndGet(values.size());
    return results;
  }

  /** Writes what is queued, then stops the writer; later submissions are refused. */
  @Override
  public void close() {
    lifecycle.lock();
    try {
      closed = true;
    } finally {
      lifecycle.unlock();
    }
    try {
      thread.join(MAX_WAIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
