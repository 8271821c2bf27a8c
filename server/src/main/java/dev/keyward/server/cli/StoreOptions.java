package dev.keyward.server.cli;

import dev.keyward.server.KeywardConfig;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** Where the store is: shared by every command that opens it. */
public final class StoreOptions {
  @Option(names = "--data-dir", defaultValue = "${env:KEYWARD_DATA_DIR:-keyward-data}", description = "Data folder: the SQLite file and the master key file (KEYWARD_DATA_DIR; default ${DEFAULT-VALUE}).")
  Path dataDir = Path.of("keyward-data");

  @Option(names = "--db-url", defaultValue = "${env:KEYWARD_DB_URL}", description = "PostgreSQL JDBC URL, e.g. jdbc:postgresql://127.0.0.1:5432/keyward (KEYWARD_DB_URL; default: SQLite in the data folder).")
  @Nullable String dbUrl;

  @Option(names = "--db-user", defaultValue = "${env:KEYWARD_DB_USER}", description = "PostgreSQL user (KEYWARD_DB_USER).")
  @Nullable String dbUser;

  /** The defaults for this store, with the secrets read from the environment only. */
  KeywardConfig config() {
    return KeywardConfig.defaults(dataDir)
        .withDatabase(blankToNull(dbUrl), blankToNull(dbUser), blankToNull(System.getenv("KEYWARD_DB_PASSWORD")), null)
        .withMasterKey(blankToNull(System.getenv("KEYWARD_MASTER_KEY")));
  }

  /** Opens (and migrates) the store of {@code config} for a one-off command: a small pool. */
  static dev.keyward.store.Database open(KeywardConfig config) {
    return dev.keyward.store.Database.open(new dev.keyward.store.Database.Settings(config.effectiveDbUrl(), config.dbUser(),
        config.dbPassword(), null, 2, java.time.Duration.ofSeconds(5)));
  }

  static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
