package dev.keyward.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.server.KeywardConfig.GatewaySettings;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The gateway options of {@code serve}: checked at start, with a message naming the option. */
class GatewayOptionsTest {
  private static GatewaySettings settings(String... args) {
    ServeCommand serve = new ServeCommand();
    new CommandLine(serve).parseArgs(args);
    return serve.gatewayOptions.settings();
  }

  @Test
  void settingsWhenNoFlagsThenNoGatewayAndTheDefaults() {
    // Runs with whatever KEYWARD_* the environment has; the build sets none of these.
    GatewaySettings s = settings();
    assertThat(s.upstream()).isNull();
    assertThat(s.upstreamTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.maxBody()).isEqualTo(64L * 1024 * 1024);
    assertThat(s.trustedProxies()).isEmpty();
  }

  @Test
  void settingsWhenFlagsGivenThenInTheSettings() {
    GatewaySettings s = settings("--upstream", "https://api.internal:8443/v1/", "--upstream-timeout", "2.5",
        "--upstream-max-body", "1000", "--trusted-proxies", "10.0.0.0/8, 2001:db8::/32,");
    assertThat(s.upstream()).isEqualTo(URI.create("https://api.internal:8443/v1/"));
    assertThat(s.upstreamTimeout()).isEqualTo(Duration.ofMillis(2500));
    assertThat(s.maxBody()).isEqualTo(1000);
    assertThat(s.trustedProxies()).containsExactly("10.0.0.0/8", "2001:db8::/32");
  }

  @Test
  void upstreamWhenNotAnHttpBaseUrlThenRefusedNamingTheOptionAndNeverRepeatingAPassword() {
    for (String bad : List.of("ftp://host", "127.0.0.1:3000", "http://", "http:///x", "http://host/?q=1", "http://host/#f",
        "mailto:x@example.com", "http://host:port", "not a url")) {
      assertThatThrownBy(() -> settings("--upstream", bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("--upstream: ")
          .hasMessageContaining("http:// or https://");
    }
    assertThatThrownBy(() -> settings("--upstream", "http://user:s3cret@host"))
        .hasMessageContaining("--upstream").message().doesNotContain("s3cret");
  }

  @Test
  void timeoutBodyAndProxiesWhenOutOfRangeOrMalformedThenRefusedNamingTheOption() {
    assertThatThrownBy(() -> settings("--upstream-timeout", "0")).hasMessageContaining("--upstream-timeout");
    assertThatThrownBy(() -> settings("--upstream-timeout", "-1")).hasMessageContaining("--upstream-timeout");
    assertThatThrownBy(() -> settings("--upstream-timeout", "NaN")).hasMessageContaining("--upstream-timeout");
    assertThatThrownBy(() -> settings("--upstream-max-body", "0")).hasMessageContaining("--upstream-max-body");
    assertThatThrownBy(() -> settings("--trusted-proxies", "10.0.0.0/8,lb.internal"))
        .hasMessageContaining("--trusted-proxies").hasMessageContaining("trustedProxies[1]");
  }

  @Test
  void serveWhenAGatewayOptionIsBadThenExitCodeTwoBeforeStarting() {
    assertThat(Main.execute("serve", "--upstream", "ftp://host")).isEqualTo(2);
    assertThat(Main.execute("serve", "--trusted-proxies", "10.0.0.0/33")).isEqualTo(2);
  }
}
