package dev.keyward.server.cli;

import dev.keyward.server.KeywardConfig;
import dev.keyward.store.Database;
import dev.keyward.store.transfer.StoreTransfer;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code keyward import}: reads a {@code keyward export} file into a new, empty store. Exit codes:
 * 0 imported, 1 refused (target not empty, other master key, broken or incomplete file; nothing
 * is written), 2 bad arguments.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
    description = {"Read a file written by 'keyward export' into a new, empty store.",
        "The store is SQLite with --data-dir or PostgreSQL with --db-url, before any server starts on it.",
        "Refused when the store holds anything, when the master key differs from the source's, or when the "
            + "file is broken; then nothing is written."})
public final class ImportCommand implements Callable<Integer> {
  @Mixin TransferOptions options = new TransferOptions();

  @Parameters(index = "0", paramLabel = "<file>", description = "The export file, or - for standard input.")
  String file = "";

  @Override
  public Integer call() {
    Logging.configure();
    return AdminCommand.guarded(() -> {
      KeywardConfig config = options.store.config();
      boolean stdin = file.equals("-");
      if (!stdin && !Files.isReadable(Path.of(file))) {
        throw new CliFailure(CliFailure.REFUSED, "cannot read " + file);
      }
      String check = TransferOptions.keyCheck(config);
      try (Database db = StoreOptions.open(config);
          InputStream in = new BufferedInputStream(stdin ? System.in : Files.newInputStream(Path.of(file)), 1 << 16);
          ProgressBar bar = new ProgressBar(System.err, options.progress)) {
        StoreTransfer.Counts counts;
        try {
          counts = StoreTransfer.importInto(db, in, check, bar);
        } catch (StoreTransfer.Refused e) {
          bar.close();
          throw new CliFailure(CliFailure.REFUSED, String.valueOf(e.getMessage()));
        }
        bar.close();
        System.out.println("Imported " + counts.total() + " rows (" + counts + ")");
      }
      return 0;
    });
  }
}
