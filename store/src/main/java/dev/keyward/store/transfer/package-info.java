/**
 * Moving a whole store to a file and back: a JSON export of every table, read and written by
 * streaming, for backups and for moving between SQLite and PostgreSQL.
 */
@NullMarked
package dev.keyward.store.transfer;

import org.jspecify.annotations.NullMarked;
