package dev.keyward.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void writeWhenFlatMapThenSameBytesAsTheMapperInInsertionOrder() throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("active", true);
    m.put("sub", "usr_1");
    m.put("escaped", "quote \" backslash \\ newline \n tab \t nul \u0000 line-sep \u2028");
    m.put("unicode", "Z\u00fcrich \ud83d\ude00");
    m.put("exp", 1_795_441_570L);
    m.put("count", 3);
    m.put("nothing", null);
    m.put("inactive", false);
    byte[] flat = Json.writeFlat(m);
    assertThat(flat).isNotNull();
    assertThat(new String(flat, StandardCharsets.UTF_8)).isEqualTo(new String(Json.MAPPER.writeValueAsBytes(m), StandardCharsets.UTF_8))
        .startsWith("{\"active\":true,\"sub\":\"usr_1\",");
    assertThat(Json.write(m)).isEqualTo(flat);
  }

  @Test
  void writeWhenMapHoldsOtherValuesThenTheMapperWritesIt() throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", "x");
    m.put("roles", List.of("admin", "reader"));
    assertThat(Json.writeFlat(m)).isNull();
    assertThat(new String(Json.write(m), StandardCharsets.UTF_8)).isEqualTo("{\"name\":\"x\",\"roles\":[\"admin\",\"reader\"]}");
    assertThat(Json.writeFlat(Map.of(1, "x"))).isNull();
  }
}
