/**
 * What the admin API answers (users, keys, roles, audit events, decisions) as immutable values,
 * and what it is asked (new users and keys, changes, verification questions). Secrets shown once
 * (a new key, a generated password) are {@link dev.keyward.client.Secret}s, whose
 * {@code toString()} hides them.
 */
@NullMarked
package dev.keyward.client.model;

import org.jspecify.annotations.NullMarked;
