package dev.keyward.client.model;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A credential event: {@code user.created}, {@code key.revoked}, {@code auth.failed}, …
 *
 * @param actorId the user who acted; null for the system or an unidentified caller
 * @param subjectType {@code user}, {@code key} or {@code tenant}
 * @param detail never holds a secret
 */
public record AuditEvent(String id, String event, Instant at, @Nullable String actorId, String subjectType,
    @Nullable String subjectId, @Nullable String ip, @Nullable String detail) {}
