/**
 * The backoffice: server-rendered pages (jte templates under {@code src/main/jte}) for people
 * signed in with a session cookie. Handlers here parse forms, call the same core services as the
 * API and render; every form carries the session's CSRF token.
 */
@NullMarked
package dev.keyward.server.ui;

import org.jspecify.annotations.NullMarked;
