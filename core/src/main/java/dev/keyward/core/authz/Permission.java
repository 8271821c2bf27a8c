package dev.keyward.core.authz;

import dev.keyward.core.error.Echo;
import dev.keyward.core.error.KeywardException;
import java.util.regex.Pattern;

/**
 * A permission {@code resource:action} such as {@code invoices:read} or {@code keys:manage-own}.
 * Roles may hold wildcard grants: {@code invoices:*} (every action on invoices), {@code *:read}
 * (reading anything) and {@code *} (everything). What a route requires is always concrete.
 */
public record Permission(String resource, String action) {
  /** Everything: what the built-in owner and admin roles hold. */
  public static final Permission ALL = new Permission(Permission.WILDCARD, Permission.WILDCARD);

  /** Held by every role unless a tenant reserves it: creating and revoking one's own keys. */
  public static final Permission MANAGE_OWN_KEYS = new Permission("keys", "manage-own");

  /** Lets a service credential call the verification API. */
  public static final Permission VERIFY = new Permission("keyward", "verify");

  static final String WILDCARD = "*";
  private static final Pattern PART = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  /**
   * Reads a grant as a role may hold it (wildcards allowed).
   *
   * @throws KeywardException 400 naming {@code field} and the bad permission
   */
  public static Permission parseGrant(String field, String text) {
    if (text.equals(WILDCARD)) {
      return ALL;
    }
    int colon = text.indexOf(':');
    if (colon < 0 || colon != text.lastIndexOf(':')) {
      throw bad(field, text);
    }
    String resource = text.substring(0, colon);
    String action = text.substring(colon + 1);
    if (!(resource.equals(WILDCARD) || PART.matcher(resource).matches())
        || !(action.equals(WILDCARD) || PART.matcher(action).matches())) {
      throw bad(field, text);
    }
    return new Permission(resource, action);
  }

  /** Reads a permission as a route requires it: no wildcards. */
  public static Permission parseRequired(String field, String text) {
    Permission p = parseGrant(field, text);
    if (p.isWildcard()) {
      throw KeywardException.invalidField(field,
          "A required permission names one resource and one action, without '*': " + Echo.quoted(text));
    }
    return p;
  }

  /** True when this grant includes {@code required}. */
  public boolean implies(Permission required) {
    return (resource.equals(WILDCARD) || resource.equals(required.resource))
        && (action.equals(WILDCARD) || action.equals(required.action));
  }

  public boolean isWildcard() {
    return resource.equals(WILDCARD) || action.equals(WILDCARD);
  }

  @Override
  public String toString() {
    return this.equals(ALL) ? WILDCARD : resource + ":" + action;
  }

  private static KeywardException bad(String field, String text) {
    return KeywardException.invalidField(field,
        "Permissions look like 'resource:action' (letters, digits, '_', '.', '-'; '*' as a wildcard): "
            + Echo.quoted(text));
  }
}
