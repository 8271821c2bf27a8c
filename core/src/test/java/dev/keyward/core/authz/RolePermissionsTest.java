package dev.keyward.core.authz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.core.testing.InMemoryRoleStore;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What roles grant, and how long a change made elsewhere (in the store) can go unseen: at most one cache lifetime. */
class RolePermissionsTest {
  private static final String TENANT = "tnt_1";
  private static final Duration TTL = Duration.ofMillis(800);
  private static final Permission READ = Permission.parseRequired("permission", "invoices:read");
  private static final Permission WRITE = Permission.parseRequired("permission", "invoices:write");

  private final InMemoryRoleStore store = new InMemoryRoleStore();
  private final AtomicLong nanos = new AtomicLong();
  private final RolePermissions permissions = new RolePermissions(store, TTL, nanos::get);

  RolePermissionsTest() {
    store.insert(TENANT, Role.builtIn("owner"));
    store.insert(TENANT, new Role("reader", List.of(READ), "", false));
    store.insert(TENANT, new Role("writer", List.of(Permission.parseGrant("permissions[0]", "invoices:*")), "", false));
  }

  private void at(long millis) {
    nanos.set(TimeUnit.MILLISECONDS.toNanos(millis));
  }

  @Test
  void ofWhenRolesGivenThenTheUnionOfTheirGrantsAndUnknownRolesGrantNothing() {
    assertThat(permissions.of(TENANT, Set.of("reader")).allows(READ)).isTrue();
    assertThat(permissions.of(TENANT, Set.of("reader")).allows(WRITE)).isFalse();
    assertThat(permissions.of(TENANT, Set.of("reader", "writer")).allows(WRITE)).isTrue();
    assertThat(permissions.of(TENANT, Set.of("owner")).allows(WRITE)).isTrue();
    assertThat(permissions.of(TENANT, Set.of("admin")).allows(WRITE)).isTrue();
    assertThat(permissions.of(TENANT, Set.of("nobody")).allows(READ)).isFalse();
    assertThat(permissions.of(TENANT, Set.of()).allows(READ)).isFalse();
    assertThat(permissions.of("tnt_other", Set.of("reader")).allows(READ)).as("roles are per tenant").isFalse();
  }

  /**
   * The tenant's roles are read at 0 and the role is edited in the store at 10 ms; a combination of
   * roles first asked for at 790 ms is worked out from the roles read at 0. From 810 ms on (one
   * lifetime after the edit) the edit must show, whatever was worked out from the old roles.
   */
  @Test
  void ofWhenRoleEditedElsewhereThenSeenWithinOneCacheLifetime() {
    at(0);
    assertThat(permissions.of(TENANT, Set.of("writer")).allows(WRITE)).isTrue(); // reads the tenant's roles
    at(10);
    store.update(TENANT, new Role("reader", List.of(), "", false));
    at(790);
    assertThat(permissions.of(TENANT, Set.of("reader")).allows(READ)).as("within one lifetime: may still be seen").isTrue();
    at(811);
    assertThat(permissions.of(TENANT, Set.of("reader")).allows(READ)).as("one lifetime after the edit").isFalse();
  }

  @Test
  void changedWhenCalledThenEditsSeenAtOnce() {
    assertThat(permissions.of(TENANT, Set.of("reader")).allows(READ)).isTrue();
    store.update(TENANT, new Role("reader", List.of(), "", false));
    assertThat(permissions.of(TENANT, Set.of("reader")).allows(READ)).isTrue();
    permissions.changed();
    assertThat(permissions.of(TENANT, Set.of("reader")).allows(READ)).isFalse();
  }
}
