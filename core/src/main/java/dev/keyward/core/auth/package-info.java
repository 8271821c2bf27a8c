/**
 * Authentication: the {@code Authorization} header parsed into a credential, and the credential
 * resolved (through a short-lived cache) into a {@link dev.keyward.core.auth.Principal}.
 */
@NullMarked
package dev.keyward.core.auth;

import org.jspecify.annotations.NullMarked;
