package dev.keyward.server.api;

import dev.keyward.core.error.KeywardException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Checks on request fields that JSON binding alone cannot express. */
final class Fields {
  private Fields() {}

  static <T> T required(@Nullable T value, String field) {
    if (value == null) {
      throw KeywardException.invalidField(field, "'" + field + "' is required");
    }
    return value;
  }

  static @Nullable Set<String> roles(@Nullable List<String> roles) {
    if (roles == null) {
      return null;
    }
    Set<String> out = new LinkedHashSet<>();
    for (String r : roles) {
      if (r == null) {
        throw KeywardException.invalidField("roles", "'roles' must be a list of role names");
      }
      out.add(r);
    }
    return out;
  }

  static @Nullable Instant instant(@Nullable String value, String field) {
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw KeywardException.invalidField(field, "'" + field + "' must be an ISO-8601 instant such as 2030-01-31T00:00:00Z");
    }
  }
}
