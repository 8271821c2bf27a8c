package dev.keyward.core.error;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.core.key.ApiKeyFormat;
import dev.keyward.core.key.Environment;
import dev.keyward.core.secret.SecretGenerator;
import org.junit.jupiter.api.Test;

class EchoTest {
  @Test
  void quotedWhenShortPlainNameThenRepeated() {
    assertThat(Echo.quoted("API_Agent_Vid_ARO")).isEqualTo("'API_Agent_Vid_ARO'");
    assertThat(Echo.quoted("invoices:read")).isEqualTo("'invoices:read'");
  }

  @Test
  void quotedWhenSecretShapedThenNeverRepeated() {
    SecretGenerator generator = new SecretGenerator();
    String key = ApiKeyFormat.generate(generator, Environment.PRODUCTION).reveal();
    String password = generator.password().reveal();
    assertThat(Echo.quoted(key)).doesNotContain(key).isEqualTo("(value not repeated)");
    assertThat(Echo.quoted(password)).doesNotContain(password);
    assertThat(Echo.quoted("kw_live_short")).doesNotContain("kw_");
  }

  @Test
  void quotedWhenOddCharactersThenNotRepeated() {
    assertThat(Echo.quoted("a'b")).isEqualTo("(value not repeated)");
    assertThat(Echo.quoted("line\nbreak")).isEqualTo("(value not repeated)");
    assertThat(Echo.quoted("")).isEqualTo("(value not repeated)");
  }
}
