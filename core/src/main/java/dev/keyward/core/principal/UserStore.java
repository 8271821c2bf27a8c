package dev.keyward.core.principal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Persistence of accounts, their password hashes and their tenant memberships. */
public interface UserStore {

  /** Inserts an account; an existing email conflicts. */
  void insert(User user, String passwordHash, Instant credentialsChangedAt);

  Optional<User> findByEmail(String canonicalEmail);

  Optional<User> findById(String userId);

  void addMembership(String tenantId, String userId, Set<String> roles, Instant at);

  Optional<Member> findMember(String tenantId, String userId);

  /** Members of a tenant, oldest first. */
  List<Member> listMembers(String tenantId);

  void updateName(String userId, String name);

  void updateRoles(String tenantId, String userId, Set<String> roles);

  void updatePassword(String userId, String passwordHash, Instant changedAt);

  /** Removes a membership; returns how many memberships the account still has. */
  int removeMembership(String tenantId, String userId);

  /** Deletes the account itself (after its last membership is gone). */
  void deleteUser(String userId);

  /** Everything a password login needs, by canonical email. */
  Optional<Login> findLogin(String canonicalEmail);

  /** An account with its password hash and every tenant it belongs to. */
  record Login(User user, String passwordHash, List<TenantRoles> memberships) {}

  /** A membership as login sees it. */
  record TenantRoles(String tenantId, String tenantSlug, Set<String> roles) {
    public TenantRoles {
      roles = Set.copyOf(roles);
    }
  }
}
