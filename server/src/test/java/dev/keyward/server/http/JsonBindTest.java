package dev.keyward.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.keyward.core.error.ErrorCode;
import dev.keyward.core.error.KeywardException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Strict JSON binding: the one-pass path for plain objects refuses exactly what the careful path refuses, with the same errors. */
class JsonBindTest {
  record Sample(@Nullable String name, @Nullable List<String> tags, @Nullable Integer count) {}

  private static byte[] bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  private static KeywardException refused(String json) {
    KeywardException e = catchThrowableOfType(KeywardException.class, () -> Json.read(bytes(json), Sample.class));
    assertThat(e).as("refused: %s", json).isNotNull();
    return e;
  }

  @Test
  void bindsDirectlyWhenPlainObjectThenTrueAndOtherwiseFalse() {
    assertThat(Json.bindsDirectly(bytes("{\"name\":\"a\"}"))).isTrue();
    assertThat(Json.bindsDirectly(bytes(" \r\n\t{}"))).isTrue();
    assertThat(Json.bindsDirectly(bytes("{\"name\":\"a\\\"b\"}"))).as("other escapes").isTrue();
    assertThat(Json.bindsDirectly(bytes(""))).isFalse();
    assertThat(Json.bindsDirectly(bytes("[]"))).isFalse();
    assertThat(Json.bindsDirectly(bytes("\"x\""))).isFalse();
    assertThat(Json.bindsDirectly(bytes("{\"name\":\"\\u0041\"}"))).as("a \\u escape goes the careful way").isFalse();
  }

  @Test
  void readWhenValidThenSameValueWhicheverPath() {
    assertThat(Json.read(bytes("{\"name\":\"a\",\"tags\":[\"x\",\"y\"],\"count\":3}"), Sample.class))
        .isEqualTo(new Sample("a", List.of("x", "y"), 3));
    assertThat(Json.read(bytes("{\"name\":\"\\u0041\\ud83d\\ude00\"}"), Sample.class)).isEqualTo(new Sample("A\ud83d\ude00", null, null));
    assertThat(Json.read(bytes("{}"), Sample.class)).isEqualTo(new Sample(null, null, null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"nmae\":\"a\"}", "{\"name\":\"a\",\"nmae\":\"b\"}"})
  void readWhenUnknownFieldThenNamed(String json) {
    KeywardException e = refused(json);
    assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_FIELD);
    assertThat(e.field()).isEqualTo("nmae");
  }

  @Test
  void readWhenBadShapeThenTheCarefulPathsErrors() {
    assertThat(refused("{\"name\":\"a\",\"name\":\"b\"}").publicMessage()).contains("duplicate field");
    KeywardException wrongType = refused("{\"name\":1}");
    assertThat(wrongType.field()).isEqualTo("name");
    assertThat(wrongType.publicMessage()).contains("Field 'name'");
    assertThat(refused("{\"tags\":\"x\"}").field()).isEqualTo("tags");
    assertThat(refused("{\"count\":\"3\"}").field()).isEqualTo("count");
    assertThat(refused("{\"name\":\"a\"} {}").code()).isEqualTo(ErrorCode.INVALID_JSON);
    assertThat(refused("{\"name\":\"a\"").code()).isEqualTo(ErrorCode.INVALID_JSON);
    assertThat(refused("[]").publicMessage()).contains("must be a JSON object");
    assertThat(refused("").publicMessage()).contains("required");
    KeywardException surrogate = refused("{\"name\":\"\\ud800\"}");
    assertThat(surrogate.field()).isEqualTo("name");
    assertThat(surrogate.publicMessage()).contains("unpaired surrogate");
  }

  record Flat(@Nullable String a, @Nullable String b) {}

  private static final List<String> FLAT = List.of("a", "b");

  @ParameterizedTest
  @ValueSource(strings = {"{}", "{\"a\":\"x\"}", " {\"b\":\"y\",\"a\":null} ", "{\"a\":\"q\\\"\\\\/\",\"b\":\"\u00e9\"}"})
  void readFlatWhenFlatTextObjectThenSameValuesAsTheMapper(String json) {
    String[] values = Json.readFlat(bytes(json), FLAT);
    assertThat(values).as(json).isNotNull();
    assertThat(new Flat(values[0], values[1])).isEqualTo(Json.read(bytes(json), Flat.class));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "[]", "\"a\"", "{\"c\":\"x\"}", "{\"a\":\"x\",\"a\":\"y\"}", "{\"a\":1}", "{\"a\":true}",
      "{\"a\":[\"x\"]}", "{\"a\":{}}", "{\"a\":\"x\"} {}", "{\"a\":\"x\"", "{\"a\":\"\\u0041\"}", "{\"a\":\"x\",}"})
  void readFlatWhenAnythingElseThenLeftToTheCarefulPath(String json) {
    assertThat(Json.readFlat(bytes(json), FLAT)).as(json).isNull();
  }

  @Test
  void readFlatWhenInvalidUtf8ThenLeftToTheCarefulPath() {
    byte[] overlong = {'{', '"', 'a', '"', ':', '"', (byte) 0xC0, (byte) 0xAF, '"', '}'};
    assertThat(Json.readFlat(overlong, FLAT)).isNull();
  }
}
