/**
 * Persistence: JDBC implementations of core's store ports over one connection pool, for SQLite
 * (the embedded default) and PostgreSQL, from one set of migrations.
 */
@NullMarked
package dev.keyward.store;

import org.jspecify.annotations.NullMarked;
