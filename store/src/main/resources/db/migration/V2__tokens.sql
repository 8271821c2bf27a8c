-- Access-token signing keys (private part sealed with the master key), refresh tokens (digests
-- only, single use, grouped in families) and the revocations every node polls.

CREATE TABLE signing_keys (
  kid VARCHAR(40) PRIMARY KEY,
  algorithm VARCHAR(16) NOT NULL,
  public_jwk VARCHAR(4000) NOT NULL,
  sealed_private_jwk VARCHAR(8000) NOT NULL,
  created_at BIGINT NOT NULL,
  retired_at BIGINT
);

CREATE TABLE refresh_tokens (
  id VARCHAR(40) PRIMARY KEY,
  digest VARCHAR(64) NOT NULL UNIQUE,
  family_id VARCHAR(40) NOT NULL,
  tenant_id VARCHAR(40) NOT NULL,
  user_id VARCHAR(40) NOT NULL,
  key_id VARCHAR(40),
  client_id VARCHAR(254) NOT NULL,
  scope VARCHAR(4000) NOT NULL,
  environment VARCHAR(16),
  admin BOOLEAN NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  family_created_at BIGINT NOT NULL,
  family_expires_at BIGINT NOT NULL,
  used_at BIGINT,
  revoked_at BIGINT
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);
CREATE INDEX refresh_tokens_key ON refresh_tokens (key_id);

CREATE TABLE revocations (
  id VARCHAR(40) PRIMARY KEY,
  kind VARCHAR(16) NOT NULL,
  subject VARCHAR(64) NOT NULL,
  at BIGINT NOT NULL,
  recorded_at BIGINT NOT NULL,
  keep_until BIGINT NOT NULL
);
CREATE INDEX revocations_recorded_at ON revocations (recorded_at);
