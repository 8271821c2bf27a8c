package dev.keyward.core.authz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The origin and host name normaliser (FUZ-04 idempotence; BAD-41, BAD-42 shapes). */
class WebOriginTest {
  @ParameterizedTest
  @CsvSource({
      "https://app.example.com, https://app.example.com",
      "HTTPS://App.Example.COM, https://app.example.com",
      "https://app.example.com:443, https://app.example.com",
      "http://app.example.com:80, http://app.example.com",
      "http://app.example.com:443, http://app.example.com:443",
      "https://app.example.com., https://app.example.com",
      "http://localhost:3000, http://localhost:3000",
      "http://127.0.0.1:8080, http://127.0.0.1:8080",
      "https://b\u00fccher.example, https://xn--bcher-kva.example",
      "https://B\u00dcCHER.example, https://xn--bcher-kva.example",
      "https://xn--bcher-kva.example, https://xn--bcher-kva.example",
      "https://a\u3002com, https://a.com"})
  void parseWhenOriginThenNormalised(String text, String normalised) {
    WebOrigin origin = WebOrigin.parse(text).orElseThrow();
    assertThat(origin).hasToString(normalised);
    assertThat(WebOrigin.parse(normalised)).contains(origin);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "null", "*", "", "https://", "https://a.com/", "https://a.com/x", "https://a.com?x", "https://a.com#x",
      "https://user@a.com", "https://a.com@evil.com", "https://evil.com/a.com", "https://a.com\\@evil.com",
      "https://a.com:", "https://a.com:0", "https://a.com:0443", "https://a.com:65536", "https://a.com:+443",
      "https://a.com:44 3", "https://a.com:x", "https://a.com::443", "https://a%2ecom", "https://a.com ",
      " https://a.com", "https://a .com", "https://a.com\t", "https://[::1]", "http://[::1]:3000", "ws://a.com",
      "ftp://a.com", "https:/a.com", "//a.com", "a.com", "https://a..com", "https://.a.com", "https://-a.com",
      "https://a-.com", "https://a_b.com", "https://*.a.com", "https://a.com\u0000", "https://evil.com\uff0fa.com",
      "https://a.com\uff20evil.com", "https://a.com\uff1a443", "https://a.com..", "https://xn--.com"})
  void parseWhenNotAnOriginThenEmpty(String text) {
    assertThat(WebOrigin.parse(text)).isEmpty();
  }

  @Test
  void parseWhenHugeThenEmptyWithoutWork() {
    // BAD-42: a 10 KB Origin header.
    assertThat(WebOrigin.parse("https://" + "a".repeat(10_000) + ".com")).isEmpty();
    assertThat(WebOrigin.parse("https://" + "a.".repeat(5_000) + "com")).isEmpty();
  }

  @Test
  void normaliseWhenHostLengthsAtLimitsThenLimitsHold() {
    String label63 = "a".repeat(63);
    assertThat(HostNames.normalise(label63 + ".com")).isPresent();
    assertThat(HostNames.normalise(label63 + "a.com")).isEmpty();
    String host253 = (label63 + ".").repeat(3) + "b".repeat(61);
    assertThat(host253).hasSize(253);
    assertThat(HostNames.normalise(host253)).contains(host253);
    assertThat(HostNames.normalise(host253 + ".")).contains(host253);
    assertThat(HostNames.normalise(host253 + "b")).isEmpty();
  }

  @Test
  void constructorWhenNotNormalisedThenRefused() {
    assertThatThrownBy(() -> new WebOrigin("https", "A.com", 443)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new WebOrigin("ftp", "a.com", 21)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new WebOrigin("https", "a.com", 0)).isInstanceOf(IllegalArgumentException.class);
    assertThat(new WebOrigin("https", "a.com", 8443)).hasToString("https://a.com:8443");
  }

  /** FUZ-04: normalising twice is normalising once, for host names and for whole origins. */
  @Test
  void normaliseWhenRandomInputThenIdempotent() {
    String alphabet = "aAzZ09-._:/@%*\\ \u00fc\u00dc\u00df\u0430\u03b1\uff41\uff0e\u3002\u00ad\u200d\u0131\u0130";
    Random random = new Random(6454L);
    int valid = 0;
    for (int n = 0; n < 50_000; n++) {
      StringBuilder b = new StringBuilder();
      int length = 1 + random.nextInt(12);
      for (int i = 0; i < length; i++) {
        b.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String text = b.toString();
      Optional<String> host = HostNames.normalise(text);
      if (host.isPresent()) {
        valid++;
        assertThat(HostNames.normalise(host.get())).as("twice: %s", text).isEqualTo(host);
        assertThat(host.get()).matches("[a-z0-9.-]+").doesNotEndWith(".");
      }
      Optional<WebOrigin> origin = WebOrigin.parse((random.nextBoolean() ? "https://" : "HTTP://") + text);
      origin.ifPresent(o -> assertThat(WebOrigin.parse(o.toString())).as("twice: %s", text).contains(o));
    }
    assertThat(valid).as("valid hosts generated").isGreaterThan(1_000);
  }

  @Test
  void ofCallWhenOriginOrRefererOrNeitherThenBrowserOriginOrNullForNative() {
    assertThat(WebOrigin.ofCall("https://a.example", "https://b.example/x")).isEqualTo("https://a.example");
    assertThat(WebOrigin.ofCall(null, "https://app.example.com:8443/page?q=1#f")).isEqualTo("https://app.example.com:8443");
    assertThat(WebOrigin.ofCall(null, "https://app.example.com")).isEqualTo("https://app.example.com");
    assertThat(WebOrigin.ofCall(null, "android-app://x")).isEqualTo("android-app://x");
    assertThat(WebOrigin.ofCall(null, "garbage")).isEqualTo("null");
    assertThat(WebOrigin.ofCall(null, null)).isNull();
    Callers browser = Callers.parse("callers", false, true, java.util.List.of("app.example.com"));
    assertThat(browser.check(WebOrigin.ofCall(null, "https://app.example.com/dashboard")).allowed()).isTrue();
    assertThat(browser.check(WebOrigin.ofCall(null, "https://app.example.com.evil.test/dashboard")).allowed()).isFalse();
    assertThat(browser.check(WebOrigin.ofCall(null, "garbage")).allowed()).isFalse();
  }
}
