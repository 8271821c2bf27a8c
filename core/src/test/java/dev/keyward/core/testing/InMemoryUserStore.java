package dev.keyward.core.testing;

import dev.keyward.core.error.KeywardException;
import dev.keyward.core.principal.Member;
import dev.keyward.core.principal.User;
import dev.keyward.core.principal.UserStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@link UserStore} in memory, shaped like the SQL schema: emails are unique, a membership is
 * unique per tenant and user, deleting an account deletes its memberships, and updates of unknown
 * rows change nothing.
 */
public final class InMemoryUserStore implements UserStore {
  private record Account(User user, String passwordHash, Instant credentialsChangedAt) {}

  private record Membership(String tenantId, String userId, Set<String> roles, Instant joinedAt) {}

  private final InMemoryTenantStore tenants;
  private final Map<String, Account> accounts = new LinkedHashMap<>();
  private final Map<String, Membership> memberships = new LinkedHashMap<>();

  public InMemoryUserStore(InMemoryTenantStore tenants) {
    this.tenants = tenants;
  }

  private static String membershipKey(String tenantId, String userId) {
    return tenantId + "/" + userId;
  }

  @Override
  public synchronized void insert(User user, String passwordHash, Instant credentialsChangedAt) {
    if (accounts.containsKey(user.id()) || findByEmail(user.email()).isPresent()) {
      throw KeywardException.conflict("This record already exists");
    }
    accounts.put(user.id(), new Account(user, passwordHash, credentialsChangedAt));
  }

  @Override
  public synchronized Optional<User> findByEmail(String canonicalEmail) {
    return accounts.values().stream().map(Account::user).filter(u -> u.email().equals(canonicalEmail)).findFirst();
  }

  @Override
  public synchronized Optional<User> findById(String userId) {
    return Optional.ofNullable(accounts.get(userId)).map(Account::user);
  }

  @Override
  public synchronized void addMembership(String tenantId, String userId, Set<String> roles, Instant at) {
    tenants.require(tenantId);
    if (!accounts.containsKey(userId)) {
      throw new IllegalStateException("foreign key: no user " + userId);
    }
    if (memberships.putIfAbsent(membershipKey(tenantId, userId), new Membership(tenantId, userId, Set.copyOf(roles), at)) != null) {
      throw KeywardException.conflict("This record already exists");
    }
  }

  @Override
  public synchronized Optional<Member> findMember(String tenantId, String userId) {
    return Optional.ofNullable(memberships.get(membershipKey(tenantId, userId))).map(this::member);
  }

  @Override
  public synchronized List<Member> listMembers(String tenantId) {
    return memberships.values().stream()
        .filter(m -> m.tenantId().equals(tenantId))
        .map(this::member)
        .sorted(Comparator.comparing(Member::joinedAt).thenComparing(m -> m.user().email()))
        .toList();
  }

  @Override
  public synchronized void updateName(String userId, String name) {
    Account a = accounts.get(userId);
    if (a != null) {
      User u = a.user();
      accounts.put(userId, new Account(new User(u.id(), u.email(), name, u.programmatic(), u.createdAt()), a.passwordHash(), a.credentialsChangedAt()));
    }
  }

  @Override
  public synchronized void updateRoles(String tenantId, String userId, Set<String> roles) {
    memberships.computeIfPresent(membershipKey(tenantId, userId), (k, m) -> new Membership(m.tenantId(), m.userId(), Set.copyOf(roles), m.joinedAt()));
  }

  @Override
  public synchronized void updatePassword(String userId, String passwordHash, Instant changedAt) {
    accounts.computeIfPresent(userId, (k, a) -> new Account(a.user(), passwordHash, changedAt));
  }

  @Override
  public synchronized int removeMembership(String tenantId, String userId) {
    memberships.remove(membershipKey(tenantId, userId));
    return (int) memberships.values().stream().filter(m -> m.userId().equals(userId)).count();
  }

  @Override
  public synchronized void deleteUser(String userId) {
    accounts.remove(userId);
    memberships.values().removeIf(m -> m.userId().equals(userId)); // ON DELETE CASCADE
  }

  @Override
  public synchronized Optional<Login> findLogin(String canonicalEmail) {
    return findByEmail(canonicalEmail).map(user -> {
      List<TenantRoles> of = new ArrayList<>();
      for (Membership m : memberships.values()) {
        if (m.userId().equals(user.id())) {
          of.add(new TenantRoles(m.tenantId(), tenants.require(m.tenantId()).slug(), m.roles()));
        }
      }
      return new Login(user, accounts.get(user.id()).passwordHash(), List.copyOf(of));
    });
  }

  /** The stored password hash of an account, for assertions on the stored form. */
  public synchronized Optional<String> passwordHash(String userId) {
    return Optional.ofNullable(accounts.get(userId)).map(Account::passwordHash);
  }

  /** When the account's password last changed. */
  public synchronized Optional<Instant> credentialsChangedAt(String userId) {
    return Optional.ofNullable(accounts.get(userId)).map(Account::credentialsChangedAt);
  }

  /** True while the account exists (it is deleted with its last membership). */
  public synchronized boolean exists(String userId) {
    return accounts.containsKey(userId);
  }

  private Member member(Membership m) {
    return new Member(accounts.get(m.userId()).user(), m.tenantId(), m.roles(), m.joinedAt());
  }
}
