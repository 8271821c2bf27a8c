/**
 * The Keyward Java client library. It starts empty: the client issue fills it (key-for-token
 * exchange, silent refresh, typed admin calls).
 */
@NullMarked
package dev.keyward.client;

import org.jspecify.annotations.NullMarked;
