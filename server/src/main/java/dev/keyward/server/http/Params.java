package dev.keyward.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyward.core.token.OAuthException;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Map.Entry;
import org.jspecify.annotations.Nullable;

/**
 * The flat string parameters of an OAuth request, from a form-encoded or a JSON body (both are
 * accepted, in UTF-8). Repeated parameters, values that are not strings and bad percent-encoding
 * are refused with {@code invalid_request} (RFC 6749 §3.2); a body of another media type or
 * charset, or one without a Content-Type, with 415 in the same shape (SECURITY-TESTS BAD-31,
 * BAD-32). No body at all reads as no parameters. Empty values count as absent.
 */
public final class Params {
  private final Map<String, String> values;

  private Params(Map<String, String> values) {
    this.values = values;
  }

  public @Nullable String get(String name) {
    String v = values.get(name);
    return v == null || v.isEmpty() ? null : v;
  }

  public static Params read(ServerRequest req) {
    String contentType = req.headers().first(HeaderNames.CONTENT_TYPE).orElse("").toLowerCase(Locale.ROOT).replace(" ", "");
    byte[] body = Bodies.readBytes(req);
    if (contentType.startsWith("application/x-www-form-urlencoded")) {
      if (!contentType.equals("application/x-www-form-urlencoded") && !contentType.equals("application/x-www-form-urlencoded;charset=utf-8")) {
        throw OAuthException.unsupportedMediaType("Form bodies must be UTF-8 (no other charset)");
      }
      return form(body);
    }
    if (Bodies.isJson(contentType)) {
      return json(body);
    }
    if (contentType.isEmpty() && body.length == 0) {
      return new Params(new HashMap<>());
    }
    if (contentType.startsWith("application/json;")) {
      throw OAuthException.unsupportedMediaType("JSON bodies must be UTF-8 (no other charset)");
    }
    throw OAuthException.unsupportedMediaType("Send the parameters as application/x-www-form-urlencoded or application/json (UTF-8)");
  }

  static Params form(byte[] body) {
    String text = StrictUtf8.decode(body);
    if (text == null) {
      throw new OAuthException(OAuthException.Code.INVALID_REQUEST, "The body is not valid UTF-8");
    }
    Map<String, String> out = new HashMap<>();
    if (text.isEmpty()) {
      return new Params(out);
    }
    for (String pair : text.split("&", -1)) {
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      if (out.put(name, value) != null) {
        throw new OAuthException(OAuthException.Code.INVALID_REQUEST, "A parameter is repeated");
      }
    }
    return new Params(out);
  }

  /**
   * Percent-decoding with '+' as space, then strict UTF-8: malformed bytes are refused, not
   * replaced. The input is already valid text (the body was decoded strictly), so a value without
   * '%' or '+' is its own decoding.
   */
  static String decode(String s) {
    if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
      return s;
    }
    byte[] in = s.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[in.length];
    int n = 0;
    for (int i = 0; i < in.length; i++) {
      byte b = in[i];
      if (b == '+') {
        out[n++] = ' ';
      } else if (b == '%') {
        int hi = i + 2 < in.length ? hex(in[i + 1]) : -1;
        int lo = i + 2 < in.length ? hex(in[i + 2]) : -1;
        if (hi < 0 || lo < 0) {
          throw new OAuthException(OAuthException.Code.INVALID_REQUEST, "The body has invalid percent-encoding");
        }
        out[n++] = (byte) (hi * 16 + lo);
        i += 2;
      } else {
        out[n++] = b;
      }
    }
    String text = StrictUtf8.decode(out, n);
    if (text == null) {
      throw new OAuthException(OAuthException.Code.INVALID_REQUEST, "The body has percent-encoded bytes that are not UTF-8");
    }
    return text;
  }

  /** The value of an ASCII hexadecimal digit (RFC 3986 HEXDIG), or -1. */
  private static int hex(byte b) {
    if (b >= '0' && b <= '9') {
      return b - '0';
    }
    if (b >= 'A' && b <= 'F') {
      return b - 'A' + 10;
    }
    if (b >= 'a' && b <= 'f') {
      return b - 'a' + 10;
    }
    return -1;
  }

  static Params json(byte[] body) {
    JsonNode tree;
    try {
      tree = Json.MAPPER.readTree(body);
    } catch (java.io.IOException e) {
      throw new OAuthException(OAuthException.Code.INVALID_REQUEST, "The body is not valid JSON");
    }
    if (tree == null || !tree.isObject()) {
      throw new OAuthException(OAuthException.Code.INVALID_REQUEST, "The body must be a JSON object");
    }
    Map<String, String> out = new HashMap<>();
    for (Entry<String, JsonNode> e : tree.properties()) {
      if (!e.getValue().isTextual()) {
        throw new OAuthException(OAuthException.Code.INVALID_REQUEST, "Every parameter must be a string");
      }
      out.put(e.getKey(), e.getValue().textValue());
    }
    return new Params(out);
  }
}
