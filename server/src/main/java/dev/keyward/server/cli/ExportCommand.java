package dev.keyward.server.cli;

import dev.keyward.server.KeywardConfig;
import dev.keyward.store.Database;
import dev.keyward.store.transfer.StoreTransfer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code keyward export}: the whole store as one JSON document, for backups and for moving to
 * another engine with {@code keyward import}. Exit codes: 0 written, 1 failed (store unreachable,
 * file exists, no master key), 2 bad arguments.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = {"Write the whole store to a JSON file (backups, moving between SQLite and PostgreSQL).",
        "Everything goes: tenants, users with password hashes, keys as digests, roles, route table, settings, "
            + "sealed signing keys, refresh tokens, lockouts, sessions and the audit log; 'keyward import' reads it.",
        "The file holds no secret, but hashes and digests: it is written readable by its owner only. "
            + "The target needs the same master key.",
        "Safe while servers run: it reads one consistent snapshot."})
public final class ExportCommand implements Callable<Integer> {
  @Mixin TransferOptions options = new TransferOptions();

  @Option(names = {"-o", "--output"}, paramLabel = "<file>", description = "Where to write (default: standard output).")
  @Nullable Path output;

  @Option(names = "--force", description = "Replace an existing output file.")
  boolean force;

  @Override
  public Integer call() {
    Logging.configure();
    return AdminCommand.guarded(() -> {
      KeywardConfig config = options.store.config();
      if (output != null && Files.exists(output) && !force) {
        throw new CliFailure(CliFailure.REFUSED, output + " exists: choose another file, or add --force to replace it");
      }
      String check = TransferOptions.keyCheck(config);
      try (Database db = StoreOptions.open(config); ProgressBar bar = new ProgressBar(System.err, options.progress)) {
        StoreTransfer.Counts counts;
        if (output == null) {
          OutputStream out = new BufferedOutputStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), 1 << 16);
          counts = StoreTransfer.export(db, out, check, Instant.now(), bar);
          out.flush();
        } else {
          counts = writeFile(db, output, check, bar);
        }
        bar.close();
        PrintStream report = output == null ? System.err : System.out;
        report.println("Exported " + counts.total() + " rows (" + counts + ")" + (output == null ? "" : " to " + output));
      }
      return 0;
    });
  }

  /** Writes to a temporary file beside the target, readable by its owner only, then moves it in place. */
  private static StoreTransfer.Counts writeFile(Database db, Path output, String check, ProgressBar bar) throws IOException {
    Path dir = output.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, ".keyward-export", ".tmp");
    try {
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException ignored) {
        // not a POSIX file system
      }
      StoreTransfer.Counts counts;
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
        counts = StoreTransfer.export(db, out, check, Instant.now(), bar);
      }
      Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return counts;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
