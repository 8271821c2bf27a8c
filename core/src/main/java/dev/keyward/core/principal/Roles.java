package dev.keyward.core.principal;

import dev.keyward.core.error.KeywardException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/** Role names and the built-in roles every tenant has. */
public final class Roles {
  public static final String OWNER = "owner";
  public static final String ADMIN = "admin";
  public static final Set<String> BUILT_IN = Set.of(OWNER, ADMIN);
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

  private Roles() {}

  /** True when the role set includes owner or admin. */
  public static boolean isAdmin(Set<String> roles) {
    return roles.contains(OWNER) || roles.contains(ADMIN);
  }

  /** Checks the syntax of role names (each 1–64 of {@code A-Z a-z 0-9 _ . : -}). */
  public static Set<String> parse(String field, Collection<String> names) {
    Set<String> out = new LinkedHashSet<>();
    for (String n : names) {
      if (!NAME.matcher(n).matches()) {
        throw KeywardException.invalidField(
            field, "Role names are 1 to 64 characters of letters, digits, '_', '.', ':' or '-'");
      }
      out.add(n);
    }
    return Set.copyOf(out);
  }
}
