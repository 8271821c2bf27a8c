-- Backoffice sessions of people signed in with their password. id = HMAC-SHA256 digest of the
-- cookie's random secret: the secret itself is never stored. Times are epoch milliseconds. A
-- session ends when idle or too old, when signed out, and when the account's credentials change
-- (credentials_changed_at after created_at) or its membership in the tenant is gone.
CREATE TABLE sessions (
  id VARCHAR(64) PRIMARY KEY,
  tenant_id VARCHAR(40) NOT NULL REFERENCES tenants (id),
  user_id VARCHAR(40) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
-- Whether anyone may sign up in a tenant from the backoffice or POST /api/v1/signup; off by default.
ALTER TABLE tenants ADD COLUMN open_registration BOOLEAN NOT NULL DEFAULT FALSE;
