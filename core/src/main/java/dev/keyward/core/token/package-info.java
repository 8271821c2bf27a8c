/**
 * Access tokens: signing keys (generated, sealed with the master key, rotated), JWT issue and
 * local verification with a cache of verified tokens, refresh-token rotation, and the in-memory
 * revocation list every node keeps current from the store.
 */
@NullMarked
package dev.keyward.core.token;

import org.jspecify.annotations.NullMarked;
