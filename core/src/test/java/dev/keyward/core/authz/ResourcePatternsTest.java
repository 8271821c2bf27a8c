package dev.keyward.core.authz;

import static dev.keyward.core.testing.KeywardAssertions.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.core.error.ErrorCode;
import dev.keyward.core.error.KeywardException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A key's resource list: order, limits, deny by default and redundancy warnings (BAD-37, BAD-40). */
class ResourcePatternsTest {
  private static ResourcePatterns parse(String... texts) {
    return ResourcePatterns.parse("resources", List.of(texts));
  }

  @Test
  void parseWhenGivenThenOrderKeptAndWireFormRoundTrips() {
    ResourcePatterns patterns = parse("algo://foo/bar", "algo://*", "data://x/*");
    assertThat(patterns.texts()).containsExactly("algo://foo/bar", "algo://*", "data://x/*");
    assertThat(patterns.patterns()).extracting(ResourcePattern::isWildcard).containsExactly(false, true, true);
    assertThat(ResourcePatterns.parse("resources", patterns.texts())).isEqualTo(patterns);
    assertThat(patterns.isEmpty()).isFalse();
  }

  @Test
  void allowsWhenEmptyThenDeniesEverything() {
    assertThat(ResourcePatterns.NONE.allows("algo://foo")).isFalse();
    assertThat(parse().allows("algo://foo")).isFalse();
    assertThat(parse()).isEqualTo(ResourcePatterns.NONE);
    assertThat(ResourcePatterns.NONE.isEmpty()).isTrue();
    assertThat(ResourcePatterns.NONE.warnings()).isEmpty();
  }

  @Test
  void allowsWhenAnyPatternMatchesThenAllowed() {
    ResourcePatterns patterns = parse("algo://foo/*", "data://sets/one");
    assertThat(patterns.allows("algo://foo/bar")).isTrue();
    assertThat(patterns.allows("data://sets/one")).isTrue();
    assertThat(patterns.allows("data://sets/two")).isFalse();
    assertThat(patterns.allows("algo://foobar/x")).isFalse();
    assertThat(patterns.allows("algo://foo/../bar/x")).isFalse();
    assertThat(patterns.allows("algo://foo/%2e%2e/bar")).isFalse();
    assertThat(patterns.allows("ALGO://foo/x")).isFalse();
  }

  @Test
  void parseWhenNestedPatternsThenKeptAndCoveredOneNamedWithItsCover() {
    // BAD-40, in both orders.
    ResourcePatterns patterns = parse("algo://foo/*", "algo://foo/bar/*");
    assertThat(patterns.texts()).hasSize(2);
    assertThat(patterns.warnings()).containsExactly("'algo://foo/bar/*' is already covered by 'algo://foo/*'");
    assertThat(parse("algo://foo/bar", "algo://*").warnings())
        .containsExactly("'algo://foo/bar' is already covered by 'algo://*'");
  }

  @Test
  void parseWhenEqualDuplicatesThenKeptAndLaterOnesReported() {
    ResourcePatterns patterns = parse("algo://foo/*", "data://x", "algo://foo/*", "data://x");
    assertThat(patterns.texts()).hasSize(4);
    assertThat(patterns.warnings()).containsExactly(
        "'algo://foo/*' is already covered by 'algo://foo/*'",
        "'data://x' is already covered by 'data://x'");
  }

  @Test
  void parseWhenSiblingsOrDistinctSchemesThenNoWarning() {
    assertThat(parse("algo://foo/*", "algo://foobar/*", "algo://foo", "algox://*", "data://foo/*").warnings()).isEmpty();
  }

  @Test
  void parseWhenChainOfCoversThenOneWarningPerCoveredPattern() {
    ResourcePatterns patterns = parse("algo://foo/bar/*", "algo://*", "algo://foo/*");
    assertThat(patterns.warnings()).containsExactly(
        "'algo://foo/bar/*' is already covered by 'algo://*'",
        "'algo://foo/*' is already covered by 'algo://*'");
  }

  @Test
  void parseWhenAtMostLimitThenAcceptedAndOneMoreRefusedNamingTheField() {
    List<String> many = new ArrayList<>();
    for (int i = 0; i < ResourcePatterns.MAX_PATTERNS; i++) {
      many.add("algo://p" + i + "/*");
    }
    assertThat(ResourcePatterns.parse("resources", many).texts()).hasSize(256);
    many.add("algo://one-more");
    KeywardException e = assertFails(() -> ResourcePatterns.parse("resources", many), ErrorCode.INVALID_REQUEST);
    assertThat(e.field()).isEqualTo("resources");
    assertThat(e.publicMessage()).contains("at most 256").contains("257");
  }

  @Test
  void parseWhenOneEntryBadThenFieldNamesItsIndex() {
    KeywardException e = assertFails(() -> parse("algo://ok", "algo://*", "algo://foo/*/bar"), ErrorCode.INVALID_REQUEST);
    assertThat(e.field()).isEqualTo("resources[2]");
    KeywardException nul = assertFails(
        () -> ResourcePatterns.parse("resources", Arrays.asList("algo://ok", null)), ErrorCode.INVALID_REQUEST);
    assertThat(nul.field()).isEqualTo("resources[1]");
  }
}
