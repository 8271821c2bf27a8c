package dev.keyward.client;

import org.jspecify.annotations.Nullable;

/**
 * The caller is known but may not do this (403): its roles lack a permission, or an admin key
 * was used where it is not accepted. The message names what is missing.
 *
 * @since 0.1.0
 */
public class ForbiddenException extends KeywardException {
  private static final long serialVersionUID = 1L;

  public ForbiddenException(KeywardError detail) {
    super(detail);
  }

  public ForbiddenException(KeywardError detail, @Nullable Throwable cause) {
    super(detail, cause);
  }
}
