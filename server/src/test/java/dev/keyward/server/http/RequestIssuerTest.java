package dev.keyward.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The strict Host form a derived issuer is built from. */
class RequestIssuerTest {
  @ParameterizedTest
  @CsvSource({
      "localhost, http://localhost",
      "localhost:8080, http://localhost:8080",
      "Auth.Example.COM, http://auth.example.com",
      "auth.example.com:443, http://auth.example.com:443",
      "my_service:8080, http://my_service:8080",
      "xn--bcher-kva.example, http://xn--bcher-kva.example",
      "127.0.0.1:65535, http://127.0.0.1:65535",
      "0.0.0.0:1, http://0.0.0.0:1",
      "[::1]:8080, http://[::1]:8080",
      "[::1], http://[::1]",
      "[::], http://[::]",
      "[2001:DB8::1], http://[2001:db8::1]",
      "[1:2:3:4:5:6:7:8], http://[1:2:3:4:5:6:7:8]",
      "[::ffff:192.0.2.1]:80, http://[::ffff:192.0.2.1]:80",
      "[1::2:192.0.2.1], http://[1::2:192.0.2.1]"})
  void baseUrlWhenStrictHostThenSchemeAndLowerCasedHost(String host, String expected) {
    assertThat(RequestIssuer.baseUrl(false, host)).contains(expected);
    assertThat(RequestIssuer.baseUrl(true, host)).contains(expected.replace("http://", "https://"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ":8080", "example.com.", ".example.com", "a..b", "-a.example", "a-.example", "a b", "a\tb",
      "a!b", "a$b", "a&b", "a'b", "a(b)", "a*b", "a+b", "a,b", "a;b", "a=b", "a~b", "a%41b", "user@host", "host/path",
      "host?x", "host#x", "host:0", "host:00", "host:080", "host:65536", "host:99999", "host:123456", "host:", "host:-1",
      "host:+80", "host:8080:1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "256.0.0.1", "1234", "[::1", "::1", "[::1]8080", "[::1]:",
      "[::1]:0", "[:::1]", "[1::2::3]", "[1:2:3:4:5:6:7]", "[1:2:3:4:5:6:7:8:9]", "[12345::1]", "[g::1]", "[fe80::1%25eth0]",
      "[1.2.3.4]", "[::1.2.3]", "[:1::2]", "[1::2:]", "é.example", "ａ.example"})
  void baseUrlWhenNotStrictThenEmpty(String host) {
    assertThat(RequestIssuer.baseUrl(false, host)).as("Host %s", host).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(ints = {63, 64})
  void baseUrlWhenLabelOf63CharsThenAcceptedAnd64Refused(int length) {
    String host = "a".repeat(length) + ".example";
    assertThat(RequestIssuer.baseUrl(false, host).isPresent()).isEqualTo(length <= 63);
  }

  @ParameterizedTest
  @ValueSource(ints = {253, 254})
  void baseUrlWhenNameOf253CharsThenAcceptedAnd254Refused(int length) {
    String host = String.join(".", java.util.Collections.nCopies(5, "a".repeat(49))) + "." + "b".repeat(length - 250);
    assertThat(host).hasSize(length);
    assertThat(RequestIssuer.baseUrl(false, host).isPresent()).isEqualTo(length <= 253);
  }
}
