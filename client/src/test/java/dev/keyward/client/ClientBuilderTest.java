package dev.keyward.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Building a client: the base URL, the credential, sandbox mode, and what {@code toString()} shows. */
class ClientBuilderTest {
  static final String LIVE = "kw_live_" + "A".repeat(49);
  static final String TEST = "kw_test_" + "B".repeat(49);

  @Test
  void buildWhenBaseUrlHasPathThenKeptWithTrailingSlash() {
    assertThat(Keyward.client("https://auth.example.com/keyward").apiKey(TEST).build().baseUrl())
        .hasToString("https://auth.example.com/keyward/");
    assertThat(Keyward.client(" http://127.0.0.1:8080 ").apiKey(TEST).build().baseUrl()).hasToString("http://127.0.0.1:8080/");
  }

  @Test
  void buildWhenBaseUrlNotHttpThenIllegalArgumentNotRepeatingAUserPart() {
    assertThatThrownBy(() -> Keyward.client("ftp://x")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'ftp://x'");
    assertThatThrownBy(() -> Keyward.client("127.0.0.1:8080")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Keyward.client("http://h/?q=1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Keyward.client("http://bob:hunter2@h/"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("hunter2");
  }

  @Test
  void buildWhenNoCredentialThenIllegalState() {
    assertThatThrownBy(() -> Keyward.client("http://h").build())
        .isInstanceOf(IllegalStateException.class).hasMessage("Give a credential: apiKey(key) or basic(email, password)");
    assertThatThrownBy(() -> Keyward.client("http://h").apiKey((String) null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("environment variable");
    assertThatThrownBy(() -> Keyward.client("http://h").apiKey("  ")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void buildWhenSandboxThenOnlySandboxKeys() {
    assertThat(Keyward.client("http://h").apiKey(TEST).sandbox().build()).hasToString("KeywardClient[http://h/, API key (sandbox), sandbox only]");
    assertThatThrownBy(() -> Keyward.client("http://h").apiKey(LIVE).sandbox().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("sandbox API key").hasMessageNotContaining(LIVE);
    assertThatThrownBy(() -> Keyward.client("http://h").basic("bot@acme.example", "pw").sandbox().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("not a password");
  }

  @Test
  void toStringWhenAnyCredentialThenNoSecret() {
    KeywardClient live = Keyward.client("http://h").apiKey(LIVE).build();
    assertThat(live.toString()).isEqualTo("KeywardClient[http://h/, API key (production)]");
    assertThat(Keyward.client("http://h").basic("bot@acme.example", "s3cret-pw").build().toString())
        .isEqualTo("KeywardClient[http://h/, programmatic user bot@acme.example]");
    assertThat(live.httpClient().toString()).isEqualTo("KeywardHttpClient[http://h:80]");
  }

  @Test
  void settingsWhenOutOfRangeThenIllegalArgument() {
    KeywardClient.Builder b = Keyward.client("http://h").apiKey(TEST);
    assertThatThrownBy(() -> b.refreshSkew(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.requestTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.connectTimeout(Duration.ofSeconds(-2))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.retries(-1, Duration.ZERO, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void secretWhenPrintedThenRedactedAndComparedByValue() {
    Secret s = Secret.of(LIVE);
    assertThat(s).hasToString("Secret[redacted]").isEqualTo(Secret.of(LIVE)).isNotEqualTo(Secret.of(TEST));
    assertThat(s.reveal()).isEqualTo(LIVE);
    assertThatThrownBy(() -> Secret.of("")).isInstanceOf(IllegalArgumentException.class);
  }
}
