package dev.keyward.core.principal;

import java.time.Instant;

/**
 * An account: a person or a programmatic user (a service account). Accounts are deployment-wide
 * by email; what they may do in a tenant comes from their {@link Member membership}. The password
 * hash is not part of this record, so it cannot leak through it.
 */
public record User(String id, String email, String name, boolean programmatic, Instant createdAt) {}
