package dev.keyward.core.authz;

import dev.keyward.core.error.KeywardException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A route's path: {@code /v1/algo/{owner}/{name}}. Each segment is literal text or one whole
 * variable ({@code {name}}, names {@code [a-zA-Z][a-zA-Z0-9_]*}); the last segment may be {@code
 * {rest*}}, which captures one or more remaining segments. Literal text is what a canonical path
 * may hold ({@link CanonicalPath}): letters, digits and {@code - . _ ~ ! $ & ' ( ) * + , = : @},
 * never {@code %}, {@code ;} or a {@code .}/{@code ..} segment. The root path is {@code /}; no
 * other template ends with {@code /}.
 *
 * @param text the template as written
 * @param segments its segments, in order
 */
public record PathTemplate(String text, List<Segment> segments) {
  static final int MAX_LENGTH = 1024;
  static final Pattern NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9_]{0,63}");
  private static final Pattern LITERAL = Pattern.compile("[A-Za-z0-9._~!$&'()*+,=:@-]+");

  /** One segment of a template. */
  public sealed interface Segment permits Literal, Variable, Rest {}

  /** Text matched exactly, case-sensitively. */
  public record Literal(String text) implements Segment {}

  /** One whole segment, captured under {@code name}. */
  public record Variable(String name) implements Segment {}

  /** The last segment, {@code {name*}}: one or more remaining segments, captured with their '/'. */
  public record Rest(String name) implements Segment {}

  public PathTemplate {
    segments = List.copyOf(segments);
  }

  /**
   * Reads a template.
   *
   * @throws KeywardException 400 on field {@code path} saying what is wrong
   */
  public static PathTemplate parse(String text) {
    if (text.isEmpty() || text.charAt(0) != '/') {
      throw bad("it must start with '/'");
    }
    if (text.length() > MAX_LENGTH) {
      throw bad("it is longer than " + MAX_LENGTH + " characters");
    }
    if (text.equals("/")) {
      return new PathTemplate(text, List.of());
    }
    if (text.endsWith("/")) {
      throw bad("it ends with '/' (paths ending with '/' are refused, so no route could match it)");
    }
    String[] parts = text.substring(1).split("/", -1);
    List<Segment> segments = new ArrayList<>(parts.length);
    Set<String> names = new HashSet<>();
    for (int i = 0; i < parts.length; i++) {
      Segment segment = segment(parts[i]);
      if (segment instanceof Rest && i != parts.length - 1) {
        throw bad("'{" + ((Rest) segment).name() + "*}' captures the rest of the path, so it must be the last segment");
      }
      String name = switch (segment) {
        case Variable v -> v.name();
        case Rest r -> r.name();
        case Literal l -> null;
      };
      if (name != null && !names.add(name)) {
        throw bad("the variable '" + name + "' appears twice");
      }
      segments.add(segment);
    }
    return new PathTemplate(text, segments);
  }

  private static Segment segment(String part) {
    if (part.isEmpty()) {
      throw bad("it has an empty segment ('//')");
    }
    if (part.startsWith("{") && part.endsWith("}")) {
      String inner = part.substring(1, part.length() - 1);
      boolean rest = inner.endsWith("*");
      String name = rest ? inner.substring(0, inner.length() - 1) : inner;
      if (!NAME.matcher(name).matches()) {
        throw bad("a variable is '{name}' or '{name*}', the name being a letter then letters, digits or '_' (at most 64): "
            + RouteText.quoted(part));
      }
      return rest ? new Rest(name) : new Variable(name);
    }
    if (part.indexOf('{') >= 0 || part.indexOf('}') >= 0) {
      throw bad("a segment is literal text or one whole '{variable}', not a mix: " + RouteText.quoted(part));
    }
    if (part.equals(".") || part.equals("..")) {
      throw bad("'" + part + "' segments are refused in requests, so no route could match them");
    }
    if (!LITERAL.matcher(part).matches()) {
      throw bad("a literal segment holds letters, digits and - . _ ~ ! $ & ' ( ) * + , = : @ only (no '%', ';', spaces or non-ASCII): "
          + RouteText.quoted(part));
    }
    return new Literal(part);
  }

  /** The names of the variables, in order (a {@code {rest*}} variable under its bare name). */
  public List<String> variableNames() {
    List<String> out = new ArrayList<>();
    for (Segment s : segments) {
      if (s instanceof Variable v) {
        out.add(v.name());
      } else if (s instanceof Rest r) {
        out.add(r.name());
      }
    }
    return out;
  }

  /**
   * The template with variable names erased ({@code /v1/algo/{}/{}}, {@code /v1/data/{*}}): two
   * templates with the same shape match exactly the same paths.
   */
  public String shape() {
    StringBuilder sb = new StringBuilder();
    for (Segment s : segments) {
      sb.append('/').append(switch (s) {
        case Literal l -> l.text();
        case Variable v -> "{}";
        case Rest r -> "{*}";
      });
    }
    return sb.length() == 0 ? "/" : sb.toString();
  }

  @Override
  public String toString() {
    return text;
  }

  private static KeywardException bad(String why) {
    return KeywardException.invalidField("path", "Bad path template: " + why);
  }
}
