/**
 * Route files: the route table and role seeds read from YAML or JSON (strictly, every error
 * naming file, line and column), and their wire form for the admin API. The table itself and its
 * matcher are in {@code dev.keyward.core.authz}.
 */
@NullMarked
package dev.keyward.server.routes;

import org.jspecify.annotations.NullMarked;
