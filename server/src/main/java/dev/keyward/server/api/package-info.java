/**
 * The endpoints: thin handlers that parse a request, call a core service and render its answer.
 * Wire records ({@code XxxRequest}, {@code XxxResponse}) live here and nowhere else.
 */
@NullMarked
package dev.keyward.server.api;

import org.jspecify.annotations.NullMarked;
