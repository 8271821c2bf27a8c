package dev.keyward.core.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.core.error.KeywardException;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResourceTemplateTest {

  @Test
  void parseWhenSchemeLiteralsAndVariablesThenParts() {
    ResourceTemplate t = ResourceTemplate.parse("algo://{owner}/{name}/versions");
    assertThat(t.scheme()).isEqualTo("algo");
    assertThat(t.variableNames()).containsExactly("owner", "name");
    assertThat(t.segments()).hasSize(3);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "{owner}/{name}           | scheme://",
      "Algo://{owner}           | scheme://",
      "algo:/{owner}            | scheme://",
      "algo://                  | nothing follows",
      "algo://{owner}//x        | empty segment",
      "algo://{owner}/          | empty segment",
      "algo://{owner}/{owner}   | appears twice",
      "algo://{rest*}           | write the path's rest variable as '{rest}'",
      "algo://{1x}              | a variable is",
      "algo://a{x}              | not a mix",
      "algo://*/x               | no '*'",
      "algo://a b               | no '*'",
      "algo://../x              | '..' segment",
  })
  void parseWhenMalformedThenRefusedNamingTheProblem(String text, String why) {
    assertThatThrownBy(() -> ResourceTemplate.parse(text))
        .isInstanceOfSatisfying(KeywardException.class, e -> {
          assertThat(e.field()).isEqualTo("resource");
          assertThat(e.publicMessage()).startsWith("Bad resource template: ").contains(why);
        });
  }

  @Test
  void expandWhenPlainValuesThenFormed() {
    ResourceExpansion r = ResourceTemplate.parse("algo://{owner}/{name}").expand(Map.of("owner", "acme", "name", "re-size_2.1~x"), Set.of());
    assertThat(r).isEqualTo(new ResourceExpansion.Formed("algo://acme/re-size_2.1~x"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".", "..", "a..b", "a/b", "a\\b", "a%2Fb", "a%2e", "*", "a*", "a?b", "a#b", "{x}", "a b", "a\tb", "caf\u00e9", "a\u0000"})
  void expandWhenValueWouldChangeTheStructureThenUnformableNamingTheVariable(String hostile) {
    ResourceExpansion r = ResourceTemplate.parse("algo://{owner}/{name}").expand(Map.of("owner", "acme", "name", hostile), Set.of());
    assertThat(r).isInstanceOfSatisfying(ResourceExpansion.Unformable.class, u -> {
      assertThat(u.variable()).isEqualTo("name");
      assertThat(u.reason()).isNotBlank();
    });
  }

  @Test
  void expandWhenRestVariableThenSlashesKeptEachSegmentChecked() {
    ResourceTemplate t = ResourceTemplate.parse("data://{rest}");
    assertThat(t.expand(Map.of("rest", "a/b/c.csv"), Set.of("rest"))).isEqualTo(new ResourceExpansion.Formed("data://a/b/c.csv"));
    assertThat(t.expand(Map.of("rest", "a/../c"), Set.of("rest"))).isInstanceOf(ResourceExpansion.Unformable.class);
    assertThat(t.expand(Map.of("rest", "a//c"), Set.of("rest"))).isInstanceOf(ResourceExpansion.Unformable.class);
    assertThat(t.expand(Map.of("rest", "a/%2e"), Set.of("rest"))).isInstanceOf(ResourceExpansion.Unformable.class);
    // Not a rest variable: the same '/' is structural and refused.
    assertThat(t.expand(Map.of("rest", "a/b"), Set.of())).isInstanceOf(ResourceExpansion.Unformable.class);
  }
}
