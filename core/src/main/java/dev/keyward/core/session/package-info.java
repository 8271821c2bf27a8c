/**
 * Backoffice sessions: a person's password sign-in carried by a cookie, stored only as a digest,
 * ended by sign-out, idleness, age, a credential change or the end of the membership.
 */
@NullMarked
package dev.keyward.core.session;

import org.jspecify.annotations.NullMarked;
