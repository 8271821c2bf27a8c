package dev.keyward.core.tenant;

import java.time.Instant;

/** A tenant: one customer organisation. The {@code slug} names it in headers and host names. */
public record Tenant(String id, String slug, String name, Instant createdAt) {
  public static final String DEFAULT_SLUG = "default";
}
