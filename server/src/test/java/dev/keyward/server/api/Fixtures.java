package dev.keyward.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyward.server.testing.TestHttp;
import dev.keyward.server.testing.TestHttp.Auth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** Small helpers shared by the API integration tests: make users and keys, compare answers. */
final class Fixtures {
  static final String JSON_TYPE = "application/json; charset=utf-8";

  private Fixtures() {}

  /** A user as created: its id, email and the secrets shown once. */
  record NewUser(String id, String email, @Nullable String password, String defaultKey, String defaultKeyId, JsonNode json) {
    Auth basic() {
      assertThat(password).as("user %s has no known password", email).isNotNull();
      return Auth.basic(email, password);
    }

    Auth key() {
      return Auth.bearer(defaultKey);
    }
  }

  /** A key as created. */
  record NewKey(String id, String key, JsonNode json) {
    Auth bearer() {
      return Auth.bearer(key);
    }
  }

  static String email(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 12) + "@example.com";
  }

  /** A programmatic user with a generated password. */
  static NewUser programmatic(TestHttp http, Auth admin, String... roles) {
    return create(http, admin, Map.of("email", email("svc"), "name", "Service", "programmatic", true, "roles", List.of(roles)), null);
  }

  /** A person with a chosen password. */
  static NewUser person(TestHttp http, Auth admin, String... roles) {
    String password = "pw-" + UUID.randomUUID();
    return create(http, admin, Map.of("email", email("person"), "name", "Person", "programmatic", false,
        "password", password, "roles", List.of(roles)), password);
  }

  private static NewUser create(TestHttp http, Auth admin, Map<String, Object> body, @Nullable String knownPassword) {
    TestHttp.Response r = http.post("/api/v1/users", admin, body);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    JsonNode j = r.json();
    String password = knownPassword != null ? knownPassword : j.path("password").asText(null);
    return new NewUser(j.path("id").asText(), j.path("email").asText(), password, j.path("defaultKey").asText(),
        j.path("defaultKeyId").asText(), j);
  }

  static NewKey key(TestHttp http, Auth auth, Map<String, ?> body) {
    TestHttp.Response r = http.post("/api/v1/keys", auth, body);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return new NewKey(r.text("id"), r.text("key"), r.json());
  }

  /** An admin key of the caller (who must be an owner or admin signed in with a password). */
  static NewKey adminKey(TestHttp http, Auth admin) {
    return key(http, admin, Map.of("name", "admin-" + UUID.randomUUID(), "admin", true, "environment", "production"));
  }

  /** The user id of the caller. */
  static String me(TestHttp http, Auth auth, String... headers) {
    TestHttp.Response r = http.get("/api/v1/me", auth, headers);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.text("userId");
  }

  /** The field names of a JSON object, sorted. */
  static TreeSet<String> fields(JsonNode object) {
    assertThat(object.isObject()).as("not an object: %s", object).isTrue();
    TreeSet<String> names = new TreeSet<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  static TreeSet<String> set(String... names) {
    return new TreeSet<>(Arrays.asList(names));
  }

  /** An error body without its request id, which differs on every answer. */
  static JsonNode withoutRequestId(TestHttp.Response r) {
    JsonNode j = r.json().deepCopy();
    assertThat(j.path("request_id").asText()).as("request_id of %s", r).isNotBlank();
    ((ObjectNode) j).remove("request_id");
    return j;
  }

  /** Asserts a JSON error answer: status, code, the JSON content type and a request id. */
  static JsonNode assertError(TestHttp.Response r, int status, String error) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.header("content-type")).isEqualTo(JSON_TYPE);
    assertThat(r.error()).as(r.body()).isEqualTo(error);
    assertThat(r.text("message")).isNotBlank();
    assertThat(r.text("request_id")).isNotBlank();
    return r.json();
  }

  /** The elements of an array field as a list. */
  static List<JsonNode> items(JsonNode array) {
    assertThat(array.isArray()).as("not an array: %s", array).isTrue();
    List<JsonNode> out = new ArrayList<>();
    for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }

  static List<String> texts(JsonNode array, String field) {
    return items(array).stream().map(n -> n.path(field).asText()).toList();
  }

  /** Runs {@code n} copies of {@code call} released at the same instant; returns the statuses by count. */
  static Map<Integer, List<TestHttp.Response>> parallel(int n, Supplier<TestHttp.Response> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch ready = new CountDownLatch(n);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<TestHttp.Response>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Callable<TestHttp.Response> task = () -> {
          ready.countDown();
          go.await();
          return call.get();
        };
        futures.add(pool.submit(task));
      }
      ready.await();
      go.countDown();
      Map<Integer, List<TestHttp.Response>> byStatus = new LinkedHashMap<>();
      for (Future<TestHttp.Response> f : futures) {
        TestHttp.Response r = f.get();
        byStatus.computeIfAbsent(r.status(), s -> new ArrayList<>()).add(r);
      }
      return byStatus;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Polls {@code check} until it holds or {@code millis} pass; returns how long it took. */
  static long eventually(long millis, Supplier<Boolean> check) throws InterruptedException {
    long start = System.nanoTime();
    while (true) {
      if (check.get()) {
        return (System.nanoTime() - start) / 1_000_000;
      }
      if ((System.nanoTime() - start) / 1_000_000 > millis) {
        throw new AssertionError("condition not met within " + millis + " ms");
      }
      Thread.sleep(25);
    }
  }

  /** A well-formed id that exists nowhere. */
  static String unknownId(String prefix) {
    return prefix + "_" + "Zz9" + UUID.randomUUID().toString().replace("-", "").substring(0, 19);
  }
}
