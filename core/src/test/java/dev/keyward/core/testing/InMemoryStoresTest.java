package dev.keyward.core.testing;

import static dev.keyward.core.testing.KeywardAssertions.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.core.error.ErrorCode;
import dev.keyward.core.key.ApiKey;
import dev.keyward.core.key.Environment;
import dev.keyward.core.key.KeyStore;
import dev.keyward.core.principal.User;
import dev.keyward.core.tenant.Tenant;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The fakes keep the rules of the SQL schema, so that service tests over them mean something. */
class InMemoryStoresTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private final InMemoryTenantStore tenants = new InMemoryTenantStore();
  private final InMemoryUserStore users = new InMemoryUserStore(tenants);
  private final InMemoryKeyStore keys = new InMemoryKeyStore(tenants, users);
  private final InMemoryRoleStore roles = new InMemoryRoleStore();

  private static Tenant tenant(String id, String slug) {
    return new Tenant(id, slug, slug, T0);
  }

  private static User user(String id, String email) {
    return new User(id, email, email, true, T0);
  }

  private static ApiKey key(String id, String tenantId, String userId, String name) {
    return new ApiKey(id, tenantId, userId, name, "kw_live_abcd", null, Environment.PRODUCTION, false, T0, null, null, null,
        dev.keyward.core.authz.KeyAccess.DEFAULT, null, null);
  }

  private void seed() {
    tenants.insert(tenant("tnt_a", "a"));
    tenants.insert(tenant("tnt_b", "b"));
    users.insert(user("usr_1", "one@example.com"), "$hmac-sha256$x", T0);
    users.addMembership("tnt_a", "usr_1", Set.of("admin"), T0);
  }

  @Test
  void insertWhenSlugOrEmailOrRoleTakenThenConflict() {
    seed();

    assertFails(() -> tenants.insert(tenant("tnt_c", "a")), ErrorCode.CONFLICT);
    assertFails(() -> users.insert(user("usr_2", "one@example.com"), "h", T0), ErrorCode.CONFLICT);
    assertFails(() -> users.addMembership("tnt_a", "usr_1", Set.of(), T0), ErrorCode.CONFLICT);
    roles.insert("tnt_a", "owner", true);
    assertFails(() -> roles.insert("tnt_a", "owner", true), ErrorCode.CONFLICT);
    roles.insert("tnt_b", "owner", true);
  }

  @Test
  void insertKeyWhenLiveNameTakenThenConflictUntilRevoked() {
    seed();
    keys.insert(key("key_1", "tnt_a", "usr_1", "ci"), "d1");

    assertFails(() -> keys.insert(key("key_2", "tnt_a", "usr_1", "ci"), "d2"), ErrorCode.CONFLICT);
    assertFails(() -> keys.insert(key("key_3", "tnt_a", "usr_1", "other"), "d1"), ErrorCode.CONFLICT); // digest unique
    assertThat(keys.revoke("tnt_a", "key_1", T0)).isTrue();
    assertThat(keys.revoke("tnt_a", "key_1", T0)).isFalse();
    keys.insert(key("key_2", "tnt_a", "usr_1", "ci"), "d2");
  }

  @Test
  void findWhenOtherTenantThenEmpty() {
    seed();
    keys.insert(key("key_1", "tnt_a", "usr_1", "ci"), "d1");

    assertThat(keys.find("tnt_a", "key_1")).isPresent();
    assertThat(keys.find("tnt_b", "key_1")).isEmpty();
    assertThat(keys.list("tnt_b", null)).isEmpty();
    assertThat(keys.revoke("tnt_b", "key_1", T0)).isFalse();
    assertThat(users.findMember("tnt_b", "usr_1")).isEmpty();
  }

  @Test
  void findGrantWhenMembershipGoneThenEmptyAndEveryCallCounted() {
    seed();
    keys.insert(key("key_1", "tnt_a", "usr_1", "ci"), "d1");

    KeyStore.KeyGrant grant = keys.findGrant("d1").orElseThrow();
    assertThat(grant.tenantSlug()).isEqualTo("a");
    assertThat(grant.email()).isEqualTo("one@example.com");
    assertThat(grant.ownerRoles()).containsExactly("admin");
    assertThat(keys.findGrant("unknown")).isEmpty();

    users.removeMembership("tnt_a", "usr_1");
    assertThat(keys.findGrant("d1")).isEmpty();
    assertThat(keys.findGrantCalls()).isEqualTo(3);
  }

  @Test
  void deleteUserWhenMembershipsExistThenCascade() {
    seed();
    users.addMembership("tnt_b", "usr_1", Set.of(), T0);

    assertThat(users.removeMembership("tnt_a", "usr_1")).isEqualTo(1);
    users.deleteUser("usr_1");

    assertThat(users.findMember("tnt_b", "usr_1")).isEmpty();
    assertThat(users.findLogin("one@example.com")).isEmpty();
  }

  @Test
  void findLoginWhenSeveralMembershipsThenAllWithSlugsInJoinOrder() {
    seed();
    users.addMembership("tnt_b", "usr_1", Set.of("owner"), T0.plusSeconds(1));

    assertThat(users.findLogin("one@example.com").orElseThrow().memberships())
        .extracting(m -> m.tenantSlug())
        .containsExactly("a", "b");
  }

  @Test
  void recordLastUsedWhenFirstUseThenReportedOnceAndOnlyMovesForward() {
    seed();
    keys.insert(key("key_1", "tnt_a", "usr_1", "ci"), "d1");

    assertThat(keys.recordLastUsed(Map.of("key_1", T0.plusSeconds(10), "key_x", T0))).containsExactly("key_1");
    assertThat(keys.recordLastUsed(Map.of("key_1", T0.plusSeconds(5)))).isEmpty();
    assertThat(keys.find("tnt_a", "key_1").orElseThrow().lastUsedAt()).isEqualTo(T0.plusSeconds(10));
  }

  @Test
  void addMembershipWhenTenantOrUserMissingThenFailsLoudly() {
    seed();

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> users.addMembership("tnt_zz", "usr_1", Set.of(), T0))
        .isInstanceOf(IllegalStateException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> users.addMembership("tnt_b", "usr_zz", Set.of(), T0))
        .isInstanceOf(IllegalStateException.class);
  }
}
