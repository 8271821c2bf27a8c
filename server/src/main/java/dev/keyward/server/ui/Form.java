package dev.keyward.server.ui;

import dev.keyward.core.error.KeywardException;
import dev.keyward.server.http.Bodies;
import dev.keyward.server.http.StrictUtf8;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** An {@code application/x-www-form-urlencoded} body (UTF-8, at most {@link Bodies#MAX_BODY}), repeated names kept. */
final class Form {
  private final Map<String, List<String>> values;

  private Form(Map<String, List<String>> values) {
    this.values = values;
  }

  static Form read(ServerRequest req) {
    String type = req.headers().first(HeaderNames.CONTENT_TYPE).orElse("").toLowerCase(Locale.ROOT).replace(" ", "");
    if (!type.equals("application/x-www-form-urlencoded") && !type.equals("application/x-www-form-urlencoded;charset=utf-8")) {
      throw KeywardException.invalid("Forms are sent as application/x-www-form-urlencoded");
    }
    String text = StrictUtf8.decode(Bodies.readBytes(req));
    if (text == null) {
      throw KeywardException.invalid("The form is not valid UTF-8");
    }
    return parse(text);
  }

  static Form parse(String text) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (!text.isEmpty()) {
      for (String pair : text.split("&", -1)) {
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        out.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
      }
    }
    return new Form(out);
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw KeywardException.invalid("The form is not correctly encoded");
    }
  }

  /** The first value, stripped; null when absent or blank. */
  @Nullable String get(String name) {
    List<String> v = values.get(name);
    if (v == null || v.isEmpty() || v.get(0).isBlank()) {
      return null;
    }
    return v.get(0).strip();
  }

  /** The first value as typed (passwords are not stripped); null when absent or empty. */
  @Nullable String raw(String name) {
    List<String> v = values.get(name);
    return v == null || v.isEmpty() || v.get(0).isEmpty() ? null : v.get(0);
  }

  String get(String name, String fallback) {
    String v = get(name);
    return v == null ? fallback : v;
  }

  boolean checked(String name) {
    return values.containsKey(name);
  }

  /** Every non-blank value of a repeated field (checkboxes). */
  List<String> all(String name) {
    return values.getOrDefault(name, List.of()).stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
  }
}
