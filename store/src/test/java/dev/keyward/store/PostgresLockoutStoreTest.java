package dev.keyward.store;

class PostgresLockoutStoreTest extends LockoutStoreContract {
  @Override
  protected Database open() {
    return TestDatabases.postgres();
  }
}
