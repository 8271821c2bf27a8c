package dev.keyward.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.core.key.ApiKeyFormat;
import dev.keyward.core.key.Environment;
import dev.keyward.core.principal.User;
import dev.keyward.core.secret.Secret;
import dev.keyward.core.tenant.Tenant;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on SQLite, plus what only an embedded file can show. */
class SqliteStoreTest extends StoreContract {
  @TempDir Path dir;

  @Override
  protected Database open() {
    return TestDatabases.sqlite(dir);
  }

  /**
   * The raw bytes of every file of the database (main file, -wal, -shm), read once before and once
   * after a checkpoint, so a secret is caught whether it sits in the WAL or in the main file.
   */
  @Override
  protected String storedContent() throws Exception {
    StringBuilder all = new StringBuilder(rawFiles());
    checkpoint();
    all.append(rawFiles());
    return all.toString();
  }

  private String rawFiles() throws IOException {
    String name = TestDatabases.sqliteFile(db).getFileName().toString();
    StringBuilder out = new StringBuilder();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith(name)).sorted().toList()) {
        // ISO-8859-1 maps every byte to one char, so ASCII text is found wherever it lies.
        out.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).append('\n');
      }
    }
    return out.toString();
  }

  private void checkpoint() throws SQLException {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(FULL)")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).as("checkpoint blocked").isZero();
    }
  }

  private String pragma(String name) throws SQLException {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }

  @Test
  void openWhenSqliteThenWalFullSyncForeignKeysAndBusyTimeoutOnEveryConnection() throws SQLException {
    assertThat(db.dialect()).isEqualTo(Database.Dialect.SQLITE);
    assertThat(pragma("journal_mode")).isEqualToIgnoringCase("wal");
    assertThat(pragma("synchronous")).isEqualTo("2");
    assertThat(pragma("foreign_keys")).isEqualTo("1");
    assertThat(pragma("busy_timeout")).isEqualTo("5000");
    assertThat(Files.exists(dir.resolve(TestDatabases.SQLITE_FILE))).isTrue();
  }

  @Test
  void checkpointWhenKeyInsertedThenMainFileHoldsTheDigestButNotTheSecret() throws Exception {
    Tenant t = tenant("acme");
    User u = member(t, "ann@acme.test", "owner");
    Secret secret = ApiKeyFormat.generate(ids, Environment.PRODUCTION);
    String digest = digester.digest(secret);
    db.keys().insert(newKey(t, u, "default-key", T0, secret), digest);

    checkpoint();
    String mainFile = new String(Files.readAllBytes(TestDatabases.sqliteFile(db)), StandardCharsets.ISO_8859_1);

    assertThat(mainFile).contains(digest).doesNotContain(secret.reveal()).doesNotContain(secret.reveal().substring(8));
  }
}
