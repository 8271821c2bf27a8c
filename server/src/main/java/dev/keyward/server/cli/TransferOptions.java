package dev.keyward.server.cli;

import dev.keyward.server.KeywardConfig;
import dev.keyward.server.MasterKey;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What {@code export} and {@code import} share: the store, the master key check, the progress bar. */
final class TransferOptions {
  @Mixin StoreOptions store = new StoreOptions();

  @Option(names = "--progress", defaultValue = "AUTO", paramLabel = "<when>",
      description = "Progress bar on standard error: AUTO (large stores, when it is a terminal), ALWAYS or NEVER.")
  ProgressBar.Mode progress = ProgressBar.Mode.AUTO;

  /**
   * A check value of the deployment's master key: equal on source and target exactly when both use
   * the same key, and of no use to find the key. Never creates a master key file.
   */
  static String keyCheck(KeywardConfig config) {
    if (config.masterKey() == null && !Files.exists(config.dataDir().resolve("master.key"))) {
      throw new CliFailure(CliFailure.REFUSED, "no master key: " + config.dataDir().resolve("master.key")
          + " does not exist and KEYWARD_MASTER_KEY is not set. Key digests and signing keys need the source's master key:"
          + " copy its master.key into " + config.dataDir() + " or set KEYWARD_MASTER_KEY to the same value");
    }
    byte[] derived = MasterKey.load(config.masterKey(), config.dataDir()).derive("export-check/v1");
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(derived);
      return HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

}
