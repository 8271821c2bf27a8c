package dev.keyward.client;

import org.jspecify.annotations.Nullable;

/**
 * The request was refused as malformed or invalid (400, 413, 415, 422; on the token endpoints
 * {@code invalid_request}, {@code invalid_scope}, {@code unsupported_grant_type}): {@link #field()}
 * often names what to fix.
 *
 * @since 0.1.0
 */
public class InvalidRequestException extends KeywardException {
  private static final long serialVersionUID = 1L;

  public InvalidRequestException(KeywardError detail) {
    super(detail);
  }

  public InvalidRequestException(KeywardError detail, @Nullable Throwable cause) {
    super(detail, cause);
  }
}
