package dev.keyward.store.transfer;

import java.util.List;

/**
 * Every table of the schema with its columns and their portable kinds, in an order where each
 * row's references come before it. A test compares this list with the migrated schema of both
 * engines, so a migration that adds a table or a column without adding it here fails the build
 * instead of being left out of exports.
 */
public final class StoreTables {
  private StoreTables() {}

  /** How a column's value is carried: as JSON text, a whole number or a boolean. */
  public enum Kind {
    TEXT,
    NUMBER,
    BOOLEAN
  }

  public record Column(String name, Kind kind) {}

  /** A table, with the columns its rows are ordered by in an export. */
  public record Table(String name, List<String> orderBy, List<Column> columns) {
    public Table {
      orderBy = List.copyOf(orderBy);
      columns = List.copyOf(columns);
    }
  }

  private static Column text(String name) {
    return new Column(name, Kind.TEXT);
  }

  private static Column number(String name) {
    return new Column(name, Kind.NUMBER);
  }

  private static Column bool(String name) {
    return new Column(name, Kind.BOOLEAN);
  }

  public static final List<Table> ALL = List.of(
      new Table("tenants", List.of("id"), List.of(text("id"), text("slug"), text("name"), number("created_at"),
          bool("password_grant_for_people"), bool("production_enabled"), bool("key_management_reserved"),
          bool("open_registration"))),
      new Table("users", List.of("id"), List.of(text("id"), text("email"), text("name"), bool("programmatic"),
          text("password_hash"), number("created_at"), number("credentials_changed_at"))),
      new Table("roles", List.of("tenant_id", "name"), List.of(text("tenant_id"), text("name"), bool("built_in"),
          text("permissions"), text("description"))),
      new Table("memberships", List.of("tenant_id", "user_id"), List.of(text("tenant_id"), text("user_id"), text("roles"),
          number("created_at"))),
      // Backoffice sessions hold only digests of their cookies: moved, people stay signed in.
      new Table("sessions", List.of("id"), List.of(text("id"), text("tenant_id"), text("user_id"), number("created_at"),
          number("last_seen_at"))),
      new Table("api_keys", List.of("id"), List.of(text("id"), text("tenant_id"), text("user_id"), text("name"), text("digest"),
          text("start"), text("roles"), text("environment"), bool("admin"), number("created_at"), number("expires_at"),
          number("revoked_at"), number("last_used_at"), text("access"), number("quota_remaining"), text("previous_digest"),
          number("previous_until"))),
      new Table("login_attempts", List.of("user_id"), List.of(text("user_id"), number("failures"), number("window_start"),
          number("locked_until"), number("lock_count"), bool("permanent"), number("last_failure"))),
      new Table("signing_keys", List.of("kid"), List.of(text("kid"), text("algorithm"), text("public_jwk"),
          text("sealed_private_jwk"), number("created_at"), number("retired_at"))),
      new Table("refresh_tokens", List.of("id"), List.of(text("id"), text("digest"), text("family_id"), text("tenant_id"),
          text("user_id"), text("key_id"), text("client_id"), text("scope"), text("environment"), bool("admin"),
          number("created_at"), number("expires_at"), number("family_created_at"), number("family_expires_at"),
          number("used_at"), number("revoked_at"))),
      new Table("revocations", List.of("id"), List.of(text("id"), text("kind"), text("subject"), number("at"),
          number("recorded_at"), number("keep_until"))),
      new Table("route_table", List.of("id"), List.of(number("id"), text("document"), number("updated_at"), text("updated_by"))),
      new Table("audit_events", List.of("at", "id"), List.of(text("id"), text("tenant_id"), number("at"), text("event"),
          text("actor_id"), text("subject_type"), text("subject_id"), text("ip"), text("detail"))));
}
