package dev.keyward.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyward.server.testing.TestHttp;
import dev.keyward.server.testing.TestHttp.Auth;
import dev.keyward.server.testing.TestHttp.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The test client used by this package's ITs: every answer passes through here, is kept, and a
 * 5xx fails the test at once ("a 500 on client input is a bug"). {@link #assertNoServerErrors()}
 * is the final check of a class, and also proves that requests were made at all.
 */
final class GuardedHttp {
  static final String JSON_UTF8 = "application/json; charset=utf-8";

  /** One answer with what was asked, for the secret scan and failure messages. */
  record Exchange(String request, Response response) {}

  private final TestHttp http;
  private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

  GuardedHttp(TestHttp http) {
    this.http = http;
  }

  Response get(String path, Auth auth, String... headers) {
    return seen("GET " + path, http.get(path, auth, headers));
  }

  Response delete(String path, Auth auth) {
    return seen("DELETE " + path, http.delete(path, auth));
  }

  Response post(String path, Auth auth, @Nullable Object json) {
    return seen("POST " + path, http.post(path, auth, json));
  }

  Response patch(String path, Auth auth, Object json) {
    return seen("PATCH " + path, http.patch(path, auth, json));
  }

  Response send(String method, String path, Auth auth, @Nullable String body, @Nullable String contentType) {
    return seen(method + " " + path, http.send(method, path, auth, body, contentType));
  }

  Response raw(byte[] request) {
    String text = new String(request, StandardCharsets.ISO_8859_1);
    int eol = text.indexOf("\r\n");
    return seen("raw " + (eol < 0 ? text : text.substring(0, eol)), http.raw(request));
  }

  Response rawGet(String path, String... headerLines) {
    return seen("raw GET " + path, http.rawGet(path, headerLines));
  }

  List<Exchange> exchanges() {
    return List.copyOf(exchanges);
  }

  private Response seen(String request, Response r) {
    exchanges.add(new Exchange(request, r));
    assertThat(r.status()).as("server error on %s: %s", request, r).isLessThan(500);
    return r;
  }

  /** The final assertion of a class: requests were made, and none was answered with a 5xx. */
  void assertNoServerErrors() {
    assertThat(exchanges).as("no request went through the guard").isNotEmpty();
    assertThat(exchanges).as("answers with a 5xx").noneMatch(e -> e.response().status() >= 500);
  }

  // ----- waiting -----

  /** Waits until {@code condition} holds, failing after {@code timeout}. */
  static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("timed out waiting until " + what).isNegative();
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** Polls {@code value} until {@code done} accepts it; returns that value. */
  static <T> T poll(String what, Duration timeout, Supplier<T> value, Predicate<T> done) {
    List<T> last = new ArrayList<>(1);
    await(what, timeout, () -> {
      T v = value.get();
      last.clear();
      last.add(v);
      return done.test(v);
    });
    return last.get(0);
  }

  // ----- assertions on error answers -----

  /** Status, JSON content type, {@code error} code, a message and a request id. */
  static JsonNode assertError(Response r, int status, String error) {
    assertThat(r.status()).as("status of %s", r).isEqualTo(status);
    assertThat(r.header("content-type")).as("content type of %s", r).isEqualTo(JSON_UTF8);
    JsonNode body = r.json();
    assertThat(body.path("error").asText()).as("error code of %s", r).isEqualTo(error);
    assertThat(body.path("message").asText()).as("message of %s", r).isNotBlank();
    assertThat(body.path("request_id").asText()).as("request_id of %s", r).isNotBlank();
    if (status == 401) {
      String challenges = String.join(", ", r.headerValues("www-authenticate"));
      assertThat(challenges).as("WWW-Authenticate of %s", r).contains("Bearer realm=").contains("Basic realm=");
    }
    return body;
  }

  /** As {@link #assertError} and names the field. */
  static JsonNode assertFieldError(Response r, int status, String error, String field) {
    JsonNode body = assertError(r, status, error);
    assertThat(body.path("field").asText()).as("field of %s", r).isEqualTo(field);
    return body;
  }
}
