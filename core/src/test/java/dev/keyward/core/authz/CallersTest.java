package dev.keyward.core.authz;

import static dev.keyward.core.testing.KeywardAssertions.assertFails;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.core.authz.CallerCheck.Reason;
import dev.keyward.core.error.ErrorCode;
import dev.keyward.core.error.KeywardException;
import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Allowed callers: native and browser calls, host name entries and exact origin matching (BAD-41, FUZ-04). */
class CallersTest {
  private static Callers browser(String... hostnames) {
    return Callers.parse("callers", false, true, List.of(hostnames));
  }

  private static @Nullable Reason refusal(Callers callers, @Nullable String origin) {
    return callers.check(origin) instanceof CallerCheck.Refused r ? r.reason() : null;
  }

  @Test
  void checkWhenNativeOnlyDefaultThenNoOriginAllowedAndAnyOriginRefused() {
    Callers callers = Callers.NATIVE_ONLY;
    assertThat(callers.check(null)).isEqualTo(new CallerCheck.Allowed(null));
    assertThat(refusal(callers, "https://a.com")).isEqualTo(Reason.ORIGIN_NOT_ALLOWED);
    assertThat(callers.check("https://a.com")).isInstanceOfSatisfying(CallerCheck.Refused.class,
        r -> assertThat(r.message()).isEqualTo("This key does not accept browser calls"));
    assertThat(callers.nativeCalls()).isTrue();
    assertThat(callers.browser()).isFalse();
    assertThat(callers.hostnames()).isEmpty();
  }

  @Test
  void checkWhenBrowserOnlyAndNoOriginThenDistinctRefusal() {
    Callers callers = browser("a.com");
    assertThat(refusal(callers, null)).isEqualTo(Reason.NATIVE_NOT_ALLOWED);
    assertThat(callers.check(null).allowed()).isFalse();
    Callers both = Callers.parse("callers", true, true, List.of("a.com"));
    assertThat(both.check(null).allowed()).isTrue();
    assertThat(both.check("https://a.com").allowed()).isTrue();
  }

