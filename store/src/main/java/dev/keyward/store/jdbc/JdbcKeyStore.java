package dev.keyward.store.jdbc;

import dev.keyward.core.authz.KeyAccess;
import dev.keyward.core.key.ApiKey;
import dev.keyward.core.key.Environment;
import dev.keyward.core.key.KeyStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** API keys in SQL; the secret's digest is written once and only ever compared by the index. */
public final class JdbcKeyStore implements KeyStore {
  private static final String COLUMNS =
      "k.id, k.tenant_id, k.user_id, k.name, k.start, k.roles, k.environment, k.admin, k.created_at, k.expires_at, k.revoked_at,"
          + " k.last_used_at, k.access, k.quota_remaining, k.previous_until";
  private final Jdbc jdbc;

  public JdbcKeyStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void insert(ApiKey k, String digest) {
    try {
      jdbc.update(
          "INSERT INTO api_keys (id, tenant_id, user_id, name, digest, start, roles, environment, admin, created_at, expires_at,"
              + " revoked_at, last_used_at, access, quota_remaining) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          k.id(), k.tenantId(), k.userId(), k.name(), digest, k.start(), RoleLists.joinNullable(k.roles()),
          k.environment().wireName(), k.admin(), k.createdAt(), k.expiresAt(), k.revokedAt(), k.lastUsedAt(),
          KeyAccessJson.write(k.access()), k.quotaRemaining());
    } catch (dev.keyward.core.error.KeywardException e) {
      if (e.code() == dev.keyward.core.error.ErrorCode.CONFLICT) {
        throw dev.keyward.core.error.KeywardException.conflict("A live key with this name already exists for this user");
      }
      throw e;
    }
  }

  @Override
  public Optional<ApiKey> find(String tenantId, String keyId) {
    return jdbc.queryOne("SELECT " + COLUMNS + " FROM api_keys k WHERE k.tenant_id = ? AND k.id = ?", JdbcKeyStore::map, tenantId, keyId);
  }

  @Override
  public List<ApiKey> list(String tenantId, @Nullable String userId) {
    if (userId == null) {
      return jdbc.query("SELECT " + COLUMNS + " FROM api_keys k WHERE k.tenant_id = ? ORDER BY k.created_at DESC, k.id", JdbcKeyStore::map, tenantId);
    }
    return jdbc.query("SELECT " + COLUMNS + " FROM api_keys k WHERE k.tenant_id = ? AND k.user_id = ? ORDER BY k.created_at DESC, k.id", JdbcKeyStore::map, tenantId, userId);
  }

  @Override
  public boolean revoke(String tenantId, String keyId, Instant at) {
    return jdbc.update("UPDATE api_keys SET revoked_at = ? WHERE tenant_id = ? AND id = ? AND revoked_at IS NULL", at, tenantId, keyId) == 1;
  }

  @Override
  public int revokeAllOf(String tenantId, String userId, Instant at) {
    return jdbc.update("UPDATE api_keys SET revoked_at = ? WHERE tenant_id = ? AND user_id = ? AND revoked_at IS NULL", at, tenantId, userId);
  }

  @Override
  public Optional<KeyGrant> findGrant(String digest) {
    return jdbc.queryOne(
        "SELECT " + COLUMNS + ", k.digest AS current_digest, t.slug, u.email, m.roles AS owner_roles FROM api_keys k"
            + " JOIN tenants t ON t.id = k.tenant_id"
            + " JOIN memberships m ON m.tenant_id = k.tenant_id AND m.user_id = k.user_id"
            + " JOIN users u ON u.id = k.user_id"
            + " WHERE k.digest = ? OR k.previous_digest = ?",
        rs -> new KeyGrant(map(rs), rs.getString("slug"), rs.getString("email"), RoleLists.split(rs.getString("owner_roles")),
            digest.equals(rs.getString("current_digest")) ? null : Jdbc.requiredInstant(rs, "previous_until")),
        digest, digest);
  }

