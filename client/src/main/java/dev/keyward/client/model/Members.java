package dev.keyward.client.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The JSON members of a request, in order: each {@code with…} of a request type makes a copy with
 * one member set. A member set to null is sent as {@code null} (in changes: "remove this").
 */
final class Members {
  private final Map<String, @Nullable Object> values;

  private Members(Map<String, @Nullable Object> values) {
    this.values = values;
  }

  static Members empty() {
    return new Members(Map.of());
  }

  Members with(String name, @Nullable Object value) {
    Map<String, @Nullable Object> copy = new LinkedHashMap<>(values);
    copy.put(name, value);
    return new Members(Collections.unmodifiableMap(copy));
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  Map<String, @Nullable Object> map() {
    return values;
  }
}
