package dev.keyward.core.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.core.error.KeywardException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who the caller is behind proxies (SECURITY-TESTS ASVS-13, BAD-45). */
class TrustedProxiesTest {
  private static final TrustedProxies BEHIND_LB = TrustedProxies.of("trustedProxies", List.of("10.0.0.0/8", "192.168.1.7"));

  @Test
  void resolveWhenNoProxyIsTrustedThenThePeerWhateverForwardedForSays() {
    assertThat(TrustedProxies.NONE.resolve("203.0.113.9", List.of("127.0.0.1"))).isEqualTo("203.0.113.9");
    assertThat(TrustedProxies.of("trustedProxies", List.of()).resolve("203.0.113.9", List.of("10.1.1.1"))).isEqualTo("203.0.113.9");
  }

  @Test
  void resolveWhenPeerIsNotTrustedThenSpoofedForwardedForIsIgnored() {
    assertThat(BEHIND_LB.resolve("203.0.113.9", List.of("127.0.0.1"))).isEqualTo("203.0.113.9");
    assertThat(BEHIND_LB.resolve("203.0.113.9", List.of("10.1.2.3"))).isEqualTo("203.0.113.9");
  }

  @Test
  void resolveWhenPeerIsTrustedThenRightMostUntrustedEntry() {
    assertThat(BEHIND_LB.resolve("10.0.0.2", List.of("198.51.100.4"))).isEqualTo("198.51.100.4");
    assertThat(BEHIND_LB.resolve("10.0.0.2", List.of("6.6.6.6, 198.51.100.4, 10.9.9.9"))).isEqualTo("198.51.100.4");
    assertThat(BEHIND_LB.resolve("192.168.1.7", List.of(" 198.51.100.4 ,10.9.9.9 "))).isEqualTo("198.51.100.4");
  }

  @Test
  void resolveWhenSeveralHeadersThenReadAsOneListInOrder() {
    assertThat(BEHIND_LB.resolve("10.0.0.2", List.of("6.6.6.6", "198.51.100.4", "10.2.2.2"))).isEqualTo("198.51.100.4");
    assertThat(BEHIND_LB.resolve("10.0.0.2", List.of("198.51.100.4", "6.6.6.6"))).isEqualTo("6.6.6.6");
  }

  @Test
  void resolveWhenPeerIsTrustedButSendsNoForwardedForThenThePeer() {
    assertThat(BEHIND_LB.resolve("10.0.0.2", List.of())).isEqualTo("10.0.0.2");
  }

  @Test
  void resolveWhenEveryEntryIsATrustedProxyThenTheLeftMost() {
    assertThat(BEHIND_LB.resolve("10.0.0.2", List.of("10.3.3.3, 10.4.4.4"))).isEqualTo("10.3.3.3");
  }

  @Test
  void resolveWhenTheChosenEntryIsNotAnAddressThenUnknown() {
    for (String garbage : List.of("garbage", "unknown", "198.51.100.4:443", "[2001:db8::1]", "", "010.0.0.1", "1.2.3.4.5",
        "fe80::1%eth0", "_hidden", "2001:db8::1/64")) {
      assertThat(BEHIND_LB.resolve("10.0.0.2", List.of(garbage))).as(garbage).isNull();
      assertThat(BEHIND_LB.resolve("10.0.0.2", List.of("198.51.100.4, " + garbage))).as(garbage).isNull();
    }
    assertThat(BEHIND_LB.resolve("10.0.0.2", List.of("198.51.100.4,"))).as("empty last entry").isNull();
  }

  @Test
  void resolveWhenGarbageIsLeftOfTheCallerThenTheCallerAllTheSame() {
    assertThat(BEHIND_LB.resolve("10.0.0.2", List.of("garbage, 198.51.100.4"))).isEqualTo("198.51.100.4");
  }

  @Test
  void resolveWhenIpv4MappedAddressesThenTrustedLikeTheirIpv4Form() {
    assertThat(BEHIND_LB.resolve("::ffff:10.0.0.2", List.of("198.51.100.4"))).as("mapped peer in 10/8").isEqualTo("198.51.100.4");
    assertThat(BEHIND_LB.resolve("10.0.0.2", List.of("198.51.100.4, ::ffff:10.0.0.1"))).as("mapped proxy entry skipped")
        .isEqualTo("198.51.100.4");
    assertThat(BEHIND_LB.resolve("10.0.0.2", List.of("::ffff:198.51.100.4"))).isEqualTo("::ffff:198.51.100.4");
  }

  @Test
  void resolveWhenIpv6ThenAsIpv4() {
    TrustedProxies v6 = TrustedProxies.of("trustedProxies", List.of("2001:db8::/32"));
    assertThat(v6.resolve("2001:db8::5", List.of("2001:db8:ffff::1, 2a00::7, 2001:db8::9"))).isEqualTo("2a00::7");
    assertThat(v6.resolve("2001:db9::5", List.of("2a00::7"))).isEqualTo("2001:db9::5");
  }

  @Test
  void resolveWhenNoPeerThenUnknown() {
    assertThat(BEHIND_LB.resolve(null, List.of("198.51.100.4"))).isNull();
    assertThat(BEHIND_LB.isTrusted(null)).isFalse();
  }

  @Test
  void trustingWhenAnEntryIsNotAnAddressOrRangeThen400NamingIt() {
    assertThatThrownBy(() -> TrustedProxies.of("trustedProxies", List.of("10.0.0.0/8", "proxy.internal")))
        .isInstanceOf(KeywardException.class)
        .satisfies(e -> assertThat(((KeywardException) e).field()).isEqualTo("trustedProxies[1]"));
    assertThatThrownBy(() -> TrustedProxies.of("trustedProxies", List.of("10.0.0.0/33"))).isInstanceOf(KeywardException.class);
  }
}
