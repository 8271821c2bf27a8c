package dev.keyward.client;

import org.jspecify.annotations.Nullable;

/**
 * No such user, key or role in the caller's tenant (404). Ids of other tenants answer the same.
 *
 * @since 0.1.0
 */
public class NotFoundException extends KeywardException {
  private static final long serialVersionUID = 1L;

  public NotFoundException(KeywardError detail) {
    super(detail);
  }

  public NotFoundException(KeywardError detail, @Nullable Throwable cause) {
    super(detail, cause);
  }
}
