package dev.keyward.core.auth;

import dev.keyward.core.error.ErrorCode;
import dev.keyward.core.error.KeywardException;

/**
 * A credential that does not authenticate. Every kind is answered the same way on the wire (401,
 * one message), so that callers cannot tell an unknown key from a revoked one; the reason is kept
 * for the audit log and for the verification API, whose callers are trusted services.
 */
public final class InvalidCredentials extends KeywardException {
  private static final long serialVersionUID = 1L;

  /** Why the credential was refused. */
  public enum Reason {
    /** Unknown, malformed, or failing its checksum or signature. */
    UNKNOWN,
    EXPIRED,
    REVOKED
  }

  private final Reason reason;

  public InvalidCredentials(Reason reason, String publicMessage) {
    super(ErrorCode.INVALID_CREDENTIALS, publicMessage, null, "reason=" + reason, null);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
