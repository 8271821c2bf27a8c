package dev.keyward.core.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.core.error.KeywardException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathTemplateTest {

  @Test
  void parseWhenLiteralsVariablesAndRestThenSegmentsInOrder() {
    PathTemplate t = PathTemplate.parse("/v1/data/{bucket}/{rest*}");
    assertThat(t.segments()).containsExactly(new PathTemplate.Literal("v1"), new PathTemplate.Literal("data"),
        new PathTemplate.Variable("bucket"), new PathTemplate.Rest("rest"));
    assertThat(t.variableNames()).containsExactly("bucket", "rest");
    assertThat(t.shape()).isEqualTo("/v1/data/{}/{*}");
    assertThat(t.toString()).isEqualTo("/v1/data/{bucket}/{rest*}");
  }

  @Test
  void parseWhenRootThenNoSegments() {
    assertThat(PathTemplate.parse("/").segments()).isEmpty();
    assertThat(PathTemplate.parse("/").shape()).isEqualTo("/");
  }

  @Test
  void shapeWhenOnlyVariableNamesDifferThenEqual() {
    assertThat(PathTemplate.parse("/a/{x}/c").shape()).isEqualTo(PathTemplate.parse("/a/{y}/c").shape());
    assertThat(PathTemplate.parse("/a/{x}").shape()).isNotEqualTo(PathTemplate.parse("/a/{x*}").shape());
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "v1/algo                  | must start with '/'",
      "``                       | must start with '/'",
      "/v1/algo/                | ends with '/'",
      "/v1//algo                | empty segment",
      "/v1/{rest*}/x            | must be the last segment",
      "/v1/{id}/{id}            | appears twice",
      "/v1/{id}/{id*}           | appears twice",
      "/v1/{1id}                | a variable is",
      "/v1/{}                   | a variable is",
      "/v1/{a-b}                | a variable is",
      "/v1/{*}                  | a variable is",
      "/v1/{{id}}               | a variable is",
      "/v1/file.{ext}           | not a mix",
      "/v1/{id}.json            | not a mix",
      "/v1/{id                  | not a mix",
      "/v1/..                   | '..' segments",
      "/v1/.                    | '.' segments",
      "/v1/a%2Fb                | no '%'",
      "/v1/a;b                  | no '%', ';'",
      "/v1/a b                  | spaces",
      "/v1/café                 | non-ASCII",
      "/v1/a\\b                 | letters, digits",
      "/v1/a?b                  | letters, digits",
  })
  void parseWhenMalformedThenRefusedNamingTheProblem(String text, String why) {
    assertThatThrownBy(() -> PathTemplate.parse(text))
        .isInstanceOfSatisfying(KeywardException.class, e -> {
          assertThat(e.field()).isEqualTo("path");
          assertThat(e.publicMessage()).startsWith("Bad path template: ").contains(why);
        });
  }

  @Test
  void parseWhenVariableNameTooLongThenRefused() {
    assertThat(PathTemplate.parse("/{" + "a".repeat(64) + "}").variableNames()).hasSize(1);
    assertThatThrownBy(() -> PathTemplate.parse("/{" + "a".repeat(65) + "}")).isInstanceOf(KeywardException.class);
  }

  @Test
  void parseWhenTemplateTooLongThenRefused() {
    assertThatThrownBy(() -> PathTemplate.parse("/" + "a".repeat(PathTemplate.MAX_LENGTH)))
        .isInstanceOfSatisfying(KeywardException.class, e -> assertThat(e.publicMessage()).contains("longer than"));
  }

  @Test
  void parseWhenErrorThenKeyLikeTextNotRepeated() {
    assertThatThrownBy(() -> PathTemplate.parse("/v1/{kw_live_abc}.x"))
        .isInstanceOfSatisfying(KeywardException.class, e -> assertThat(e.getMessage()).doesNotContain("kw_live"));
  }
}
