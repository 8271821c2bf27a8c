-- The time of the last counted failure of an account (epoch milliseconds), for the quick-login
-- check: two failures closer together than the configured interval lock the account even below
-- the threshold. Permanent locks after K temporary ones need no new column: lock_count counts the
-- locks in a row already.

ALTER TABLE login_attempts ADD COLUMN last_failure BIGINT;
