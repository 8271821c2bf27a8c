package dev.keyward.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.keyward.core.authz.KeyAccess;
import org.jspecify.annotations.Nullable;

/** A key's access options as the JSON document of its {@code access} column (null: the defaults). */
final class KeyAccessJson {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private KeyAccessJson() {}

  static @Nullable String write(KeyAccess access) {
    if (access.equals(KeyAccess.DEFAULT)) {
      return null;
    }
    try {
      return MAPPER.writeValueAsString(access.toWire());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("access options cannot be written", e);
    }
  }

  static KeyAccess read(@Nullable String json) {
    if (json == null) {
      return KeyAccess.DEFAULT;
    }
    try {
      return KeyAccess.fromWire(MAPPER.readValue(json, KeyAccess.Wire.class));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored access options cannot be read", e);
    }
  }
}
