/**
 * Secrets and what is done with them: generation from a secure random source, base62 encoding,
 * keyed digests for lookup, Argon2id for human passwords, and a redacting holder type.
 */
@NullMarked
package dev.keyward.core.secret;

import org.jspecify.annotations.NullMarked;
