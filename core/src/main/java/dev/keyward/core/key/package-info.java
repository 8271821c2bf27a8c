/**
 * API keys: the wire format with its checksum, the key record, its store port and the service
 * that creates, lists and revokes keys.
 */
@NullMarked
package dev.keyward.core.key;

import org.jspecify.annotations.NullMarked;
