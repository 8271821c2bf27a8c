package dev.keyward.core.authz;

import static dev.keyward.core.testing.KeywardAssertions.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.core.authz.KeyAccess.CallersWire;
import dev.keyward.core.authz.KeyAccess.RateLimitWire;
import dev.keyward.core.authz.KeyAccess.Wire;
import dev.keyward.core.error.ErrorCode;
import dev.keyward.core.error.KeywardException;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** A key's access options: defaults, wire validation with field names, round trip and warnings. */
class KeyAccessTest {
  private static final Wire FULL = new Wire(
      List.of("algo://foo/*", "algo://foo/bar/*"),
      "read_write",
      true,
      new CallersWire(false, true, List.of("App.Example.com", "http://localhost:3000")),
      List.of("10.0.0.0/8", "2001:DB8::/32"),
      new RateLimitWire(100, 60),
      5_000L);

  private static String fieldOf(ThrowingCallable call) {
    KeywardException e = assertFails(call, ErrorCode.INVALID_REQUEST);
    return String.valueOf(e.field());
  }

  @Test
  void defaultWhenReadThenDenyByDefaultNativeOnlyAnyAddressNoLimits() {
    KeyAccess d = KeyAccess.DEFAULT;
    assertThat(d.resources().isEmpty()).isTrue();
    assertThat(d.resources().allows("algo://foo")).isFalse();
    assertThat(d.dataAccess()).isEqualTo(DataAccess.NONE);
    assertThat(d.manageAlgorithms()).isFalse();
    assertThat(d.callers()).isEqualTo(Callers.NATIVE_ONLY);
    assertThat(d.ipAllowlist().allowsAnyAddress()).isTrue();
    assertThat(d.rateLimit()).isNull();
    assertThat(d.quota()).isNull();
    assertThat(d.warnings()).isEmpty();
  }

  @Test
  void fromWireWhenEverythingAbsentThenDefault() {
    assertThat(KeyAccess.fromWire(Wire.EMPTY)).isEqualTo(KeyAccess.DEFAULT);
    Wire emptyObjects = new Wire(List.of(), null, false, new CallersWire(null, null, null), List.of(), null, null);
    assertThat(KeyAccess.fromWire(emptyObjects)).isEqualTo(KeyAccess.DEFAULT);
  }

  @Test
  void fromWireWhenFullThenParsedAndWarnings() {
    KeyAccess access = KeyAccess.fromWire(FULL);
    assertThat(access.resources().allows("algo://foo/x")).isTrue();
    assertThat(access.dataAccess()).isEqualTo(DataAccess.READ_WRITE);
    assertThat(access.manageAlgorithms()).isTrue();
    assertThat(access.callers().check(null).allowed()).isFalse();
    assertThat(access.callers().check("https://app.example.com").allowed()).isTrue();
    assertThat(access.ipAllowlist().allows("10.1.2.3")).isTrue();
    assertThat(access.ipAllowlist().allows("192.168.0.1")).isFalse();
    assertThat(access.rateLimit()).isEqualTo(new RateLimit(100, 60));
    assertThat(access.quota()).isEqualTo(5_000L);
    assertThat(access.warnings()).containsExactly("'algo://foo/bar/*' is already covered by 'algo://foo/*'");
  }

  @Test
  void toWireWhenParsedThenNormalisedAndRoundTrips() {
    KeyAccess access = KeyAccess.fromWire(FULL);
    Wire wire = access.toWire();
    assertThat(wire).isEqualTo(new Wire(
        List.of("algo://foo/*", "algo://foo/bar/*"),
        "read_write",
        true,
        new CallersWire(false, true, List.of("app.example.com", "http://localhost:3000")),
        List.of("10.0.0.0/8", "2001:db8::/32"),
        new RateLimitWire(100, 60),
        5_000L));
    assertThat(KeyAccess.fromWire(wire)).isEqualTo(access);
    assertThat(KeyAccess.DEFAULT.toWire()).isEqualTo(new Wire(
        List.of(), "none", false, new CallersWire(true, false, List.of()), List.of(), null, null));
    assertThat(KeyAccess.fromWire(KeyAccess.DEFAULT.toWire())).isEqualTo(KeyAccess.DEFAULT);
  }

