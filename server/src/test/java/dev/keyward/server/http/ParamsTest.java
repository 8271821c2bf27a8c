package dev.keyward.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.core.token.OAuthException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParamsTest {
  @Test
  void decodeWhenPlusAndPercentThenSpacesAndUtf8() {
    assertThat(Params.decode("a+b%20c")).isEqualTo("a b c");
    assertThat(Params.decode("caf%C3%A9")).isEqualTo("café");
    assertThat(Params.decode("%2B")).isEqualTo("+");
  }

  @ParameterizedTest
  @ValueSource(strings = {"%ZZ", "%", "%4", "%C3%28", "%FF", "%ED%A0%80"})
  void decodeWhenMalformedOrNotUtf8ThenInvalidRequest(String raw) {
    assertThatThrownBy(() -> Params.decode(raw))
        .isInstanceOfSatisfying(OAuthException.class, e -> assertThat(e.code()).isEqualTo(OAuthException.Code.INVALID_REQUEST));
  }

  @Test
  void formWhenRepeatedParameterThenInvalidRequestAndEmptyValueCountsAsAbsent() {
    assertThatThrownBy(() -> Params.form("grant_type=a&grant_type=b".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(OAuthException.class);
    assertThat(Params.form("username=&scope=x".getBytes(StandardCharsets.UTF_8)).get("username")).isNull();
    assertThat(Params.form("username=&scope=x".getBytes(StandardCharsets.UTF_8)).get("scope")).isEqualTo("x");
  }
}
