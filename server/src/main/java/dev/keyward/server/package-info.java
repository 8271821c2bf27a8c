/** The Keyward server: configuration, wiring of core and store, and the HTTP server's lifecycle. */
@NullMarked
package dev.keyward.server;

import org.jspecify.annotations.NullMarked;
