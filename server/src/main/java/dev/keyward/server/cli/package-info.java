/** The {@code keyward} command line: {@code serve} and the administrative commands. */
@NullMarked
package dev.keyward.server.cli;

import org.jspecify.annotations.NullMarked;
