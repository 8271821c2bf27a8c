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
    assertThat(Params.decode("%2b%3d%3D")).isEqualTo("+==");
    assertThat(Params.decode("café+au+lait")).as("literal UTF-8 text beside '+'").isEqualTo("café au lait");
    assertThat(Params.decode("café")).isEqualTo("café");
    assertThat(Params.decode("")).isEmpty();
  }

  @Test
  void formWhenBodyIsAsciiUtf8OrMalformedThenDecodedOrRefused() {
    assertThat(Params.form("token=abc.def-_x&scope=a+b".getBytes(StandardCharsets.UTF_8)).get("token")).isEqualTo("abc.def-_x");
    assertThat(Params.form("token=abc.def-_x&scope=a+b".getBytes(StandardCharsets.UTF_8)).get("scope")).isEqualTo("a b");
    Params utf8 = Params.form("name=Zo%C3%AB&city=Z\u00fcrich".getBytes(StandardCharsets.UTF_8));
    assertThat(utf8.get("name")).isEqualTo("Zo\u00eb");
    assertThat(utf8.get("city")).isEqualTo("Z\u00fcrich");
    byte[] overlong = {'a', '=', (byte) 0xC0, (byte) 0xAF};
    byte[] surrogate = {'a', '=', (byte) 0xED, (byte) 0xA0, (byte) 0x80};
    for (byte[] body : new byte[][] {overlong, surrogate}) {
      assertThatThrownBy(() -> Params.form(body))
          .isInstanceOfSatisfying(OAuthException.class, e -> assertThat(e.code()).isEqualTo(OAuthException.Code.INVALID_REQUEST));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"%ZZ", "%", "%4", "%C3%28", "%FF", "%ED%A0%80", "%C0%AF", "a%2", "%\uFF10\uFF10", "%-1"})
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
