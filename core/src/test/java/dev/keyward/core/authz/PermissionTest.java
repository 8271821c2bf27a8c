package dev.keyward.core.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.core.error.KeywardException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PermissionTest {
  private static Permission grant(String text) {
    return Permission.parseGrant("p", text);
  }

  @Test
  void impliesWhenWildcardsThenOnlyTheirPart() {
    Permission read = Permission.parseRequired("p", "invoices:read");
    assertThat(grant("invoices:read").implies(read)).isTrue();
    assertThat(grant("invoices:*").implies(read)).isTrue();
    assertThat(grant("*:read").implies(read)).isTrue();
    assertThat(grant("*").implies(read)).isTrue();
    assertThat(grant("invoices:write").implies(read)).isFalse();
    assertThat(grant("*:write").implies(read)).isFalse();
    assertThat(grant("customers:*").implies(read)).isFalse();
    assertThat(grant("Invoices:read").implies(read)).as("case-sensitive").isFalse();
  }

  @Test
  void permissionSetWhenUnionOfGrantsThenSameAnswerAsImplies() {
    List<Permission> grants = List.of(grant("invoices:*"), grant("*:read"), grant("keys:manage-own"));
    PermissionSet set = PermissionSet.of(grants);
    for (String required : List.of("invoices:delete", "customers:read", "keys:manage-own", "customers:write", "keys:manage", "bank_accounts:write")) {
      Permission r = Permission.parseRequired("p", required);
      assertThat(set.allows(r)).as(required).isEqualTo(grants.stream().anyMatch(g -> g.implies(r)));
    }
    assertThat(PermissionSet.NONE.allows(Permission.VERIFY)).isFalse();
    assertThat(PermissionSet.of(List.of(Permission.ALL)).allows(Permission.VERIFY)).isTrue();
  }

  @Test
  void toStringWhenParsedThenRoundTrips() {
    for (String t : List.of("*", "invoices:*", "*:read", "a.b-c_d:x.y-z")) {
      assertThat(grant(t).toString()).isEqualTo(t);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "invoices", ":read", "invoices:", "a:b:c", "**", "**:read", "in voices:read", "inv*:read",
      "invoices:re*d", "é:read", "a\u0000:b", "x:y\n"})
  void parseGrantWhenMalformedThen400NamingField(String text) {
    assertThatThrownBy(() -> Permission.parseGrant("permissions[3]", text))
        .isInstanceOfSatisfying(KeywardException.class, e -> {
          assertThat(e.field()).isEqualTo("permissions[3]");
          assertThat(e.code().status()).isEqualTo(400);
        });
  }

  @ParameterizedTest
  @ValueSource(strings = {"*", "invoices:*", "*:read"})
  void parseRequiredWhenWildcardThenRefused(String text) {
    assertThatThrownBy(() -> Permission.parseRequired("permission", text)).isInstanceOf(KeywardException.class)
        .hasMessageContaining("without '*'");
  }

  @Test
  void dataAccessWhenComparedThenOrdered() {
    assertThat(DataAccess.READ_WRITE.permits(DataAccess.READ)).isTrue();
    assertThat(DataAccess.READ.permits(DataAccess.READ_WRITE)).isFalse();
    assertThat(DataAccess.NONE.permits(DataAccess.NONE)).isTrue();
    assertThat(DataAccess.fromWire("read_write")).contains(DataAccess.READ_WRITE);
    assertThat(DataAccess.fromWire("READ")).isEmpty();
  }
}
