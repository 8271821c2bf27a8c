package dev.keyward.client.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.keyward.client.KeywardError;
import dev.keyward.client.KeywardException;
import dev.keyward.client.Secret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The client's one JSON mapper: unknown members are ignored (a newer server may answer more),
 * times are ISO-8601 instants and secrets shown once are read into {@link Secret}s. Only
 * jackson-databind is needed, no extra module.
 */
public final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
      .registerModule(new SimpleModule("keyward-client")
          .addDeserializer(Instant.class, new InstantReader())
          .addSerializer(Instant.class, new InstantWriter())
          .addDeserializer(Secret.class, new SecretReader()));

  private Json() {}

  public static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads an answer.
   *
   * @throws KeywardException {@code invalid_answer} when it is not the JSON expected
   */
  public static <T> T read(byte[] body, Class<T> type) {
    try {
      return MAPPER.readValue(body, type);
    } catch (IOException | IllegalArgumentException e) {
      throw invalid(type.getSimpleName(), e);
    }
  }

  public static JsonNode tree(byte[] body) {
    try {
      JsonNode node = MAPPER.readTree(body);
      if (node == null || !node.isObject()) {
        throw new IOException("not a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw invalid("JSON object", e);
    }
  }

  public static <T> T convert(JsonNode node, Class<T> type) {
    try {
      return MAPPER.treeToValue(node, type);
    } catch (IOException | IllegalArgumentException e) {
      throw invalid(type.getSimpleName(), e);
    }
  }

  private static KeywardException invalid(String what, Exception e) {
    // The cause names the JSON position, never the content: answers may hold secrets.
    return new KeywardException(KeywardError.local("invalid_answer", "Keyward answered something that is not a valid " + what
        + ": is the base URL that of a Keyward server?"), new IOException(e.getClass().getSimpleName()));
  }

  private static final class InstantReader extends JsonDeserializer<Instant> {
    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      try {
        return Instant.parse(p.getValueAsString());
      } catch (DateTimeParseException | NullPointerException e) {
        throw new IOException("not an ISO-8601 instant");
      }
    }
  }

  private static final class InstantWriter extends JsonSerializer<Instant> {
    @Override
    public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
      gen.writeString(value.toString());
    }
  }

  private static final class SecretReader extends JsonDeserializer<Secret> {
    @Override
    public Secret deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      String text = p.getValueAsString();
      if (text == null || text.isBlank()) {
        throw new IOException("an empty secret");
      }
      return Secret.of(text);
    }
  }
}
