package dev.keyward.server.ui;

import dev.keyward.core.key.ApiKey;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** What the templates show, already in display form. Public: the precompiled templates live in another package. */
public final class Models {
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  private Models() {}

  /** The frame of every page; {@code email} null when nobody is signed in. */
  public record Chrome(String title, String active, @Nullable String email, boolean admin, String tenant, String csrf) {
    public boolean signedIn() {
      return email != null;
    }

    /** The {@code aria-current} value of a navigation link. */
    public String nav(String name) {
      return name.equals(active) ? "page" : "false";
    }
  }

  /** Field errors of a form, by field name (a field's own error or one of its parts, e.g. {@code rateLimit.limit}, {@code ipAllowlist[0]}). */
  public record Errors(Map<String, String> byField, @Nullable String general) {
    public static final Errors NONE = new Errors(Map.of(), null);

    public @Nullable String of(String field) {
      String own = byField.get(field);
      if (own != null) {
        return own;
      }
      for (Map.Entry<String, String> e : byField.entrySet()) {
        if (e.getKey().startsWith(field + ".") || e.getKey().startsWith(field + "[")) {
          return e.getValue();
        }
      }
      return null;
    }

    public boolean has(String field) {
      return of(field) != null;
    }
  }

  /** One key in a list. */
  public record KeyRow(String id, String name, String start, String roles, String environment, boolean admin, String created,
      String lastUsed, String expires, boolean revoked, String owner) {
    static KeyRow of(ApiKey k, String owner) {
      return new KeyRow(k.id(), k.name(), k.start(), k.roles() == null ? "owner's roles" : roleList(k.roles()),
          k.environment().wireName(), k.admin(), when(k.createdAt()), k.lastUsedAt() == null ? "never" : when(k.lastUsedAt()),
          k.expiresAt() == null ? "never" : when(k.expiresAt()), k.isRevoked(), owner);
    }
  }

  /** A secret shown once (a new or rolled key), with snippets that use it. */
  public record ShownKey(String name, String secret, String environment, String baseUrl, List<String> warnings,
      @Nullable String previousUntil) {
    public String curlBearer() {
      return "curl -H \"Authorization: Bearer " + secret + "\" " + baseUrl + "/api/v1/me";
    }

    public String curlBasic() {
      return "curl -u \"" + secret + ":\" " + baseUrl + "/api/v1/me";
    }

    public String tokenExchange() {
      return "curl -H 'Content-Type: application/json' -d '{\"apiKey\":\"" + secret + "\"}' " + baseUrl + "/auth/api-key";
    }

    public String javaClient() {
      return "Keyward keyward = Keyward.client(\"" + baseUrl + "\").apiKey(\"" + secret + "\").build();";
    }
  }

  /** The values of the key form as typed, to show them again with errors or warnings. */
  public record KeyForm(String name, String environment, Set<String> roles, String resources, String dataAccess,
      boolean manageAlgorithms, boolean nativeCalls, boolean browser, String hostnames, String ipAllowlist, String expires,
      String rateLimit, String ratePeriod, String quota, boolean admin) {
    public static final KeyForm EMPTY = new KeyForm("", "sandbox", Set.of(), "", "none", false, true, false, "", "", "", "", "60", "",
        false);
  }

  /** A user in the list. */
  public record UserRow(String id, String email, String name, boolean programmatic, String roles, boolean locked, String lockedUntil,
      String lastActivity, String created) {}

  /** A role with its permissions, and one row of the role × route × method matrix. */
  public record RoleRow(String name, String permissions, String description, boolean builtIn) {}

  public record MatrixRow(String method, String path, String permission, List<Boolean> allowed) {}

  /** An audit event in the list, with user ids shown as emails where known. */
  public record AuditRow(String at, String event, String actor, String subject, String ip, String detail) {}

  static String when(@Nullable Instant at) {
    return at == null ? "" : WHEN.format(at);
  }

  static String roleList(Set<String> roles) {
    return roles.isEmpty() ? "none" : String.join(", ", roles.stream().sorted().toList());
  }
}
