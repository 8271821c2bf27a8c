package dev.keyward.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.server.KeywardConfig;
import dev.keyward.server.Services;
import dev.keyward.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokensCommandTest {
  @Test
  void rotateWhenRunTwiceThenEachMakesANewActiveKeyAndKeepsTheOldOneInTheJwks(@TempDir Path dir) {
    assertThat(Main.execute("tokens", "rotate-signing-key", "--data-dir", dir.toString())).isZero();
    String first;
    try (Database db = Database.open(Database.Settings.sqlite(dir.resolve("keyward.db")));
        Services s = new Services(KeywardConfig.defaults(dir), db, Clock.systemUTC())) {
      first = s.signingKeys().activeKid();
    }
    assertThat(Main.execute("tokens", "rotate-signing-key", "--data-dir", dir.toString())).isZero();
    try (Database db = Database.open(Database.Settings.sqlite(dir.resolve("keyward.db")));
        Services s = new Services(KeywardConfig.defaults(dir), db, Clock.systemUTC())) {
      assertThat(s.signingKeys().activeKid()).isNotEqualTo(first);
      assertThat(s.signingKeys().jwks()).contains(first);
    }
  }

  @Test
  void rotateWhenBadAlgorithmOrNoSubcommandThenTwo(@TempDir Path dir) {
    assertThat(Main.execute("tokens", "rotate-signing-key", "--data-dir", dir.toString(), "--token-algorithm", "HS256")).isEqualTo(2);
    assertThat(Main.execute("tokens")).isEqualTo(2);
  }
}
