package dev.keyward.core.key;

import java.util.Optional;

/** Where a key may be used; its short form is part of the key text ({@code kw_live_…}). */
public enum Environment {
  PRODUCTION("production", "live"),
  SANDBOX("sandbox", "test");

  private final String wireName;
  private final String keyTag;

  Environment(String wireName, String keyTag) {
    this.wireName = wireName;
    this.keyTag = keyTag;
  }

  public String wireName() {
    return wireName;
  }

  public String keyTag() {
    return keyTag;
  }

  public static Optional<Environment> fromWire(String s) {
    for (Environment e : values()) {
      if (e.wireName.equals(s)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }
}
