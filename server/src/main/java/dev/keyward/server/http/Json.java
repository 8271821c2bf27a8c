package dev.keyward.server.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.keyward.core.error.Echo;
import dev.keyward.core.error.ErrorCode;
import dev.keyward.core.error.KeywardException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One strict JSON mapper: unknown fields, duplicate keys, type coercions ({@code 123} for a
 * string, {@code "admin"} for a list), lone surrogates, deep nesting and huge numbers are refused
 * with a 400 naming the field, never a 500.
 */
public final class Json {
  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .addModule(new JavaTimeModule())
      .build();

  static {
    MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
        .maxNestingDepth(32).maxNumberLength(64).maxStringLength(1 << 20).build());
    for (LogicalType t : new LogicalType[] {LogicalType.Textual, LogicalType.Boolean, LogicalType.Integer, LogicalType.Float, LogicalType.Collection, LogicalType.Array}) {
      var cfg = MAPPER.coercionConfigFor(t);
      for (CoercionInputShape s : new CoercionInputShape[] {CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean, CoercionInputShape.String, CoercionInputShape.EmptyString}) {
        cfg.setCoercion(s, CoercionAction.Fail);
      }
    }
  }

  private Json() {}

  public static byte[] write(Object value) {
    try {
      if (value instanceof Map<?, ?> map) {
        byte[] flat = writeFlat(map);
        if (flat != null) {
          return flat;
        }
      }
      return MAPPER.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  /**
   * A map of text keys to strings, numbers, booleans or nulls (the token answers) written with
   * the streaming generator: the same bytes as the mapper, without its per-call serializer look-ups.
   * Null when the map holds anything else.
   */
  static byte @Nullable [] writeFlat(Map<?, ?> map) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + 64 * map.size());
    try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          return null;
        }
        Object v = e.getValue();
        if (v instanceof String text) {
          g.writeStringField(key, text);
        } else if (v instanceof Long number) {
          g.writeNumberField(key, number);
        } else if (v instanceof Boolean bool) {
          g.writeBooleanField(key, bool);
        } else if (v instanceof Integer number) {
          g.writeNumberField(key, number);
        } else if (v == null) {
          g.writeNullField(key);
        } else {
          return null;
        }
      }
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  /** Parses a request body into {@code type}, refusing anything that is not exactly that shape. */
  public static <T> T read(byte[] body, Class<T> type) {
    if (!StrictUtf8.isValid(body)) {
      // Jackson accepts overlong forms (C0 AF reads as '/'); RFC 3629 does not.
      throw new KeywardException(ErrorCode.INVALID_JSON, "The body is not valid JSON: invalid UTF-8");
    }
    if (bindsDirectly(body)) {
      try {
        return MAPPER.readValue(body, type);
      } catch (IOException | RuntimeException e) {
        // Refused: the careful path below refuses it again, naming what is wrong.
      }
    }
    JsonNode tree;
    try {
      tree = MAPPER.readTree(body);
    } catch (IOException e) {
      throw new KeywardException(ErrorCode.INVALID_JSON, "The body is not valid JSON: " + describe(e), null, null, null);
    }
    if (tree == null || tree.isMissingNode()) {
      throw new KeywardException(ErrorCode.INVALID_JSON, "A JSON body is required");
    }
    if (!tree.isObject()) {
      throw new KeywardException(ErrorCode.INVALID_JSON, "The body must be a JSON object");
    }
    checkText(tree, "");
    try {
      return MAPPER.treeToValue(tree, type);
    } catch (UnrecognizedPropertyException e) {
      throw new KeywardException(ErrorCode.UNKNOWN_FIELD, "Unknown field " + Echo.quoted(e.getPropertyName()), Echo.quoted(e.getPropertyName()).startsWith("'") ? e.getPropertyName() : null, null, null);
    } catch (InvalidFormatException e) {
      String field = path(e);
      throw KeywardException.invalidField(field, "Field '" + field + "' has an invalid value");
    } catch (MismatchedInputException e) {
      String field = path(e);
      throw KeywardException.invalidField(field, "Field '" + field + "' has the wrong type");
    } catch (JsonMappingException e) {
      String field = path(e);
      Throwable cause = e.getCause();
      if (cause instanceof KeywardException k) {
        throw k;
      }
      throw KeywardException.invalidField(field, "Field '" + field + "' is invalid");
    } catch (JsonProcessingException e) {
      throw new KeywardException(ErrorCode.INVALID_JSON, "The body is not valid JSON");
    }
  }

  /**
   * The hottest bodies (a verification question) are flat objects of text fields: read them token
   * by token into {@code names}' slots, without the mapper's binding machinery. Null when the body
   * is anything else (an unknown or repeated field, a non-text value, an escape that could hide a
   * lone surrogate, trailing tokens): the caller then binds it with {@link #read}, which refuses
   * it naming the fault, or accepts what this reader left to it. Never a different answer.
   */
  public static @Nullable String @Nullable [] readFlat(byte[] body, List<String> names) {
    if (!StrictUtf8.isValid(body) || !bindsDirectly(body)) {
      return null;
    }
    String[] values = new String[names.size()];
    boolean[] seen = new boolean[names.size()];
    try (JsonParser p = MAPPER.getFactory().createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        int slot = names.indexOf(p.currentName());
        if (slot < 0 || seen[slot]) {
          return null;
        }
        seen[slot] = true;
        JsonToken v = p.nextToken();
        if (v == JsonToken.VALUE_STRING) {
          values[slot] = p.getText();
        } else if (v != JsonToken.VALUE_NULL) {
          return null;
        }
      }
      return t == JsonToken.END_OBJECT && p.nextToken() == null ? values : null;
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Whether the body can be bound in one pass, without the tree the careful path builds: an
   * object (a left brace first) without any backslash-u escape, the only way a JSON text holds an
   * unpaired surrogate once its bytes are strict UTF-8. The same mapper then refuses exactly what
   * the careful path refuses; only the error messages need that path.
   */
  static boolean bindsDirectly(byte[] body) {
    int i = 0;
    while (i < body.length && (body[i] == ' ' || body[i] == '\t' || body[i] == '\n' || body[i] == '\r')) {
      i++;
    }
    if (i == body.length || body[i] != '{') {
      return false;
    }
    for (int j = i; j < body.length - 1; j++) {
      if (body[j] == '\\' && body[j + 1] == 'u') {
        return false;
      }
    }
    return true;
  }

  private static void checkText(JsonNode node, String where) {
    if (node.isTextual()) {
      String s = node.textValue();
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
          if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
            throw KeywardException.invalidField(where, "Field '" + where + "' contains an unpaired surrogate");
          }
          i++;
        } else if (Character.isLowSurrogate(c)) {
          throw KeywardException.invalidField(where, "Field '" + where + "' contains an unpaired surrogate");
        }
      }
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        checkText(e.getValue(), where.isEmpty() ? e.getKey() : where + "." + e.getKey());
      }
    } else if (node.isArray()) {
      for (JsonNode child : node) {
        checkText(child, where);
      }
    }
  }

  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        if (sb.length() > 0) {
          sb.append('.');
        }
        sb.append(r.getFieldName());
      }
    }
    return sb.length() == 0 ? "body" : sb.toString();
  }

  private static String describe(IOException e) {
    if (e instanceof com.fasterxml.jackson.core.JsonParseException p) {
      String msg = p.getOriginalMessage();
      if (msg.contains("Duplicate field")) {
        return "duplicate field";
      }
      if (msg.contains("nesting depth")) {
        return "nested too deeply";
      }
      if (msg.contains("Number value length") || msg.contains("Number length")) {
        return "number too long";
      }
      if (msg.contains("UTF-8") || msg.contains("Invalid UTF")) {
        return "invalid UTF-8";
      }
      return "syntax error at line " + p.getLocation().getLineNr() + ", column " + p.getLocation().getColumnNr();
    }
    if (e instanceof com.fasterxml.jackson.core.exc.StreamConstraintsException) {
      return "exceeds a size limit";
    }
    return "unreadable";
  }
}
