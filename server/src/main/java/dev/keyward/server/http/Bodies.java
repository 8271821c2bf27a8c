package dev.keyward.server.http;

import dev.keyward.core.error.ErrorCode;
import dev.keyward.core.error.KeywardException;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.OptionalLong;

/** Reading JSON request bodies and writing JSON answers. */
public final class Bodies {
  /** Largest JSON body accepted by the API (64 KiB); larger ones get 413. */
  public static final int MAX_BODY = 64 * 1024;
  /** Every JSON answer says its charset. */
  public static final Header JSON_TYPE = HeaderValues.create(HeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");

  private Bodies() {}

  /** Reads a JSON object into {@code type}: 415 for another content type, 413 when too large. */
  public static <T> T read(ServerRequest req, Class<T> type) {
    String contentType = req.headers().first(HeaderNames.CONTENT_TYPE).orElse("");
    if (!isJson(contentType)) {
      throw new KeywardException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          "Send the body as 'Content-Type: application/json' (UTF-8)");
    }
    return Json.read(readBytes(req), type);
  }

  /** The raw bytes of a JSON body (415 for another content type, 413 when too large), for bodies read twice. */
  public static byte[] readJsonBytes(ServerRequest req) {
    String contentType = req.headers().first(HeaderNames.CONTENT_TYPE).orElse("");
    if (!isJson(contentType)) {
      throw new KeywardException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
          "Send the body as 'Content-Type: application/json' (UTF-8)");
    }
    return readBytes(req);
  }

  static boolean isJson(String contentType) {
    String ct = contentType.toLowerCase(Locale.ROOT).replace(" ", "");
    return ct.equals("application/json") || ct.equals("application/json;charset=utf-8");
  }

  static byte[] readBytes(ServerRequest req) {
    if (!req.content().hasEntity()) {
      return new byte[0];
    }
    OptionalLong declared = req.headers().contentLength();
    try (InputStream in = req.content().inputStream()) {
      // With a Content-Length, read exactly that: readNBytes(MAX_BODY + 1) would allocate a
      // 16 KiB buffer per request whatever the body's size (a third of what the verification
      // API allocated under load).
      byte[] bytes = declared.isPresent() && declared.getAsLong() <= MAX_BODY
          ? in.readNBytes((int) declared.getAsLong())
          : readChunked(in);
      if (bytes.length > MAX_BODY) {
        throw new KeywardException(ErrorCode.PAYLOAD_TOO_LARGE, "The request body is larger than " + MAX_BODY + " bytes");
      }
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A body of unknown length, read in small steps up to one byte past the limit. */
  private static byte[] readChunked(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    byte[] chunk = new byte[1024];
    int n;
    while (out.size() <= MAX_BODY && (n = in.read(chunk, 0, Math.min(chunk.length, MAX_BODY + 1 - out.size()))) > 0) {
      out.write(chunk, 0, n);
    }
    return out.toByteArray();
  }

  public static void ok(ServerResponse res, Object body) {
    send(res, 200, body);
  }

  public static void created(ServerResponse res, Object body) {
    send(res, 201, body);
  }

  /** A 200 with a JSON body already written (by a hand-written writer for the hottest answers). */
  public static void okJson(ServerResponse res, byte[] json) {
    res.status(Status.OK_200);
    res.header(Bodies.JSON_TYPE);
    res.header(HeaderNames.CACHE_CONTROL, "no-store");
    res.send(json);
  }

  public static void send(ServerResponse res, int status, Object body) {
    res.status(Status.create(status));
    res.header(Bodies.JSON_TYPE);
    res.header(HeaderNames.CACHE_CONTROL, "no-store");
    res.send(Json.write(body));
  }
}