  @Override
  public boolean updateAccess(String tenantId, String keyId, KeyAccess access, @Nullable Long quotaRemaining) {
    return jdbc.update("UPDATE api_keys SET access = ?, quota_remaining = ? WHERE tenant_id = ? AND id = ?",
        KeyAccessJson.write(access), quotaRemaining, tenantId, keyId) == 1;
  }

  @Override
  public boolean updateRoles(String tenantId, String keyId, Set<String> roles) {
    return jdbc.update("UPDATE api_keys SET roles = ? WHERE tenant_id = ? AND id = ?", RoleLists.join(roles), tenantId, keyId) == 1;
  }

  @Override
  public boolean updateDetails(String tenantId, String keyId, String name, @Nullable Instant expiresAt) {
    try {
      return jdbc.update("UPDATE api_keys SET name = ?, expires_at = ? WHERE tenant_id = ? AND id = ?",
          name, expiresAt, tenantId, keyId) == 1;
    } catch (dev.keyward.core.error.KeywardException e) {
      if (e.code() == dev.keyward.core.error.ErrorCode.CONFLICT) {
        throw dev.keyward.core.error.KeywardException.conflict("A live key with this name already exists for this user");
      }
      throw e;
    }
  }

  @Override
  public OptionalLong consumeQuota(String tenantId, String keyId) {
    // One statement: the row lock (PostgreSQL) or the database write lock (SQLite) orders
    // concurrent decrements, and the guard keeps the count from going below zero.
    return jdbc.queryOne("UPDATE api_keys SET quota_remaining = quota_remaining - 1"
            + " WHERE tenant_id = ? AND id = ? AND quota_remaining > 0 RETURNING quota_remaining",
            rs -> rs.getLong(1), tenantId, keyId)
        .map(OptionalLong::of).orElse(OptionalLong.empty());
  }

  @Override
  public boolean roll(String tenantId, String keyId, String newDigest, String newStart, @Nullable Instant previousUntil) {
    if (previousUntil == null) {
      return jdbc.update("UPDATE api_keys SET digest = ?, start = ?, previous_digest = NULL, previous_until = NULL"
          + " WHERE tenant_id = ? AND id = ? AND revoked_at IS NULL", newDigest, newStart, tenantId, keyId) == 1;
    }
    return jdbc.update("UPDATE api_keys SET previous_digest = digest, previous_until = ?, digest = ?, start = ?"
        + " WHERE tenant_id = ? AND id = ? AND revoked_at IS NULL", previousUntil, newDigest, newStart, tenantId, keyId) == 1;
  }

  @Override
  public Set<String> recordLastUsed(Map<String, Instant> lastUsed) {
    Set<String> firstUse = new HashSet<>();
    jdbc.run(() -> {
      for (Map.Entry<String, Instant> e : lastUsed.entrySet()) {
        if (jdbc.update("UPDATE api_keys SET last_used_at = ? WHERE id = ? AND last_used_at IS NULL", e.getValue(), e.getKey()) == 1) {
          firstUse.add(e.getKey());
        } else {
          jdbc.update("UPDATE api_keys SET last_used_at = ? WHERE id = ? AND last_used_at < ?", e.getValue(), e.getKey(), e.getValue());
        }
      }
    });
    return firstUse;
  }

  private static ApiKey map(ResultSet rs) throws SQLException {
    String roles = rs.getString("roles");
    return new ApiKey(
        rs.getString("id"), rs.getString("tenant_id"), rs.getString("user_id"), rs.getString("name"), rs.getString("start"),
        roles == null ? null : RoleLists.split(roles),
        Environment.fromWire(rs.getString("environment")).orElseThrow(),
        rs.getBoolean("admin"), Jdbc.requiredInstant(rs, "created_at"), Jdbc.instant(rs, "expires_at"),
        Jdbc.instant(rs, "revoked_at"), Jdbc.instant(rs, "last_used_at"), KeyAccessJson.read(rs.getString("access")),
        nullableLong(rs, "quota_remaining"), Jdbc.instant(rs, "previous_until"));
  }

  private static @Nullable Long nullableLong(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }
}
