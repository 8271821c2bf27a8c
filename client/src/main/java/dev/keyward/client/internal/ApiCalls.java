package dev.keyward.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyward.client.KeywardException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Calls of Keyward's JSON API, signed by the token source: a JSON body in, the answer's JSON out,
 * a refusal thrown as the matching {@link KeywardException}, a failure to reach the server as an
 * {@link dev.keyward.client.UnavailableException}.
 */
public final class ApiCalls {
  private final Exchanges exchanges;
  private final TokenSource tokens;
  private final URI base;

  public ApiCalls(Exchanges exchanges, TokenSource tokens, URI base) {
    this.exchanges = exchanges;
    this.tokens = tokens;
    this.base = base;
  }

  /** {@code path} relative to the base URL, e.g. {@code api/v1/users}; the answer's JSON, null for 204. */
  public @Nullable JsonNode call(String method, String path, @Nullable Object body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).header("Accept", "application/json");
    if (body != null) {
      b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(Json.write(body)));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    String what = method + " /" + path.replaceFirst("\\?.*", "");
    HttpResponse<byte[]> r;
    try {
      r = exchanges.send(b.build(), HttpResponse.BodyHandlers.ofByteArray(), tokens, true);
    } catch (IOException e) {
      throw Errors.from(e, what);
    } catch (InterruptedException e) {
      throw Errors.interrupted(e);
    }
    if (r.statusCode() >= 300) {
      throw Errors.from(r, exchanges.clock());
    }
    return r.statusCode() == 204 || r.body().length == 0 ? null : Json.tree(r.body());
  }

  /** The same, for calls that always answer a body. */
  public JsonNode answer(String method, String path, @Nullable Object body) {
    JsonNode node = call(method, path, body);
    if (node == null) {
      throw new KeywardException(dev.keyward.client.KeywardError.local("invalid_answer", "Keyward answered no body to " + method + " " + path));
    }
    return node;
  }

  public <T> T answer(String method, String path, @Nullable Object body, Class<T> type) {
    return Json.convert(answer(method, path, body), type);
  }

  /** A path segment, percent-encoded (ids and role names need none, but a caller's input might). */
  public static String segment(String value) {
    if (value.isEmpty()) {
      throw new IllegalArgumentException("An id or name cannot be empty");
    }
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** A query parameter value, percent-encoded. */
  public static String query(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
