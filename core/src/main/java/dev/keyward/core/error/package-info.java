/**
 * The one failure hierarchy of Keyward: every refusal that stops a request is a {@link
 * dev.keyward.core.error.KeywardException} with an {@link dev.keyward.core.error.ErrorCode}, a
 * public message and an internal detail that never reaches a response.
 */
@NullMarked
package dev.keyward.core.error;

import org.jspecify.annotations.NullMarked;
