package dev.keyward.server.routes;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.keyward.core.authz.DataAccess;
import dev.keyward.core.authz.HttpMethod;
import dev.keyward.core.authz.PathTemplate;
import dev.keyward.core.authz.Permission;
import dev.keyward.core.authz.ResourceTemplate;
import dev.keyward.core.authz.RoleSeed;
import dev.keyward.core.authz.Route;
import dev.keyward.core.authz.RouteTable;
import dev.keyward.core.error.Echo;
import dev.keyward.core.error.KeywardException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads one routes document token by token, so that every problem is reported at the line and
 * column of the token at fault. Jackson's tree and data binding lose locations; the document is
 * small and flat, so a streaming reader is both simpler and more precise.
 */
final class RouteFileReader {
  static final List<String> TOP_FIELDS = List.of("routes", "roles");
  static final List<String> ROUTE_FIELDS =
      List.of("method", "path", "permission", "resource", "user", "data", "manageAlgorithms", "production", "public");
  static final List<String> ROLE_FIELDS = List.of("name", "permissions", "description");
  private static final Set<String> STRING_FIELDS = Set.of("method", "path", "permission", "resource", "data");
  static final int MAX_ROUTES = 10_000;
  static final int MAX_ROLES = 1_000;
  static final int MAX_DESCRIPTION = 500;

  private final JsonParser parser;
  private final String source;

  /** A scalar as read, with where it was. */
  private record Scalar(JsonToken token, String text, int line, int column) {
    boolean isTrue() {
      return token == JsonToken.VALUE_TRUE;
    }
  }

  RouteFileReader(JsonParser parser, String source) {
    this.parser = parser;
    this.source = source;
  }

  RouteFile read() {
    JsonToken first = next();
    if (first == null) {
      throw error(1, 1, "the document is empty: it needs a 'routes' list", null);
    }
    if (first != JsonToken.START_OBJECT) {
      throw errorHere("the document is an object with 'routes' (and optionally 'roles'), not " + describe(first), null);
    }
    Set<String> seen = new HashSet<>();
    RouteTable routes = RouteTable.EMPTY;
    List<RoleSeed> roles = List.of();
    JsonToken t;
    while ((t = next()) == JsonToken.FIELD_NAME) {
      String name = fieldName(seen, TOP_FIELDS, "");
      next();
      if (name.equals("routes")) {
        routes = readRoutes();
      } else {
        roles = readRoles();
      }
    }
    if (!seen.contains("routes")) {
      throw error(1, 1, "missing field 'routes' (a list of routes; it may be empty)", "routes");
    }
    if (t != JsonToken.END_OBJECT || next() != null) {
      throw errorHere("unexpected content after the document (one document per file)", null);
    }
    return new RouteFile(routes, roles);
  }

  private RouteTable readRoutes() {
    expect(JsonToken.START_ARRAY, "routes", "a list of routes");
    RouteTable.Builder table = RouteTable.builder();
    Map<Route, JsonLocation> where = new IdentityHashMap<>();
    int index = 0;
    while (next() != JsonToken.END_ARRAY) {
      String at = "routes[" + index + "]";
      if (index == MAX_ROUTES) {
        throw errorHere("more than " + MAX_ROUTES + " routes", at);
      }
      JsonLocation start = location();
      Map<String, Scalar> fields = readFlatObject(at, ROUTE_FIELDS, "a route");
      Route route = route(at, start, fields);
      Optional<Route> other = table.conflictWith(route);
      if (other.isPresent()) {
        JsonLocation o = where.get(other.get());
        Scalar path = fields.get("path");
        throw error(line(path), column(path), route.method() + " " + quoted(route.path().text()) + " matches the same requests as "
            + other.get().method() + " " + quoted(other.get().path().text()) + (o == null ? "" : " at line " + o.getLineNr())
            + " (same method, same path up to variable names)", at + ".path");
      }
      table.add(route);
      where.put(route, start);
      index++;
    }
    return table.build();
  }

