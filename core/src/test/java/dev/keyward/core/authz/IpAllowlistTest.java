package dev.keyward.core.authz;

import static dev.keyward.core.testing.KeywardAssertions.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.core.error.ErrorCode;
import dev.keyward.core.error.KeywardException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** CIDR allow-lists: parsing without DNS, edge prefixes, range boundaries and IPv4-mapped callers (BAD-45). */
class IpAllowlistTest {
  private static IpAllowlist list(String... entries) {
    return IpAllowlist.parse("ipAllowlist", List.of(entries));
  }

  @Test
  void parseWhenValidEntriesThenNormalisedWithPrefix() {
    IpAllowlist l = list("10.0.0.0/8", "192.168.1.7", "2001:DB8::/32", "::1", "::ffff:10.0.0.0/104", "0.0.0.0/0", "::/0");
    assertThat(l.texts()).containsExactly(
        "10.0.0.0/8", "192.168.1.7/32", "2001:db8::/32", "::1/128", "10.0.0.0/8", "0.0.0.0/0", "::/0");
    assertThat(IpAllowlist.parse("ipAllowlist", l.texts())).isEqualTo(l);
    assertThat(l.allowsAnyAddress()).isFalse();
  }

  @Test
  void allowsWhenEmptyThenAnyAddressEvenGarbage() {
    assertThat(IpAllowlist.ANY.allows("203.0.113.9")).isTrue();
    assertThat(IpAllowlist.ANY.allows("2001:db8::1")).isTrue();
    assertThat(list().allowsAnyAddress()).isTrue();
    assertThat(list()).isEqualTo(IpAllowlist.ANY);
  }

  @Test
  void allowsWhenIpv4RangeThenBoundariesExact() {
    IpAllowlist l = list("10.0.0.0/8", "192.168.1.7");
    assertThat(l.allows("10.0.0.0")).isTrue();
    assertThat(l.allows("10.255.255.255")).isTrue();
    assertThat(l.allows("9.255.255.255")).isFalse();
    assertThat(l.allows("11.0.0.0")).isFalse();
    assertThat(l.allows("192.168.1.7")).isTrue();
    assertThat(l.allows("192.168.1.6")).isFalse();
    assertThat(l.allows("192.168.1.8")).isFalse();
  }

  @Test
  void allowsWhenOddPrefixThenOnlyThoseBits() {
    IpAllowlist l = list("172.16.0.0/12", "2001:db8:8000::/33");
    assertThat(l.allows("172.16.0.0")).isTrue();
    assertThat(l.allows("172.31.255.255")).isTrue();
    assertThat(l.allows("172.32.0.0")).isFalse();
    assertThat(l.allows("172.15.255.255")).isFalse();
    assertThat(l.allows("2001:db8:8000::")).isTrue();
    assertThat(l.allows("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff")).isTrue();
    assertThat(l.allows("2001:db8:7fff:ffff:ffff:ffff:ffff:ffff")).isFalse();
    assertThat(l.allows("2001:db9::")).isFalse();
  }

  @Test
  void allowsWhenIpv6RangeAndHostThenBoundariesExact() {
    IpAllowlist l = list("2001:db8::/32", "::1");
    assertThat(l.allows("2001:db8::")).isTrue();
    assertThat(l.allows("2001:0db8:ffff:ffff:ffff:ffff:ffff:ffff")).isTrue();
    assertThat(l.allows("2001:db7:ffff:ffff:ffff:ffff:ffff:ffff")).isFalse();
    assertThat(l.allows("2001:db9::")).isFalse();
    assertThat(l.allows("::1")).isTrue();
    assertThat(l.allows("0:0:0:0:0:0:0:1")).isTrue();
    assertThat(l.allows("::2")).isFalse();
    assertThat(l.allows("127.0.0.1")).isFalse();
  }

  @Test
  void allowsWhenSlashZeroThenWholeFamilyAndIpv6ZeroCoversIpv4Too() {
    IpAllowlist v4 = list("0.0.0.0/0");
    assertThat(v4.allows("1.2.3.4")).isTrue();
    assertThat(v4.allows("255.255.255.255")).isTrue();
    assertThat(v4.allows("::ffff:1.2.3.4")).isTrue();
    assertThat(v4.allows("2001:db8::1")).isFalse();
    IpAllowlist v6 = list("::/0");
    assertThat(v6.allows("2001:db8::1")).isTrue();
    assertThat(v6.allows("1.2.3.4")).isTrue();
  }

  @Test
  void allowsWhenHostPrefixesThenExactlyThatAddress() {
    assertThat(list("1.2.3.4/32").allows("1.2.3.4")).isTrue();
    assertThat(list("1.2.3.4/32").allows("1.2.3.5")).isFalse();
    assertThat(list("2001:db8::1/128").allows("2001:db8::1")).isTrue();
    assertThat(list("2001:db8::1/128").allows("2001:db8::")).isFalse();
    assertThat(list("2001:db8::1/128").allows("2001:db8::1:0")).isFalse();
  }

