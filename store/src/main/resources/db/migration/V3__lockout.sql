-- Failed password attempts and locks, one row per account that has failed since its last success
-- (never for unknown emails). Times are epoch milliseconds. Every failure is one atomic
-- read-modify-write of the row, so the count holds across restarts and nodes.

CREATE TABLE login_attempts (
  user_id VARCHAR(40) PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  failures INTEGER NOT NULL,
  window_start BIGINT,
  locked_until BIGINT,
  lock_count INTEGER NOT NULL,
  permanent BOOLEAN NOT NULL
);