  @Test
  void checkWhenOriginEqualsEntryAfterNormalisationThenAllowedWithNormalisedOrigin() {
    Callers callers = browser("a.com");
    assertThat(callers.check("https://a.com")).isEqualTo(new CallerCheck.Allowed("https://a.com"));
    assertThat(callers.check("HTTPS://A.COM")).isEqualTo(new CallerCheck.Allowed("https://a.com"));
    assertThat(callers.check("https://a.com:443")).isEqualTo(new CallerCheck.Allowed("https://a.com"));
    assertThat(callers.check("https://a.com.")).isEqualTo(new CallerCheck.Allowed("https://a.com"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "null", "", "*", "https://a.com.evil.com", "https://evil.com/a.com", "https://a.com@evil.com",
      "https://evil.com@a.com", "https://a.com/", "http://a.com", "https://a.com:8443", "https://a.com:80",
      "https://evila.com", "https://b.a.com", "https://a.co", "https://a.com\\@evil.com", "https://a.com%2f.evil.com",
      "https://a.com ", "ws://a.com", "a.com", "//a.com", "https://a.com..", "https://xn--a-com.evil"})
  void checkWhenOriginDiffersThenOriginNotAllowed(String origin) {
    assertThat(refusal(browser("a.com"), origin)).isEqualTo(Reason.ORIGIN_NOT_ALLOWED);
  }

  @Test
  void checkWhenHugeOriginThenRefused() {
    assertThat(refusal(browser("a.com"), "https://" + "a.".repeat(5_000) + "a.com")).isEqualTo(Reason.ORIGIN_NOT_ALLOWED);
  }

  @Test
  void checkWhenWildcardThenSubdomainsOverHttpsOnly() {
    Callers callers = browser("*.a.com");
    assertThat(callers.check("https://x.a.com")).isEqualTo(new CallerCheck.Allowed("https://x.a.com"));
    assertThat(callers.check("https://x.y.a.com").allowed()).isTrue();
    assertThat(callers.check("https://X.A.COM.").allowed()).isTrue();
    assertThat(refusal(callers, "https://a.com")).isEqualTo(Reason.ORIGIN_NOT_ALLOWED);
    assertThat(refusal(callers, "https://evila.com")).isEqualTo(Reason.ORIGIN_NOT_ALLOWED);
    assertThat(refusal(callers, "https://x.evila.com")).isEqualTo(Reason.ORIGIN_NOT_ALLOWED);
    assertThat(refusal(callers, "https://x.a.com.evil.com")).isEqualTo(Reason.ORIGIN_NOT_ALLOWED);
    assertThat(refusal(callers, "http://x.a.com")).isEqualTo(Reason.ORIGIN_NOT_ALLOWED);
    assertThat(refusal(callers, "https://x.a.com:8443")).isEqualTo(Reason.ORIGIN_NOT_ALLOWED);
    assertThat(refusal(callers, "https://.a.com")).isEqualTo(Reason.ORIGIN_NOT_ALLOWED);
  }

  @Test
  void checkWhenFullOriginEntryThenExactlyThatSchemeHostAndPort() {
    Callers callers = browser("http://localhost:3000", "https://*.a.com:8443");
    assertThat(callers.check("http://localhost:3000").allowed()).isTrue();
    assertThat(callers.check("http://LOCALHOST:3000").allowed()).isTrue();
    assertThat(callers.check("http://localhost").allowed()).isFalse();
    assertThat(callers.check("https://localhost:3000").allowed()).isFalse();
    assertThat(callers.check("http://localhost:3001").allowed()).isFalse();
    assertThat(callers.check("https://x.a.com:8443").allowed()).isTrue();
    assertThat(callers.check("https://x.a.com").allowed()).isFalse();
  }

  @Test
  void checkWhenIdnThenUnicodeAndPunycodeAreOneHost() {
    assertThat(browser("b\u00fccher.example").check("https://xn--bcher-kva.example"))
        .isEqualTo(new CallerCheck.Allowed("https://xn--bcher-kva.example"));
    assertThat(browser("xn--bcher-kva.example").check("https://B\u00fccher.example").allowed()).isTrue();
    assertThat(browser("*.b\u00fccher.example").check("https://shop.xn--bcher-kva.example").allowed()).isTrue();
    assertThat(browser("b\u00fccher.example").check("https://bucher.example").allowed()).isFalse();
  }

  @Test
  void allowOriginHeaderWhenAllowedThenNormalisedOriginElseNothingAndNeverStar() {
    Callers callers = Callers.parse("callers", true, true, List.of("a.com"));
    assertThat(callers.allowOriginHeader("HTTPS://A.com:443")).contains("https://a.com");
    assertThat(callers.allowOriginHeader("https://evil.com")).isEmpty();
    assertThat(callers.allowOriginHeader("*")).isEmpty();
    assertThat(callers.allowOriginHeader("null")).isEmpty();
    assertThat(callers.allowOriginHeader(null)).isEmpty();
    assertThat(Callers.NATIVE_ONLY.allowOriginHeader("https://a.com")).isEmpty();
  }

  @Test
  void parseWhenEntriesThenWireFormNormalisedAndRoundTrips() {
    Callers callers = Callers.parse("callers", true, true, List.of(
        "App.Example.COM.", "*.Example.com", "HTTP://LocalHost:3000", "https://a.com:443", "https://b.com:8443",
        "b\u00fccher.example", "http://c.com:80", "https://*.d.com"));
    assertThat(callers.hostnames()).containsExactly(
        "app.example.com", "*.example.com", "http://localhost:3000", "a.com", "https://b.com:8443",
        "xn--bcher-kva.example", "http://c.com", "*.d.com");
    assertThat(Callers.parse("callers", true, true, callers.hostnames())).isEqualTo(callers);
    assertThat(callers.warnings()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "app.example.com/path", "https://app.example.com/", "user@app.example.com", "https://user:pw@app.example.com",
      "*", "*.com", "*.", "*.*.example.com", "foo.*.example.com", "*example.com", "app.example.com:8443",
      "ftp://a.com", "", " ", "a..com", "-a.com", "a_b.com", "*.1.2.3", "http://", "https://:443", "[::1]",
      "http://[::1]:3000", "https://a.com?x=1", "https://a.com#f", "a.com\u0000", "null"})
  void parseWhenBadEntryThenInvalidRequestNamingIt(String entry) {
    KeywardException e = assertFails(() -> browser("ok.example.com", entry), ErrorCode.INVALID_REQUEST);
    assertThat(e.field()).isEqualTo("callers.hostnames[1]");
  }

  @Test
  void parseWhenEntryTooLongThenRefused() {
    String label = "a".repeat(63) + ".";
    String host = label.repeat(3) + "b".repeat(62); // 254 characters
    KeywardException e = assertFails(() -> browser(host), ErrorCode.INVALID_REQUEST);
    assertThat(e.field()).isEqualTo("callers.hostnames[0]");
    assertThat(e.publicMessage()).contains("253");
    assertThat(browser(host.substring(1)).hostnames()).hasSize(1);
  }

  @Test
  void parseWhenTooManyEntriesThenRefusedNamingTheList() {
    List<String> many = new ArrayList<>();
    for (int i = 0; i < Callers.MAX_HOSTNAMES; i++) {
      many.add("h" + i + ".example.com");
    }
    assertThat(Callers.parse("callers", false, true, many).hostnames()).hasSize(100);
    many.add("one-more.example.com");
    KeywardException e = assertFails(() -> Callers.parse("callers", false, true, many), ErrorCode.INVALID_REQUEST);
    assertThat(e.field()).isEqualTo("callers.hostnames");
  }

  @Test
  void parseWhenBrowserWithoutHostnamesOrNoCallerKindThenRefused() {
    KeywardException noHosts = assertFails(() -> Callers.parse("callers", true, true, List.of()), ErrorCode.INVALID_REQUEST);
    assertThat(noHosts.field()).isEqualTo("callers.hostnames");
    assertThat(noHosts.publicMessage()).contains("must name the host names");
    KeywardException none = assertFails(() -> Callers.parse("callers", false, false, List.of()), ErrorCode.INVALID_REQUEST);
    assertThat(none.field()).isEqualTo("callers");
    KeywardException nul = assertFails(
        () -> Callers.parse("callers", false, true, Arrays.asList("a.com", null)), ErrorCode.INVALID_REQUEST);
    assertThat(nul.field()).isEqualTo("callers.hostnames[1]");
  }

  @Test
  void parseWhenHostnamesWhileBrowserOffThenKeptWithWarning() {
    Callers callers = Callers.parse("callers", true, false, List.of("a.com"));
    assertThat(callers.hostnames()).containsExactly("a.com");
    assertThat(callers.warnings()).containsExactly("'callers.hostnames' is ignored while browser calls are off");
    assertThat(callers.check("https://a.com").allowed()).isFalse();
  }

  /**
   * FUZ-04: origins assembled from hostile parts. Whenever one is allowed, an independent parser
   * (java.net.URI) reads the same scheme and port and a host under the entry's registrable name:
   * normalising never lets a different host through.
   */
  @Test
  void checkWhenRandomHostileOriginsThenAllowedOnlyForTheEntryHosts() throws URISyntaxException {
    Callers callers = browser("a.com", "*.a.com", "http://localhost:3000", "b\u00fccher.example");
    String[] schemes = {"https", "http", "HTTPS", "ftp", "", "https:"};
    String[] separators = {"://", "://", ":/", "//", ":///"};
    String[] users = {"", "", "", "evil.com@", "a.com@", "u:p@"};
    String[] hosts = {"a.com", "x.a.com", "A.COM", "a.com.", "evila.com", "a.com.evil.com", "a.co", "com", "localhost",
        "x.y.a.com", "xn--bcher-kva.example", "bucher.example", ".a.com", "a..com", "a.com%2e", "a\u3002com", "x.a\uff0ecom"};
    String[] ports = {"", "", ":443", ":80", ":8443", ":", ":0443", ":3000", ":65536"};
    String[] tails = {"", "", "", "/", "/a.com", "?a.com", "#a.com", "\\@a.com", " ", ".evil.com", "@evil.com"};
    Random random = new Random(20260101L);
    int allowed = 0;
    for (int n = 0; n < 200_000; n++) {
      String origin = pick(random, schemes) + pick(random, separators) + pick(random, users) + pick(random, hosts)
          + pick(random, ports) + pick(random, tails);
      if (!callers.check(origin).allowed()) {
        continue;
      }
      allowed++;
      String ascii = origin.chars().allMatch(c -> c < 0x80) ? origin : asciiHost(origin);
      URI uri = new URI(ascii);
      String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
      assertThat(uri.getRawUserInfo()).as(origin).isNull();
      assertThat(uri.getRawPath()).as(origin).isEmpty();
      assertThat(uri.getRawQuery()).as(origin).isNull();
      assertThat(uri.getRawFragment()).as(origin).isNull();
      String host = uri.getHost().toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
      int port = uri.getPort() < 0 ? (scheme.equals("https") ? 443 : 80) : uri.getPort();
      boolean aCom = scheme.equals("https") && port == 443 && (host.equals("a.com") || host.endsWith(".a.com"));
      boolean local = scheme.equals("http") && port == 3000 && host.equals("localhost");
      boolean idn = scheme.equals("https") && port == 443 && host.equals("xn--bcher-kva.example");
      assertThat(aCom || local || idn).as("allowed %s read as %s://%s:%d", origin, scheme, host, port).isTrue();
    }
    assertThat(allowed).as("allowed origins among the random ones").isGreaterThan(400);
  }

  private static String pick(Random random, String[] options) {
    return options[random.nextInt(options.length)];
  }

  /** The reference reading of a non-ASCII origin: the JDK's IDNA on the host part only. */
  private static String asciiHost(String origin) {
    int start = origin.indexOf("://") + 3;
    int end = origin.indexOf(':', start) < 0 ? origin.length() : origin.indexOf(':', start);
    return origin.substring(0, start) + IDN.toASCII(origin.substring(start, end)) + origin.substring(end);
  }
}
