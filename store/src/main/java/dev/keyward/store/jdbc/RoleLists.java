package dev.keyward.store.jdbc;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** Role sets stored as comma-joined text (role names cannot contain commas). */
final class RoleLists {
  private RoleLists() {}

  static String join(Set<String> roles) {
    return new TreeSet<>(roles).stream().collect(Collectors.joining(","));
  }

  static @Nullable String joinNullable(@Nullable Set<String> roles) {
    return roles == null ? null : join(roles);
  }

  static Set<String> split(@Nullable String text) {
    if (text == null || text.isEmpty()) {
      return Set.of();
    }
    return Set.copyOf(Arrays.asList(text.split(",")));
  }
}