  @Test
  void fromWireWhenBadMemberThenInvalidRequestNamingIt() {
    assertThat(fieldOf(() -> KeyAccess.fromWire(new Wire(List.of("algo://a", "algo://b", "algo://"), null, null, null, null, null, null))))
        .isEqualTo("resources[2]");
    assertThat(fieldOf(() -> KeyAccess.fromWire(new Wire(Arrays.asList("algo://a", null), null, null, null, null, null, null))))
        .isEqualTo("resources[1]");
    assertThat(fieldOf(() -> KeyAccess.fromWire(new Wire(null, "write", null, null, null, null, null)))).isEqualTo("dataAccess");
    assertThat(fieldOf(() -> KeyAccess.fromWire(new Wire(null, "READ", null, null, null, null, null)))).isEqualTo("dataAccess");
    assertThat(fieldOf(() -> KeyAccess.fromWire(new Wire(null, null, null, new CallersWire(null, true, List.of("a.com/x")), null, null, null))))
        .isEqualTo("callers.hostnames[0]");
    assertThat(fieldOf(() -> KeyAccess.fromWire(new Wire(null, null, null, new CallersWire(null, true, null), null, null, null))))
        .isEqualTo("callers.hostnames");
    assertThat(fieldOf(() -> KeyAccess.fromWire(new Wire(null, null, null, new CallersWire(false, false, null), null, null, null))))
        .isEqualTo("callers");
    assertThat(fieldOf(() -> KeyAccess.fromWire(new Wire(null, null, null, null, List.of("10.0.0.0/8", "10.0.0.1/8"), null, null))))
        .isEqualTo("ipAllowlist[1]");
    assertThat(fieldOf(() -> KeyAccess.fromWire(new Wire(null, null, null, null, null, new RateLimitWire(-1, 60), null))))
        .isEqualTo("rateLimit.limit");
    assertThat(fieldOf(() -> KeyAccess.fromWire(new Wire(null, null, null, null, null, new RateLimitWire(10, 86_401), null))))
        .isEqualTo("rateLimit.periodSeconds");
    assertThat(fieldOf(() -> KeyAccess.fromWire(new Wire(null, null, null, null, null, new RateLimitWire(10, null), null))))
        .isEqualTo("rateLimit.periodSeconds");
  }

  @Test
  void fromWireWhenQuotaAtBoundsThenAcceptedElseFieldNamed() {
    assertThat(KeyAccess.fromWire(new Wire(null, null, null, null, null, null, 0)).quota()).isZero();
    assertThat(KeyAccess.fromWire(new Wire(null, null, null, null, null, null, 1e12)).quota()).isEqualTo(1_000_000_000_000L);
    assertThat(fieldOf(() -> KeyAccess.fromWire(new Wire(null, null, null, null, null, null, -1)))).isEqualTo("quota");
    assertThat(fieldOf(() -> KeyAccess.fromWire(new Wire(null, null, null, null, null, null, 1_000_000_000_001L)))).isEqualTo("quota");
    assertThat(fieldOf(() -> KeyAccess.fromWire(new Wire(null, null, null, null, null, null, 2.5)))).isEqualTo("quota");
    assertThat(fieldOf(() -> new KeyAccess(ResourcePatterns.NONE, DataAccess.NONE, false, Callers.NATIVE_ONLY, IpAllowlist.ANY, null, -5L)))
        .isEqualTo("quota");
  }

  @Test
  void warningsWhenCoveredPatternsAndIdleHostnamesThenAllReported() {
    KeyAccess access = KeyAccess.fromWire(new Wire(
        List.of("algo://*", "algo://x", "algo://x"), null, null, new CallersWire(true, false, List.of("a.com")), null, null, null));
    assertThat(access.resources().texts()).hasSize(3);
    assertThat(access.warnings()).containsExactly(
        "'algo://x' is already covered by 'algo://*'",
        "'algo://x' is already covered by 'algo://*'",
        "'callers.hostnames' is ignored while browser calls are off");
  }
}
