package dev.keyward.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A small HTTP client for tests: JSON in, status + headers + JSON out; and raw requests. */
public final class TestHttp {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String base;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public TestHttp(String base) {
    this.base = base;
  }

  public String base() {
    return base;
  }

  /** An Authorization header value (or none). */
  public record Auth(@Nullable String header) {
    public static final Auth NONE = new Auth(null);

    public static Auth bearer(String token) {
      return new Auth("Bearer " + token);
    }

    public static Auth basic(String user, String password) {
      return new Auth("Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    public static Auth raw(String header) {
      return new Auth(header);
    }
  }

  /** An answer: status, headers (lower-case names), body text and its JSON (null if not JSON). */
  public record Response(int status, Map<String, List<String>> headers, String body) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (status " + status + "): " + body, e);
      }
    }

    public @Nullable String header(String name) {
      List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
      return v == null || v.isEmpty() ? null : v.get(0);
    }

    public List<String> headerValues(String name) {
      return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    public String error() {
      return json().path("error").asText();
    }

    public String text(String field) {
      return json().path(field).asText();
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  public Response get(String path, Auth auth, String... headers) {
    return send("GET", path, auth, null, null, headers);
  }

  public Response delete(String path, Auth auth) {
    return send("DELETE", path, auth, null, null);
  }

  public Response post(String path, Auth auth, @Nullable Object json, String... headers) {
    return send("POST", path, auth, json == null ? null : write(json), "application/json", headers);
  }

  public Response patch(String path, Auth auth, Object json) {
    return send("PATCH", path, auth, write(json), "application/json");
  }

  /** Any method, body and content type; extra headers as name, value pairs. */
  public Response send(String method, String path, Auth auth, @Nullable String body, @Nullable String contentType, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
    if (auth.header() != null) {
      b.header("Authorization", auth.header());
    }
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    try {
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      Map<String, List<String>> h = new LinkedHashMap<>();
      r.headers().map().forEach((k, v) -> h.put(k.toLowerCase(Locale.ROOT), v));
      return new Response(r.statusCode(), h, r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Sends raw bytes (a whole HTTP/1.1 request) and parses the answer; for what HttpClient refuses
   * to send (duplicate or non-ASCII headers, malformed framing).
   */
  public Response raw(byte[] request) {
    URI uri = URI.create(base);
    try (Socket s = new Socket(uri.getHost(), uri.getPort())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request);
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      byte[] chunk = new byte[8192];
      int headerEnd = -1;
      int contentLength = -1;
      while (true) {
        int n;
        try {
          n = in.read(chunk);
        } catch (java.net.SocketException e) {
          n = -1;
        }
        if (n < 0) {
          break;
        }
        buf.write(chunk, 0, n);
        String sofar = buf.toString(StandardCharsets.ISO_8859_1);
        if (headerEnd < 0) {
          headerEnd = sofar.indexOf("\r\n\r\n");
          if (headerEnd >= 0) {
            for (String line : sofar.substring(0, headerEnd).split("\r\n")) {
              if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                contentLength = Integer.parseInt(line.substring(15).trim());
              }
            }
          }
        }
        if (headerEnd >= 0 && contentLength >= 0 && buf.size() >= headerEnd + 4 + contentLength) {
          break;
        }
      }
      String all = buf.toString(StandardCharsets.UTF_8);
      int end = all.indexOf("\r\n\r\n");
      if (end < 0) {
        throw new AssertionError("no HTTP answer: " + all);
      }
      String[] lines = all.substring(0, end).split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      Map<String, List<String>> h = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        h.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(lines[i].substring(colon + 1).trim());
      }
      return new Response(status, h, all.substring(end + 4));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A raw GET with the given header lines (each without CRLF). */
  public Response rawGet(String path, String... headerLines) {
    StringBuilder sb = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    for (String l : headerLines) {
      sb.append(l).append("\r\n");
    }
    sb.append("\r\n");
    return raw(sb.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A request sent raw with the given {@code Host} header (null: none at all), which HttpClient
   * will not let a caller choose; the body, if any, is UTF-8.
   */
  public Response withHost(@Nullable String host, String method, String path, Auth auth, @Nullable String body,
      @Nullable String contentType) {
    byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    StringBuilder sb = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
    if (host != null) {
      sb.append("Host: ").append(host).append("\r\n");
    }
    sb.append("Connection: close\r\n");
    if (auth.header() != null) {
      sb.append("Authorization: ").append(auth.header()).append("\r\n");
    }
    if (contentType != null) {
      sb.append("Content-Type: ").append(contentType).append("\r\n");
    }
    sb.append("Content-Length: ").append(content.length).append("\r\n\r\n");
    byte[] head = sb.toString().getBytes(StandardCharsets.UTF_8);
    byte[] all = java.util.Arrays.copyOf(head, head.length + content.length);
    System.arraycopy(content, 0, all, head.length, content.length);
    return raw(all);
  }

  public static String write(Object json) {
    if (json instanceof String s) {
      return s;
    }
    try {
      return JSON.writeValueAsString(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
