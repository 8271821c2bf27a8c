/**
 * Machinery of the client (HTTP exchanges with retries, the token source, JSON): not part of
 * the library's API, and may change in any release.
 */
@NullMarked
package dev.keyward.client.internal;

import org.jspecify.annotations.NullMarked;
