/** Tenants (an instance, holding or location): every record belongs to one. */
@NullMarked
package dev.keyward.core.tenant;

import org.jspecify.annotations.NullMarked;
