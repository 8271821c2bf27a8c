package dev.keyward.server.ui;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** A browser as plain HTTP sees it: keeps cookies, follows no redirect, posts forms. */
final class FormClient {
  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
  private final String base;
  private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  final Map<String, String> cookies = new LinkedHashMap<>();

  FormClient(String base) {
    this.base = base;
  }

  record Page(int status, HttpResponse<String> response) {
    String body() {
      return response.body();
    }

    @Nullable String header(String name) {
      return response.headers().firstValue(name).orElse(null);
    }

    List<String> setCookies() {
      return response.headers().allValues("set-cookie");
    }

    String csrf() {
      Matcher m = CSRF.matcher(body());
      if (!m.find()) {
        throw new AssertionError("no CSRF field on the page: " + body());
      }
      return m.group(1);
    }
  }

  Page get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  /** Posts a form; pairs of name, value (names may repeat). */
  Page post(String path, String... pairs) {
    return post(path, List.of(), pairs);
  }

  Page post(String path, List<String> extraHeaders, String... pairs) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < pairs.length; i += 2) {
      parts.add(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8) + "=" + URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(String.join("&", parts)));
    for (int i = 0; i < extraHeaders.size(); i += 2) {
      b.header(extraHeaders.get(i), extraHeaders.get(i + 1));
    }
    return send(b);
  }

  private Page send(HttpRequest.Builder b) {
    if (!cookies.isEmpty()) {
      b.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; ")));
    }
    try {
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      for (String c : r.headers().allValues("set-cookie")) {
        String pair = c.split(";", 2)[0];
        int eq = pair.indexOf('=');
        String name = pair.substring(0, eq);
        String value = pair.substring(eq + 1);
        if (value.isEmpty()) {
          cookies.remove(name);
        } else {
          cookies.put(name, value);
        }
      }
      return new Page(r.statusCode(), r);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Signs in through the form; returns the answer to the form's POST. */
  Page signIn(String email, String password) {
    Page form = get("/ui/sign-in");
    return post("/ui/sign-in", "csrf", form.csrf(), "email", email, "password", password);
  }
}
