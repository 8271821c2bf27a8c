/**
 * Users (people and programmatic users), their membership of tenants with roles, and the
 * services an admin uses to manage them.
 */
@NullMarked
package dev.keyward.core.principal;

import org.jspecify.annotations.NullMarked;
