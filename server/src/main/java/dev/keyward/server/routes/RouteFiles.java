package dev.keyward.server.routes;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.keyward.core.authz.RoleSeed;
import dev.keyward.core.authz.Route;
import dev.keyward.core.authz.RouteTable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads routes files (YAML or JSON, the same document either way; see {@code docs/routes.md})
 * and writes a route table back in that shape. Reading is strict: unknown fields, duplicate keys,
 * wrong types, bad methods, templates or permissions, resource variables the path does not
 * define, and routes that would match the same requests are each a {@link RouteFileException}
 * naming the document, the line and column, and what is wrong.
 */
public final class RouteFiles {
  /** The largest document read (a file of ~10,000 routes). */
  public static final int MAX_BYTES = 1 << 20;

  private static final JsonFactory JSON = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).maxStringLength(MAX_BYTES).build())
      .build();
  private static final YAMLFactory YAML;

  static {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(0);
    options.setNestingDepthLimit(16);
    options.setCodePointLimit(MAX_BYTES);
    options.setAllowRecursiveKeys(false);
    YAML = YAMLFactory.builder().loaderOptions(options)
        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).maxStringLength(MAX_BYTES).build())
        .build();
  }

  /** The syntax a document is written in. */
  public enum Format {
    YAML,
    JSON;

    /** The format a file name's extension names ({@code .yaml}, {@code .yml}, {@code .json}), or null. */
    static @org.jspecify.annotations.Nullable Format ofFileName(String name) {
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
        return YAML;
      }
      return lower.endsWith(".json") ? JSON : null;
    }
  }

  private RouteFiles() {}

  /**
   * Reads a routes file, its format chosen by extension.
   *
   * @throws RouteFileException naming the file (as given), line and column of the first problem
   */
  public static RouteFile load(Path file) {
    String name = file.toString();
    Path fileName = file.getFileName();
    Format format = fileName == null ? null : Format.ofFileName(fileName.toString());
    if (format == null) {
      throw new RouteFileException(name, 0, 0, "a routes file is named *.yaml, *.yml or *.json", null);
    }
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new RouteFileException(name, 0, 0, "larger than " + MAX_BYTES + " bytes", null);
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new RouteFileException(name, 0, 0, "no such file", null);
    } catch (AccessDeniedException e) {
      throw new RouteFileException(name, 0, 0, "cannot be read: permission denied", null);
    } catch (IOException e) {
      throw new RouteFileException(name, 0, 0, "cannot be read (" + e.getClass().getSimpleName() + ")", null);
    }
    return parse(bytes, name, format);
  }

  /**
   * Reads a document given as bytes (a request body): strict UTF-8, at most {@link #MAX_BYTES}.
   *
   * @throws RouteFileException naming {@code name}, line and column of the first problem
   */
  public static RouteFile parse(byte[] document, String name, Format format) {
    if (document.length > MAX_BYTES) {
      throw new RouteFileException(name, 0, 0, "larger than " + MAX_BYTES + " bytes", null);
    }
    try {
      String text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(document))
          .toString();
      return parse(text, name, format);
    } catch (CharacterCodingException e) {
      throw new RouteFileException(name, 0, 0, "not valid UTF-8", null);
    }
  }

  /**
   * Reads a document given as text; {@code name} is what error messages call it ({@code
   * routes.yaml}, {@code body}).
   *
   * @throws RouteFileException naming {@code name}, line and column of the first problem
   */
  public static RouteFile parse(String text, String name, Format format) {
    if (text.length() > MAX_BYTES) {
      throw new RouteFileException(name, 0, 0, "larger than " + MAX_BYTES + " characters", null);
    }
    String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
    try (JsonParser parser = format == Format.YAML ? YAML.createParser(body) : JSON.createParser(body)) {
      return new RouteFileReader(parser, name).read();
    } catch (IOException e) {
      throw new RouteFileException(name, 0, 0, "cannot be read", null);
    }
  }

  /** The wire form of a route table and roles: the document {@link #parse} reads back to the same routes and roles. */
  public static RoutesDocument describe(RouteFile file) {
    List<RoutesDocument.RoleSpec> roles = new ArrayList<>();
    for (RoleSeed r : file.roles()) {
      roles.add(RoutesDocument.RoleSpec.of(r));
    }
    return new RoutesDocument(describe(file.routes()), roles);
  }

  /** The wire form of each route, in table order. */
  public static List<RoutesDocument.RouteSpec> describe(RouteTable table) {
    List<RoutesDocument.RouteSpec> out = new ArrayList<>(table.size());
    for (Route r : table.routes()) {
      out.add(RoutesDocument.RouteSpec.of(r));
    }
    return out;
  }
}
