package dev.keyward.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.core.auth.LockoutPolicy;
import dev.keyward.server.KeywardConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The lockout and token options of {@code serve}: flags, their environment variables and defaults. */
class ServeOptionsTest {
  private static ServeCommand parse(String... args) {
    ServeCommand serve = new ServeCommand();
    new CommandLine(serve).parseArgs(args);
    return serve;
  }

  /** The declared default of an option (picocli resolves it when parsing: {@code ${env:NAME:-fallback}}). */
  private static String declaredDefault(Class<?> options, String field) throws NoSuchFieldException {
    return options.getDeclaredField(field).getAnnotation(CommandLine.Option.class).defaultValue();
  }

  @Test
  void policyWhenNoFlagsThenShippedDefaults() {
    // Runs with whatever KEYWARD_* the environment has; the build sets none of these.
    assertThat(parse().lockoutOptions.policy()).isEqualTo(LockoutPolicy.DEFAULTS);
    assertThat(parse().tokenOptions.apply(KeywardConfig.TokenSettings.DEFAULTS)).isEqualTo(KeywardConfig.TokenSettings.DEFAULTS);
    assertThat(KeywardConfig.TokenSettings.DEFAULTS.raceWindow()).isEqualTo(Duration.ofSeconds(2));
    assertThat(KeywardConfig.TokenSettings.DEFAULTS.issuer()).as("derived from each request").isNull();
  }

  @Test
  void policyWhenQuickLoginAndEscalationFlagsThenInThePolicy() {
    LockoutPolicy p = parse("--lockout-quick-login-interval", "250", "--lockout-quick-login-wait", "90",
        "--lockout-permanent-after", "3").lockoutOptions.policy();
    assertThat(p.quickLoginInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(p.quickLoginWait()).isEqualTo(Duration.ofSeconds(90));
    assertThat(p.permanentAfter()).isEqualTo(3);
    assertThat(parse("--lockout-quick-login-interval", "0").lockoutOptions.policy().isQuickLogin(Duration.ZERO))
        .as("0 switches the check off").isFalse();
  }

  @Test
  void policyWhenFlagsOutOfRangeOrContradictoryThenRefusedNamingTheFlag() {
    assertThatThrownBy(() -> parse("--lockout-quick-login-wait", "86401").lockoutOptions.policy())
        .hasMessageContaining("--lockout-quick-login-wait");
    assertThatThrownBy(() -> parse("--lockout-permanent-after", "1", "--lockout-mode", "until-unlocked").lockoutOptions.policy())
        .hasMessageContaining("--lockout-permanent-after").hasMessageContaining("temporary");
    assertThatThrownBy(() -> parse("--refresh-race-window", "61").tokenOptions.apply(KeywardConfig.TokenSettings.DEFAULTS))
        .hasMessageContaining("--refresh-race-window");
  }

  @Test
  void raceWindowWhenZeroThenStrictAndOtherwiseSeconds() {
    assertThat(parse("--refresh-race-window", "0").tokenOptions.apply(KeywardConfig.TokenSettings.DEFAULTS).raceWindow()).isZero();
    assertThat(parse("--refresh-race-window", "10").tokenOptions.apply(KeywardConfig.TokenSettings.DEFAULTS).raceWindow())
        .isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void defaultsWhenDeclaredThenFromTheNamedEnvironmentVariables() throws Exception {
    assertThat(declaredDefault(LockoutOptions.class, "quickLoginIntervalMillis")).isEqualTo("${env:KEYWARD_LOCKOUT_QUICK_LOGIN_INTERVAL:-1000}");
    assertThat(declaredDefault(LockoutOptions.class, "quickLoginWaitSeconds")).isEqualTo("${env:KEYWARD_LOCKOUT_QUICK_LOGIN_WAIT:-60}");
    assertThat(declaredDefault(LockoutOptions.class, "permanentAfter")).isEqualTo("${env:KEYWARD_LOCKOUT_PERMANENT_AFTER:-0}");
    assertThat(declaredDefault(TokenOptions.class, "raceWindowSeconds")).isEqualTo("${env:KEYWARD_REFRESH_RACE_WINDOW:-2}");
    assertThat(declaredDefault(TokenOptions.class, "issuer")).isEqualTo("${env:KEYWARD_ISSUER}");
  }
}
