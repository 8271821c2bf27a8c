package dev.keyward.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MainTest {
  @Test
  void runWhenHelpThenZero() {
    assertThat(Main.execute("--help")).isZero();
    assertThat(Main.execute("serve", "--help")).isZero();
  }

  @Test
  void runWhenUnknownCommandOrBadOptionThenTwo() {
    assertThat(Main.execute("frobnicate")).isEqualTo(2);
    assertThat(Main.execute("serve", "--port", "not-a-number")).isEqualTo(2);
    assertThat(Main.execute("serve", "--no-such-option")).isEqualTo(2);
  }

  @Test
  void runWhenNoCommandThenTwo() {
    assertThat(Main.execute()).isEqualTo(2);
  }
}
