/** Keyward's domain, as plain Java with no I/O: the ports stores implement live beside it. */
@NullMarked
package dev.keyward.core;

import org.jspecify.annotations.NullMarked;
