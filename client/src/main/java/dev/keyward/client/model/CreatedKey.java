package dev.keyward.client.model;

import dev.keyward.client.Secret;
import java.util.List;

/**
 * A new key (or a rolled one), with its secret: shown only now, never again.
 *
 * @param warnings advice about the options, e.g. a resource pattern covered by another
 */
public record CreatedKey(Key key, Secret secret, List<String> warnings) {
  public CreatedKey {
    warnings = List.copyOf(warnings);
  }

  public String id() {
    return key.id();
  }
}
