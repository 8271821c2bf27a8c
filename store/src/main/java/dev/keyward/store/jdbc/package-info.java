/** The JDBC stores: SQL with bound parameters only, one class per port. */
@NullMarked
package dev.keyward.store.jdbc;

import org.jspecify.annotations.NullMarked;
