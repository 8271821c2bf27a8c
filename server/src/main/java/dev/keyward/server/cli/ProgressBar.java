package dev.keyward.server.cli;

import dev.keyward.store.transfer.StoreTransfer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A one-line progress bar on standard error, redrawn at most ten times a second:
 * {@code [##########..........]  50%  12000/24000 rows  audit_events}.
 */
final class ProgressBar implements StoreTransfer.Progress, AutoCloseable {
  /** Stores smaller than this move in a blink: no bar for them unless asked. */
  static final long LARGE = 1000;
  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 100_000_000L;

  /** When to draw: {@code AUTO} draws for large stores when standard error is a terminal. */
  enum Mode {
    AUTO,
    ALWAYS,
    NEVER
  }

  private final PrintStream err;
  private final Mode mode;
  private boolean drawn;
  private long lastDraw;

  ProgressBar(PrintStream err, Mode mode) {
    this.err = err;
    this.mode = mode;
  }

  @Override
  public void update(long done, long total, String table) {
    if (!shows(total)) {
      return;
    }
    long now = System.nanoTime();
    if (drawn && done < total && now - lastDraw < REDRAW_NANOS) {
      return;
    }
    lastDraw = now;
    drawn = true;
    int filled = total == 0 ? WIDTH : (int) (WIDTH * done / total);
    long percent = total == 0 ? 100 : 100 * done / total;
    err.print("\r[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] " + String.format("%3d%%", percent) + "  " + done + "/"
        + total + " rows  " + String.format("%-16s", table));
    err.flush();
  }

  private boolean shows(long total) {
    return switch (mode) {
      case NEVER -> false;
      case ALWAYS -> true;
      case AUTO -> total >= LARGE && stderrIsTerminal();
    };
  }

  /** Whether standard error is a terminal (Linux: its file descriptor links to a tty device). */
  static boolean stderrIsTerminal() {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false;
    }
  }

  @Override
  public void close() {
    if (drawn) {
      err.println();
    }
  }
}
