-- Per-tenant settings. password_grant_for_people: whether people (not only programmatic users)
-- may use the OAuth password grant; off by default (RFC 9700 §2.4).
ALTER TABLE tenants ADD COLUMN password_grant_for_people BOOLEAN NOT NULL DEFAULT FALSE;
