package dev.keyward.store.jdbc;

import dev.keyward.core.principal.Member;
import dev.keyward.core.principal.User;
import dev.keyward.core.principal.UserStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Accounts and memberships in SQL. */
public final class JdbcUserStore implements UserStore {
  private static final String USER_COLUMNS = "u.id, u.email, u.name, u.programmatic, u.created_at";
  private static final String MEMBER_SELECT =
      "SELECT " + USER_COLUMNS + ", m.tenant_id, m.roles, m.created_at AS joined_at"
          + " FROM memberships m JOIN users u ON u.id = m.user_id";
  private final Jdbc jdbc;

  public JdbcUserStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void insert(User user, String passwordHash, Instant credentialsChangedAt) {
    jdbc.update(
        "INSERT INTO users (id, email, name, programmatic, password_hash, created_at, credentials_changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        user.id(), user.email(), user.name(), user.programmatic(), passwordHash, user.createdAt(), credentialsChangedAt);
  }

  @Override
  public Optional<User> findByEmail(String canonicalEmail) {
    return jdbc.queryOne("SELECT " + USER_COLUMNS + " FROM users u WHERE u.email = ?", JdbcUserStore::user, canonicalEmail);
  }

  @Override
  public Optional<User> findById(String userId) {
    return jdbc.queryOne("SELECT " + USER_COLUMNS + " FROM users u WHERE u.id = ?", JdbcUserStore::user, userId);
  }

  @Override
  public void addMembership(String tenantId, String userId, Set<String> roles, Instant at) {
    jdbc.update("INSERT INTO memberships (tenant_id, user_id, roles, created_at) VALUES (?, ?, ?, ?)", tenantId, userId, RoleLists.join(roles), at);
  }

  @Override
  public Optional<Member> findMember(String tenantId, String userId) {
    return jdbc.queryOne(MEMBER_SELECT + " WHERE m.tenant_id = ? AND m.user_id = ?", JdbcUserStore::member, tenantId, userId);
  }

  @Override
  public List<Member> listMembers(String tenantId) {
    return jdbc.query(MEMBER_SELECT + " WHERE m.tenant_id = ? ORDER BY m.created_at, u.email", JdbcUserStore::member, tenantId);
  }

  @Override
  public void updateName(String userId, String name) {
    jdbc.update("UPDATE users SET name = ? WHERE id = ?", name, userId);
  }

  @Override
  public void updateRoles(String tenantId, String userId, Set<String> roles) {
    jdbc.update("UPDATE memberships SET roles = ? WHERE tenant_id = ? AND user_id = ?", RoleLists.join(roles), tenantId, userId);
  }

  @Override
  public void updatePassword(String userId, String passwordHash, Instant changedAt) {
    jdbc.update("UPDATE users SET password_hash = ?, credentials_changed_at = ? WHERE id = ?", passwordHash, changedAt, userId);
  }

  @Override
  public int removeMembership(String tenantId, String userId) {
    jdbc.update("DELETE FROM memberships WHERE tenant_id = ? AND user_id = ?", tenantId, userId);
    return jdbc.queryOne("SELECT COUNT(*) FROM memberships WHERE user_id = ?", rs -> rs.getInt(1), userId).orElse(0);
  }

  @Override
  public void deleteUser(String userId) {
    jdbc.update("DELETE FROM users WHERE id = ?", userId);
  }

  @Override
  public Optional<Login> findLogin(String canonicalEmail) {
    Optional<Login> head = jdbc.queryOne(
        "SELECT " + USER_COLUMNS + ", u.password_hash FROM users u WHERE u.email = ?",
        rs -> new Login(user(rs), rs.getString("password_hash"), List.of()), canonicalEmail);
    return head.map(login -> new Login(login.user(), login.passwordHash(), jdbc.query(
        "SELECT m.tenant_id, t.slug, m.roles FROM memberships m JOIN tenants t ON t.id = m.tenant_id WHERE m.user_id = ? ORDER BY m.created_at",
        rs -> new TenantRoles(rs.getString(1), rs.getString(2), RoleLists.split(rs.getString(3))), login.user().id())));
  }

  private static User user(ResultSet rs) throws SQLException {
    return new User(rs.getString("id"), rs.getString("email"), rs.getString("name"), rs.getBoolean("programmatic"), Jdbc.requiredInstant(rs, "created_at"));
  }

  private static Member member(ResultSet rs) throws SQLException {
    return new Member(user(rs), rs.getString("tenant_id"), RoleLists.split(rs.getString("roles")), Jdbc.requiredInstant(rs, "joined_at"));
  }
}
