package dev.keyward.core.audit;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One audit record. {@code actorId} is the user who acted (null for the system or an
 * unidentified caller); the subject is what was acted on. Never holds a secret.
 */
public record AuditEvent(
    String id,
    String tenantId,
    Instant at,
    String event,
    @Nullable String actorId,
    String subjectType,
    @Nullable String subjectId,
    @Nullable String ip,
    @Nullable String detail) {

  /** Event names. */
  public static final String USER_CREATED = "user.created";
  public static final String USER_UPDATED = "user.updated";
  public static final String USER_REMOVED = "user.removed";
  public static final String USER_LOCKED = "user.locked";
  public static final String USER_UNLOCKED = "user.unlocked";
  public static final String PASSWORD_RESET = "user.password_reset";
  public static final String KEY_CREATED = "key.created";
  public static final String KEY_REVOKED = "key.revoked";
  public static final String KEY_UPDATED = "key.updated";
  public static final String KEY_ROLLED = "key.rolled";
  public static final String ROLE_CREATED = "role.created";
  public static final String ROLE_UPDATED = "role.updated";
  public static final String ROLE_DELETED = "role.deleted";
  public static final String ROUTES_UPDATED = "routes.updated";
  public static final String KEY_FIRST_USED = "key.first_used";
  public static final String AUTH_FAILED = "auth.failed";
  /** A person signed in to the backoffice (a session started). */
  public static final String SIGNED_IN = "auth.signed_in";
  public static final String SIGNED_OUT = "auth.signed_out";
  /** A person registered themselves (open registration). */
  public static final String SIGNED_UP = "user.signed_up";
  public static final String TENANT_CREATED = "tenant.created";
  public static final String TENANT_UPDATED = "tenant.updated";
  public static final String REFRESH_REUSED = "token.refresh_reused";
  public static final String SIGNING_KEY_ROTATED = "token.signing_key_rotated";
}
