package dev.keyward.client.model;

import java.util.List;

/** A key after a change, with the warnings its options raise. */
public record ChangedKey(Key key, List<String> warnings) {
  public ChangedKey {
    warnings = List.copyOf(warnings);
  }
}
