package dev.keyward.client.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A key's access to data: {@code none} (the default), {@code read} or {@code read_write}. */
public enum DataAccess {
  NONE,
  READ,
  READ_WRITE;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static DataAccess fromWire(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
