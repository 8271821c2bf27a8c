/**
 * Gateway mode: Keyward in front of an upstream API. Every request that is not one of Keyward's
 * own is decided by the one decision function, then refused with a JSON answer or forwarded to
 * the upstream with the caller's credential replaced by the decided identity. Thin HTTP code:
 * the decision itself lives in core.
 */
@NullMarked
package dev.keyward.server.gateway;

import org.jspecify.annotations.NullMarked;