  @Test
  void allowsWhenIpv4MappedThenSameAsIpv4BothWays() {
    // BAD-45: one address, two spellings, one answer.
    IpAllowlist v4 = list("10.0.0.0/8");
    assertThat(v4.allows("::ffff:10.0.0.1")).isTrue();
    assertThat(v4.allows("::FFFF:a00:1")).isTrue();
    assertThat(v4.allows("::ffff:11.0.0.1")).isFalse();
    assertThat(v4.allows("::10.0.0.1")).as("IPv4-compatible is not mapped").isFalse();
    IpAllowlist mapped = list("::ffff:10.0.0.0/104");
    assertThat(mapped.allows("10.0.0.1")).isTrue();
    assertThat(mapped.allows("11.0.0.1")).isFalse();
    assertThat(list("::ffff:192.168.1.7").allows("192.168.1.7")).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "fe80::1%eth0", "fe80::1%1", "[::1]", "10.0.0.1:443", "[2001:db8::1]:443", "localhost", "example.com",
      "10.0.0.01", "10.0.0", " 10.0.0.1", "", "10.0.0.1/32", "unknown", "\u0661\u0660.0.0.1"})
  void allowsWhenCallerAddressNotAPlainLiteralThenRefusedByNonEmptyList(String caller) {
    assertThat(list("0.0.0.0/0", "::/0").allows(caller)).isFalse();
    assertThat(IpAllowlist.ANY.allows(caller)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "localhost", "example.com", "10.0.0.0/33", "2001:db8::/129", "10.0.0.0/-1", "10.0.0.0/ 8", "10.0.0.0/8 ",
      "10.0.0.0/", "10.0.0.0/08", "10.0.0.0/+8", "10.0.0.0/8/8", "10.0.0.0/1000", "/8", "10.0.0.0\\8", "10.0.0",
      "10.0.0.256", "garbage", "", " ", "fe80::1%eth0/64", "[::1]", "[::1]/128", "*", "10.0.0.*", "10.0.0.0-10.0.0.9",
      "0x0a.0.0.0/8", "::1/128\u0000", "1.2.3.4/\u0663\u0662"})
  void parseWhenBadEntryThenInvalidRequestNamingTheEntry(String entry) {
    KeywardException e = assertFails(() -> list("10.0.0.0/8", entry), ErrorCode.INVALID_REQUEST);
    assertThat(e.field()).isEqualTo("ipAllowlist[1]");
  }

  @Test
  void parseWhenHostBitsSetThenRefusedWithTheNormalisedRangeSuggested() {
    KeywardException v4 = assertFails(() -> list("10.0.0.1/8"), ErrorCode.INVALID_REQUEST);
    assertThat(v4.field()).isEqualTo("ipAllowlist[0]");
    assertThat(v4.publicMessage()).contains("did you mean '10.0.0.0/8'?");
    KeywardException v6 = assertFails(() -> list("2001:db8::1/32"), ErrorCode.INVALID_REQUEST);
    assertThat(v6.publicMessage()).contains("did you mean '2001:db8::/32'?");
    assertThat(assertFails(() -> list("::ffff:10.0.0.1/104"), ErrorCode.INVALID_REQUEST).publicMessage())
        .contains("did you mean '10.0.0.0/8'?");
  }

  @Test
  void parseWhenPrefixTooLongThenMessageGivesTheRangeForTheFamily() {
    assertThat(assertFails(() -> list("10.0.0.0/33"), ErrorCode.INVALID_REQUEST).publicMessage())
        .contains("0 to 32 for an IPv4 address");
    assertThat(assertFails(() -> list("::/129"), ErrorCode.INVALID_REQUEST).publicMessage())
        .contains("0 to 128 for an IPv6 address");
    assertThat(assertFails(() -> list("example.com"), ErrorCode.INVALID_REQUEST).publicMessage())
        .contains("host names are not resolved");
  }

  @Test
  void parseWhenAtMostLimitThenAcceptedAndOneMoreRefused() {
    List<String> many = new ArrayList<>();
    for (int i = 0; i < IpAllowlist.MAX_ENTRIES; i++) {
      many.add("10.0." + i + ".0/24");
    }
    assertThat(IpAllowlist.parse("ipAllowlist", many).allows("10.0.255.1")).isTrue();
    many.add("10.1.0.0/16");
    KeywardException e = assertFails(() -> IpAllowlist.parse("ipAllowlist", many), ErrorCode.INVALID_REQUEST);
    assertThat(e.field()).isEqualTo("ipAllowlist");
    assertThat(e.publicMessage()).contains("at most 256").contains("257");
  }

  @Test
  void parseWhenNullEntryThenInvalidRequestNamingIt() {
    KeywardException e = assertFails(
        () -> IpAllowlist.parse("ipAllowlist", Arrays.asList("10.0.0.0/8", null)), ErrorCode.INVALID_REQUEST);
    assertThat(e.field()).isEqualTo("ipAllowlist[1]");
  }
}
