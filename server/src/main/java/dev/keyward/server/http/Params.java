package dev.keyward.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyward.core.token.OAuthException;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
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
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
    } catch (CharacterCodingException e) {
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

  /** Percent-decoding with '+' as space, then strict UTF-8: malformed bytes are refused, not replaced. */
  static String decode(String s) {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '+') {
        bytes.write(' ');
      } else if (c == '%') {
        if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0 || Character.digit(s.charAt(i + 2), 16) < 0) {
          throw new OAuthException(OAuthException.Code.INVALID_REQUEST, "The body has invalid percent-encoding");
        }
        bytes.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
          b = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        bytes.write(b, 0, b.length);
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
    } catch (CharacterCodingException e) {
      throw new OAuthException(OAuthException.Code.INVALID_REQUEST, "The body has percent-encoded bytes that are not UTF-8");
    }
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
