package dev.keyward.client.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a key works: {@code production} ({@code kw_live_…}) or {@code sandbox} ({@code kw_test_…}). */
public enum Environment {
  PRODUCTION,
  SANDBOX;

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static Environment fromWire(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
