package dev.keyward.core.authz;

import org.jspecify.annotations.Nullable;

/** The answer of {@link Callers#check}: the call may proceed, or why it may not. */
public sealed interface CallerCheck {
  /** Why a caller is refused. */
  enum Reason {
    /** A browser call (it carries an {@code Origin}) that the key does not accept. */
    ORIGIN_NOT_ALLOWED,
    /** A call without an {@code Origin} on a key that accepts browser calls only. */
    NATIVE_NOT_ALLOWED
  }

  /**
   * The call may proceed.
   *
   * @param origin the normalised origin of a browser call, the value to echo in {@code
   *     Access-Control-Allow-Origin}; null for a native call
   */
  record Allowed(@Nullable String origin) implements CallerCheck {}

  /**
   * The call is refused.
   *
   * @param message public text; it never repeats the caller's origin
   */
  record Refused(Reason reason, String message) implements CallerCheck {}

  default boolean allowed() {
    return this instanceof Allowed;
  }
}