  private Route route(String at, JsonLocation start, Map<String, Scalar> f) {
    Scalar method = require(f, "method", at, start, "");
    require(f, "path", at, start, "");
    HttpMethod m = HttpMethod.fromWire(method.text()).orElseThrow(() -> error(method, badMethod(method.text()), at + ".method"));
    PathTemplate template = parse(f, "path", at, PathTemplate::parse);
    Scalar open = f.get("public");
    boolean isPublic = open != null && open.isTrue();
    Optional<Permission> permission;
    if (isPublic) {
      for (String needs : List.of("permission", "resource", "user", "data", "manageAlgorithms", "production")) {
        Scalar s = f.get(needs);
        if (s != null && (s.token() == JsonToken.VALUE_STRING || s.isTrue())) {
          throw error(s, "a public route is called without a credential, so it requires nothing: drop '" + needs + "' or 'public'", at + "." + needs);
        }
      }
      permission = Optional.empty();
    } else {
      require(f, "permission", at, start, " (or 'public: true' for a route that needs no credential)");
      permission = Optional.of(parse(f, "permission", at, text -> Permission.parseRequired("permission", text)));
    }
    Optional<ResourceTemplate> resource = f.containsKey("resource")
        ? Optional.of(parse(f, "resource", at, ResourceTemplate::parse)) : Optional.empty();
    Optional<DataAccess> data = Optional.empty();
    Scalar d = f.get("data");
    if (d != null) {
      DataAccess access = DataAccess.fromWire(d.text()).orElseThrow(() -> error(d, "'data' is 'read' or 'read_write', not " + quoted(d.text()), at + ".data"));
      data = Optional.of(access);
    }
    try {
      return new Route(m, template, permission, resource, flag(f, "user"), data, flag(f, "manageAlgorithms"), flag(f, "production"));
    } catch (KeywardException e) {
      Scalar s = e.field() == null ? null : f.get(e.field());
      throw s == null ? error(start.getLineNr(), start.getColumnNr(), e.publicMessage(), at) : error(s, e.publicMessage(), at + "." + e.field());
    }
  }

  private static String badMethod(String text) {
    return switch (text) {
      case "HEAD" -> "HEAD is decided as GET: write the route for GET";
      case "OPTIONS" -> "OPTIONS is never routed: CORS preflights are answered from the key's allowed callers";
      default -> "unknown method " + quoted(text) + " (known: GET, POST, PUT, PATCH, DELETE; upper case)";
    };
  }

  private List<RoleSeed> readRoles() {
    expect(JsonToken.START_ARRAY, "roles", "a list of roles");
    List<RoleSeed> roles = new ArrayList<>();
    Map<String, Integer> firstLine = new HashMap<>();
    while (next() != JsonToken.END_ARRAY) {
      String at = "roles[" + roles.size() + "]";
      if (roles.size() == MAX_ROLES) {
        throw errorHere("more than " + MAX_ROLES + " roles", at);
      }
      JsonLocation start = location();
      expect(JsonToken.START_OBJECT, at, "a role: an object with 'name', 'permissions' and optionally 'description'");
      Set<String> seen = new HashSet<>();
      Scalar name = null;
      Scalar description = null;
      List<Permission> permissions = null;
      while (next() == JsonToken.FIELD_NAME) {
        String field = fieldName(seen, ROLE_FIELDS, at + ".");
        next();
        switch (field) {
          case "name" -> name = string(at + ".name");
          case "description" -> description = string(at + ".description");
          default -> permissions = readGrants(at + ".permissions");
        }
      }
      Scalar n = require(name, "name", at, start, "");
      if (permissions == null) {
        throw error(start.getLineNr(), start.getColumnNr(), "missing field 'permissions' (a list such as [invoices:read, customers:*])", at);
      }
      String text = description == null ? "" : description.text();
      if (description != null && (text.length() > MAX_DESCRIPTION || text.chars().anyMatch(c -> c < 0x20 && c != '\n' || c == 0x7F))) {
        throw error(description, "a description is at most " + MAX_DESCRIPTION + " characters, without control characters", at + ".description");
      }
      Integer earlier = firstLine.putIfAbsent(n.text(), n.line());
      if (earlier != null) {
        throw error(n, "the role " + quoted(n.text()) + " is declared twice (first at line " + earlier + ")", at + ".name");
      }
      try {
        roles.add(new RoleSeed(n.text(), permissions, text));
      } catch (KeywardException e) {
        throw error(n, e.publicMessage(), at + ".name");
      }
    }
    return roles;
  }

