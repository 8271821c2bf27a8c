package dev.keyward.server.http;

import dev.keyward.core.error.ErrorCode;
import dev.keyward.core.error.KeywardException;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
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
  /** Made once: a header built per answer is validated per answer. */
  public static final Header NO_STORE = HeaderValues.create(HeaderNames.CACHE_CONTROL, "no-store");

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

  public static byte[] readBytes(ServerRequest req) {
    if (!req.content().hasEntity()) {
      return new byte[0];
    }
    // With a declared length (nearly always), read exactly that: reading "up to MAX_BODY + 1"
    // allocates and clears a 16 KiB buffer per request.
    // (A content coding would make the decoded length differ: then read as if none were declared.)
    long declared = req.headers().contains(HeaderNames.CONTENT_ENCODING) ? -1L : req.headers().contentLength().orElse(-1L);
    if (declared > MAX_BODY) {
      throw new KeywardException(ErrorCode.PAYLOAD_TOO_LARGE, "The request body is larger than " + MAX_BODY + " bytes");
    }
    try (InputStream in = req.content().inputStream()) {
      byte[] bytes = in.readNBytes(declared >= 0 ? (int) declared : MAX_BODY + 1);
      if (bytes.length > MAX_BODY) {
        throw new KeywardException(ErrorCode.PAYLOAD_TOO_LARGE, "The request body is larger than " + MAX_BODY + " bytes");
      }
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
    res.header(NO_STORE);
    res.send(Json.write(body));
  }
}
