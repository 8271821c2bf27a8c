package dev.keyward.store;

class PostgresTokenStoreTest extends TokenStoreContract {
  @Override
  protected Database open() {
    return TestDatabases.postgres();
  }
}
