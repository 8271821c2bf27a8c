-- One schema for SQLite and PostgreSQL: portable types only (VARCHAR, BIGINT epoch millis, BOOLEAN),
-- no dialect-specific defaults or sequences.

CREATE TABLE tenants (
  id VARCHAR(40) PRIMARY KEY,
  slug VARCHAR(63) NOT NULL UNIQUE,
  name VARCHAR(200) NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE TABLE users (
  id VARCHAR(40) PRIMARY KEY,
  email VARCHAR(254) NOT NULL UNIQUE,
  name VARCHAR(200) NOT NULL,
  programmatic BOOLEAN NOT NULL,
  password_hash VARCHAR(200) NOT NULL,
  created_at BIGINT NOT NULL,
  credentials_changed_at BIGINT NOT NULL
);

CREATE TABLE roles (
  tenant_id VARCHAR(40) NOT NULL REFERENCES tenants (id),
  name VARCHAR(64) NOT NULL,
  built_in BOOLEAN NOT NULL,
  PRIMARY KEY (tenant_id, name)
);

CREATE TABLE memberships (
  tenant_id VARCHAR(40) NOT NULL REFERENCES tenants (id),
  user_id VARCHAR(40) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  roles VARCHAR(4000) NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);

-- digest = HMAC-SHA256 of the key text; the secret itself is never stored.
CREATE TABLE api_keys (
  id VARCHAR(40) PRIMARY KEY,
  tenant_id VARCHAR(40) NOT NULL REFERENCES tenants (id),
  user_id VARCHAR(40) NOT NULL,
  name VARCHAR(100) NOT NULL,
  digest VARCHAR(64) NOT NULL UNIQUE,
  start VARCHAR(16) NOT NULL,
  roles VARCHAR(4000),
  environment VARCHAR(16) NOT NULL,
  admin BOOLEAN NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT,
  revoked_at BIGINT,
  last_used_at BIGINT
);
CREATE INDEX api_keys_tenant_user ON api_keys (tenant_id, user_id);
-- A name is unique among a user's live keys, and free again once its key is revoked.
CREATE UNIQUE INDEX api_keys_live_name ON api_keys (tenant_id, user_id, name) WHERE revoked_at IS NULL;

CREATE TABLE audit_events (
  id VARCHAR(40) PRIMARY KEY,
  tenant_id VARCHAR(40) NOT NULL,
  at BIGINT NOT NULL,
  event VARCHAR(64) NOT NULL,
  actor_id VARCHAR(40),
  subject_type VARCHAR(32) NOT NULL,
  subject_id VARCHAR(40),
  ip VARCHAR(64),
  detail VARCHAR(1000)
);
CREATE INDEX audit_events_tenant_at ON audit_events (tenant_id, at);
