package dev.keyward.server.http;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Strict UTF-8 (RFC 3629): malformed and overlong sequences and encoded surrogates are refused,
 * never replaced. Plain ASCII, what nearly every request body is, is taken as it is without a
 * charset decoder (making one costs more than decoding a short body).
 */
public final class StrictUtf8 {
  private StrictUtf8() {}

  /** The text of {@code bytes[0, length)}, or null when they are not valid UTF-8. */
  static @Nullable String decode(byte[] bytes, int length) {
    int i = 0;
    while (i < length && bytes[i] >= 0) {
      i++;
    }
    if (i == length) {
      return new String(bytes, 0, length, StandardCharsets.ISO_8859_1); // ASCII: one byte, one char
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, 0, length))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  public static @Nullable String decode(byte[] bytes) {
    return decode(bytes, bytes.length);
  }

  static boolean isValid(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0) {
        return decode(bytes) != null;
      }
    }
    return true;
  }
}
