package dev.keyward.client;

import org.jspecify.annotations.Nullable;

/**
 * The credential was refused: an API key or password that is unknown, wrong, expired or
 * revoked (a 401, or {@code invalid_grant}/{@code invalid_client}/{@code unauthorized_client}
 * from the token endpoints), even after the client fetched fresh tokens. Retrying will not help
 * until the credential is fixed.
 *
 * @since 0.1.0
 */
public class AuthenticationException extends KeywardException {
  private static final long serialVersionUID = 1L;

  public AuthenticationException(KeywardError detail) {
    super(detail);
  }

  public AuthenticationException(KeywardError detail, @Nullable Throwable cause) {
    super(detail, cause);
  }

  /** The same refusal, said in the context of what the client was doing. */
  public AuthenticationException(String context, AuthenticationException refusal) {
    super(context, refusal.detail(), refusal);
  }
}
