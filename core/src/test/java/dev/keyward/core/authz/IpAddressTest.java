package dev.keyward.core.authz;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The literal-only address parser, checked against the JDK's own literal parser. */
class IpAddressTest {
  @ParameterizedTest
  @CsvSource({
      "0.0.0.0, 0.0.0.0",
      "255.255.255.255, 255.255.255.255",
      "192.168.1.7, 192.168.1.7",
      "::ffff:10.0.0.1, 10.0.0.1",
      "::FFFF:a00:1, 10.0.0.1",
      "::1, ::1",
      "::, ::",
      "2001:DB8:0:0:0:0:0:1, 2001:db8::1",
      "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
      "2001:0db8:0000:0000:0000:ff00:0042:8329, 2001:db8::ff00:42:8329",
      "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
      "1:0:0:2:0:0:0:3, 1:0:0:2::3",
      "1::, 1::",
      "1:2:3:4:5:6:7::, 1:2:3:4:5:6:7:0",
      "::2:3:4:5:6:7:8, 0:2:3:4:5:6:7:8",
      "::1.2.3.4, ::102:304",
      "64:ff9b::192.0.2.33, 64:ff9b::c000:221",
      "fe80::1, fe80::1"})
  void parseWhenLiteralThenCanonicalForm(String text, String canonical) {
    assertThat(IpAddress.parse(text)).hasValueSatisfying(a -> assertThat(a).hasToString(canonical));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", "localhost", "example.com", "10.0.0", "10.0.0.0.0", "256.0.0.1", "10.0.0.01", "010.0.0.1", "1.2.3.4.",
      ".1.2.3.4", "1..2.3", "0x7f.0.0.1", "2130706433", " 10.0.0.1", "10.0.0.1 ", "+1.2.3.4", "1.2.3.-4",
      "\u0661.2.3.4", ":", ":::", "1:::2", "1::2::3", ":1:2:3:4:5:6:7", "1:2:3:4:5:6:7:", "1:2:3:4:5:6:7",
      "1:2:3:4:5:6:7:8:9", "::1:2:3:4:5:6:7:8", "12345::", "g::1", "::ffff:1.2.3", "::1.2.3.4:5", "1.2.3.4::",
      "fe80::1%eth0", "fe80::1%1", "[::1]", "::1/128", "[::1]:80", "10.0.0.1:80", "\uff11.2.3.4", "::\uff41",
      "0000000000000000000000000000000000000000000000000000001::"})
  void parseWhenNotALiteralThenEmpty(String text) {
    assertThat(IpAddress.parse(text)).isEmpty();
  }

  @Test
  void parseWhenRandomLiteralsThenSameBitsAsTheJdk() throws UnknownHostException {
    // Differential test: the generated strings are always literals, so InetAddress never resolves them.
    Random random = new Random(4291L);
    for (int n = 0; n < 20_000; n++) {
      String text = random.nextInt(4) == 0 ? randomIpv4(random) : randomIpv6(random);
      InetAddress jdk = InetAddress.getByName(text);
      IpAddress ours = IpAddress.parse(text).orElseThrow(() -> new AssertionError("refused " + text));
      assertThat(ours.toString()).as(text).isEqualTo(canonical(jdk));
      assertThat(IpAddress.parse(ours.toString())).as("round trip of %s", text).contains(ours);
    }
  }

  @Test
  void samePrefixWhenBoundariesThenExact() {
    IpAddress a = IpAddress.parse("10.255.255.255").orElseThrow();
    IpAddress b = IpAddress.parse("11.0.0.0").orElseThrow();
    assertThat(a.samePrefix(b, 96 + 7)).isTrue();
    assertThat(a.samePrefix(b, 96 + 8)).isFalse();
    assertThat(a.samePrefix(b, 0)).isTrue();
    IpAddress c = IpAddress.parse("2001:db8::").orElseThrow();
    IpAddress d = IpAddress.parse("2001:db8::1").orElseThrow();
    assertThat(c.samePrefix(d, 127)).isTrue();
    assertThat(c.samePrefix(d, 128)).isFalse();
    assertThat(c.masked(64)).isEqualTo(d.masked(64)).hasSameHashCodeAs(d.masked(64));
    assertThat(d.masked(128)).isEqualTo(d);
    assertThat(d.masked(0)).hasToString("::");
  }

  private static String canonical(InetAddress jdk) {
    if (jdk instanceof Inet4Address) {
      return jdk.getHostAddress();
    }
    byte[] bytes = jdk.getAddress();
    StringBuilder full = new StringBuilder();
    for (int i = 0; i < 16; i += 2) {
      full.append(i == 0 ? "" : ":").append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff)));
    }
    // RFC 5952 by hand from the full form: the longest run of two or more zero groups, leftmost on ties.
    String[] groups = full.toString().split(":");
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; i++) {
      int j = i;
      while (j < 8 && groups[j].equals("0")) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
    }
    if (bestStart < 0) {
      return full.toString();
    }
    String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
    String tail = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLength, 8));
    return head + "::" + tail;
  }

  private static String randomIpv4(Random random) {
    return random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256);
  }

  private static String randomIpv6(Random random) {
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = random.nextInt(3) == 0 ? 0 : random.nextInt(random.nextBoolean() ? 0x10 : 0x10000);
    }
    if (random.nextInt(5) == 0) {
      groups[0] = 0;
      groups[1] = 0;
      groups[2] = 0;
      groups[3] = 0;
      groups[4] = 0;
      groups[5] = 0xffff;
    }
    boolean v4Tail = random.nextInt(4) == 0;
    String[] texts = new String[8];
    for (int i = 0; i < 8; i++) {
      String hex = Integer.toHexString(groups[i]);
      texts[i] = random.nextInt(4) == 0 ? hex.toUpperCase(java.util.Locale.ROOT) : random.nextInt(4) == 0 ? "0".repeat(4 - hex.length()) + hex : hex;
    }
    int count = v4Tail ? 6 : 8;
    // Shorten one random run of zero groups, if any, with '::'.
    int start = random.nextInt(count);
    int end = start;
    while (end < count && groups[end] == 0) {
      end++;
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < count; i++) {
      if (end > start && i == start) {
        b.append("::");
        i = end - 1;
        continue;
      }
      if (b.length() > 0 && b.charAt(b.length() - 1) != ':') {
        b.append(':');
      }
      b.append(texts[i]);
    }
    if (v4Tail) {
      if (b.length() > 0 && b.charAt(b.length() - 1) != ':') {
        b.append(':');
      }
      b.append(groups[6] >> 8).append('.').append(groups[6] & 0xff).append('.').append(groups[7] >> 8).append('.').append(groups[7] & 0xff);
    }
    return b.toString();
  }
}
