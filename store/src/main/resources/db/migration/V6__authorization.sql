-- Authorization (roles with permissions, key access options, rolled keys, per-tenant gates, the
-- route table). V5 is left to the lockout escalation change.

-- A role's permissions: comma-separated grants ('invoices:read', 'invoices:*', '*'). Built-in
-- roles hold everything whatever this column says.
ALTER TABLE roles ADD COLUMN permissions VARCHAR(16000) NOT NULL DEFAULT '';
ALTER TABLE roles ADD COLUMN description VARCHAR(500) NOT NULL DEFAULT '';

-- A key's access options as a JSON document (null: the defaults), its remaining uses (null: no
-- quota; decremented atomically per admitted call) and, after a roll, the digest of the previous
-- secret with the end of its grace period.
ALTER TABLE api_keys ADD COLUMN access TEXT;
ALTER TABLE api_keys ADD COLUMN quota_remaining BIGINT;
ALTER TABLE api_keys ADD COLUMN previous_digest VARCHAR(64);
ALTER TABLE api_keys ADD COLUMN previous_until BIGINT;
CREATE UNIQUE INDEX api_keys_previous_digest ON api_keys (previous_digest);

-- production_enabled: whether production keys work in this tenant (sandbox keys always do).
-- key_management_reserved: when true, only roles granting keys:manage-own may manage their own keys.
ALTER TABLE tenants ADD COLUMN production_enabled BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE tenants ADD COLUMN key_management_reserved BOOLEAN NOT NULL DEFAULT FALSE;

-- The deployment's route table (one row): the document as loaded (JSON), with when and by whom.
CREATE TABLE route_table (
  id INTEGER PRIMARY KEY,
  document TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  updated_by VARCHAR(200) NOT NULL
);