  private List<Permission> readGrants(String at) {
    expect(JsonToken.START_ARRAY, at, "a list of permissions");
    List<Permission> out = new ArrayList<>();
    Set<Permission> seen = new HashSet<>();
    while (next() != JsonToken.END_ARRAY) {
      String item = at + "[" + out.size() + "]";
      if (parserToken() != JsonToken.VALUE_STRING) {
        throw errorHere("a permission is a string such as 'invoices:read', not " + describe(parserToken()), item);
      }
      Scalar s = scalar();
      Permission p;
      try {
        p = Permission.parseGrant("permissions", s.text());
      } catch (KeywardException e) {
        throw error(s, e.publicMessage(), item);
      }
      if (!seen.add(p)) {
        throw error(s, "the permission " + quoted(s.text()) + " is listed twice", item);
      }
      out.add(p);
    }
    return out;
  }

  /** An object whose values are all scalars, by field name, refusing unknown and duplicate fields. */
  private Map<String, Scalar> readFlatObject(String at, List<String> known, String what) {
    expect(JsonToken.START_OBJECT, at, what + ": an object with " + String.join(", ", known.subList(0, 3)) + "…");
    Set<String> seen = new HashSet<>();
    Map<String, Scalar> out = new LinkedHashMap<>();
    while (next() == JsonToken.FIELD_NAME) {
      String field = fieldName(seen, known, at + ".");
      JsonToken value = next();
      if (!STRING_FIELDS.contains(field)) {
        if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE) {
          throw errorHere("'" + field + "' is true or false, not " + describe(value), at + "." + field);
        }
        if (!text().equals("true") && !text().equals("false")) {
          throw errorHere("'" + field + "' is written true or false (YAML's yes, no, on, off and True are not accepted)", at + "." + field);
        }
      } else if (value != JsonToken.VALUE_STRING) {
        throw errorHere("'" + field + "' is a string, not " + describe(value), at + "." + field);
      }
      out.put(field, scalar());
    }
    return out;
  }

  private String fieldName(Set<String> seen, List<String> known, String prefix) {
    String name = text();
    if (!known.contains(name)) {
      throw errorHere("unknown field " + quoted(name) + " (known: " + String.join(", ", known) + ")", prefix.isEmpty() ? null : prefix + name);
    }
    if (!seen.add(name)) {
      throw errorHere("duplicate field '" + name + "'", prefix + name);
    }
    return name;
  }

  private Scalar string(String at) {
    if (parserToken() != JsonToken.VALUE_STRING) {
      throw errorHere("'" + at.substring(at.lastIndexOf('.') + 1) + "' is a string, not " + describe(parserToken()), at);
    }
    return scalar();
  }

  private interface Parse<T> {
    T apply(String text);
  }

  private <T> T parse(Map<String, Scalar> fields, String field, String at, Parse<T> how) {
    Scalar s = fields.get(field);
    if (s == null) {
      throw new IllegalStateException(field + " checked as present");
    }
    try {
      return how.apply(s.text());
    } catch (KeywardException e) {
      throw error(s, e.publicMessage(), at + "." + field);
    }
  }

  private Scalar require(Map<String, Scalar> fields, String field, String at, JsonLocation start, String hint) {
    return require(fields.get(field), field, at, start, hint);
  }

  private Scalar require(@Nullable Scalar value, String field, String at, JsonLocation start, String hint) {
    if (value == null) {
      throw error(start.getLineNr(), start.getColumnNr(), "missing field '" + field + "'" + hint, at + "." + field);
    }
    return value;
  }

  private static boolean flag(Map<String, Scalar> fields, String name) {
    Scalar s = fields.get(name);
    return s != null && s.isTrue();
  }

  private void expect(JsonToken token, String at, String what) {
    if (parserToken() != token) {
      throw errorHere("'" + at + "' is " + what + ", not " + describe(parserToken()), at);
    }
  }

  private Scalar scalar() {
    JsonLocation l = location();
    return new Scalar(parserToken(), text(), l.getLineNr(), l.getColumnNr());
  }

  private @Nullable JsonToken next() {
    try {
      JsonToken t = parser.nextToken();
      if (parser instanceof YAMLParser y && t != null) {
        if (y.isCurrentAlias()) {
          throw errorHere("YAML aliases ('*name') are not supported: write the value out", null);
        }
        if (y.getTypeId() != null) {
          throw errorHere("YAML tags ('!!…') are not supported", null);
        }
      }
      return t;
    } catch (StreamReadException e) {
      JsonLocation l = e.getLocation();
      throw error(l == null ? 0 : l.getLineNr(), l == null ? 0 : l.getColumnNr(), syntax(e), null);
    } catch (IOException e) {
      throw error(0, 0, "cannot be read", null);
    }
  }

  private JsonToken parserToken() {
    JsonToken t = parser.currentToken();
    if (t == null) {
      throw new IllegalStateException("no current token");
    }
    return t;
  }

  private String text() {
    try {
      return parser.getText();
    } catch (IOException e) {
      throw error(0, 0, "cannot be read", null);
    }
  }

  private JsonLocation location() {
    return parser.currentTokenLocation();
  }

  /** A syntax error in words that never repeat the input (it could hold a pasted secret). */
  private String syntax(StreamReadException e) {
    if (e instanceof com.fasterxml.jackson.dataformat.yaml.snakeyaml.error.MarkedYAMLException y) {
      String problem = y.getProblem();
      return "YAML syntax error" + (problem == null || problem.length() > 80 || problem.contains("kw_") ? "" : ": " + problem);
    }
    String m = String.valueOf(e.getOriginalMessage());
    for (String known : List.of("Unexpected character", "Unexpected end-of-input", "Unrecognized token", "Unexpected close marker",
        "Invalid UTF-8", "Illegal unquoted character", "Unexpected EOF")) {
      if (m.startsWith(known)) {
        return "JSON syntax error: " + known.toLowerCase(java.util.Locale.ROOT);
      }
    }
    return "syntax error";
  }

  private static String describe(@Nullable JsonToken t) {
    if (t == null) {
      return "the end of the document";
    }
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "a list";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> "'" + t.asString() + "'";
    };
  }

  private static String quoted(String text) {
    String q = Echo.quoted(text);
    if (q.startsWith("'")) {
      return q;
    }
    // Templates are longer than Echo repeats; repeat them when they are plain template text.
    return text.length() <= 120 && !text.contains("kw_") && text.chars().allMatch(c -> c > 0x20 && c < 0x7F && c != '\'')
        ? "'" + text + "'" : q;
  }

  private RouteFileException errorHere(String problem, @Nullable String field) {
    JsonLocation l = location();
    return error(l.getLineNr(), l.getColumnNr(), problem, field);
  }

  private RouteFileException error(Scalar at, String problem, @Nullable String field) {
    return error(at.line(), at.column(), problem, field);
  }

  private RouteFileException error(int line, int column, String problem, @Nullable String field) {
    return new RouteFileException(source, Math.max(line, 0), Math.max(column, 0), problem, field);
  }

  private static int line(@Nullable Scalar s) {
    return s == null ? 0 : s.line();
  }

  private static int column(@Nullable Scalar s) {
    return s == null ? 0 : s.column();
  }
}
