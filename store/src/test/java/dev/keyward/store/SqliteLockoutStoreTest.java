package dev.keyward.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class SqliteLockoutStoreTest extends LockoutStoreContract {
  @TempDir Path dir;

  @Override
  protected Database open() {
    return TestDatabases.sqlite(dir);
  }
}
