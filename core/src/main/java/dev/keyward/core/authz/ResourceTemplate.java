package dev.keyward.core.authz;

import dev.keyward.core.error.KeywardException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The resource a route acts on, written with the path's variables: {@code algo://{owner}/{name}}.
 * The form is {@code scheme://} then '/'-separated segments, each literal text or one whole
 * {@code {variable}} (a path's {@code {rest*}} is written {@code {rest}} here and fills several
 * segments). Literal text never holds {@code *}: a resource is concrete; patterns are what keys hold.
 *
 * @param text the template as written
 * @param scheme the part before {@code ://}
 * @param segments the segments after it
 */
public record ResourceTemplate(String text, String scheme, List<PathTemplate.Segment> segments) {
  private static final Pattern SCHEME = Pattern.compile("[a-z][a-z0-9+.-]{0,31}");
  private static final Pattern LITERAL = Pattern.compile("[A-Za-z0-9._~!$&'()+,=:@-]+");

  public ResourceTemplate {
    segments = List.copyOf(segments);
    for (PathTemplate.Segment s : segments) {
      if (s instanceof PathTemplate.Rest) {
        throw new IllegalArgumentException("resource templates name a rest variable as {name}");
      }
    }
  }

  /**
   * Reads a template.
   *
   * @throws KeywardException 400 on field {@code resource} saying what is wrong
   */
  public static ResourceTemplate parse(String text) {
    int sep = text.indexOf("://");
    if (sep < 0 || !SCHEME.matcher(text.substring(0, sep)).matches()) {
      throw bad("it looks like 'scheme://…' (a lower-case scheme such as 'algo')");
    }
    if (text.length() > PathTemplate.MAX_LENGTH) {
      throw bad("it is longer than " + PathTemplate.MAX_LENGTH + " characters");
    }
    String body = text.substring(sep + 3);
    if (body.isEmpty()) {
      throw bad("nothing follows '://'");
    }
    List<PathTemplate.Segment> segments = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (String part : body.split("/", -1)) {
      if (part.isEmpty()) {
        throw bad("it has an empty segment");
      }
      if (part.startsWith("{") && part.endsWith("}")) {
        String name = part.substring(1, part.length() - 1);
        if (name.endsWith("*") && PathTemplate.NAME.matcher(name.substring(0, name.length() - 1)).matches()) {
          throw bad("write the path's rest variable as '{" + name.substring(0, name.length() - 1) + "}'");
        }
        if (!PathTemplate.NAME.matcher(name).matches()) {
          throw bad("a variable is '{name}', the name being a letter then letters, digits or '_': " + RouteText.quoted(part));
        }
        if (!names.add(name)) {
          throw bad("the variable '" + name + "' appears twice");
        }
        segments.add(new PathTemplate.Variable(name));
      } else if (part.indexOf('{') >= 0 || part.indexOf('}') >= 0) {
        throw bad("a segment is literal text or one whole '{variable}', not a mix: " + RouteText.quoted(part));
      } else if (part.equals(".") || part.equals("..")) {
        throw bad("it has a '" + part + "' segment");
      } else if (!LITERAL.matcher(part).matches()) {
        throw bad("literal text holds letters, digits and - . _ ~ ! $ & ' ( ) + , = : @ only (no '*': a resource is concrete): "
            + RouteText.quoted(part));
      } else {
        segments.add(new PathTemplate.Literal(part));
      }
    }
    return new ResourceTemplate(text, text.substring(0, sep), segments);
  }

  /** The variables the template uses, in order. */
  public List<String> variableNames() {
    List<String> out = new ArrayList<>();
    for (PathTemplate.Segment s : segments) {
      if (s instanceof PathTemplate.Variable v) {
        out.add(v.name());
      }
    }
    return out;
  }

  /**
   * The resource for captured path variables, or the reason none can be formed: a value that
   * would change the resource's structure ({@link #structuralProblem}) forms no resource.
   */
  ResourceExpansion expand(Map<String, String> variables, Set<String> restVariables) {
    StringBuilder sb = new StringBuilder(text.length() + 16).append(scheme).append("://");
    boolean first = true;
    for (PathTemplate.Segment s : segments) {
      if (!first) {
        sb.append('/');
      }
      first = false;
      if (s instanceof PathTemplate.Literal l) {
        sb.append(l.text());
      } else if (s instanceof PathTemplate.Variable v) {
        String value = variables.get(v.name());
        if (value == null) {
          throw new IllegalStateException("variable not captured: " + v.name());
        }
        boolean rest = restVariables.contains(v.name());
        String problem = rest ? restProblem(value) : structuralProblem(value);
        if (problem != null) {
          return new ResourceExpansion.Unformable(v.name(), problem);
        }
        sb.append(value);
      }
    }
    return new ResourceExpansion.Formed(sb.toString());
  }

  /**
   * Why a variable value cannot be put in a resource, or null when it can. Refused: empty, a
   * {@code .} value, anything containing {@code ..}, {@code /}, {@code \}, {@code %} (an escape
   * some reader would decode), {@code *} (a pattern wildcard), {@code ?}, {@code #}, braces,
   * whitespace, control or non-ASCII characters.
   */
  static @Nullable String structuralProblem(String value) {
    return problem(value, 0, value.length());
  }

  private static @Nullable String problem(String value, int from, int to) {
    if (from == to) {
      return "it is empty";
    }
    if (to - from == 1 && value.charAt(from) == '.') {
      return "it holds a '.' or '..' segment";
    }
    for (int i = from; i < to; i++) {
      char c = value.charAt(i);
      if (c <= 0x20 || c >= 0x7F) {
        return "it holds a space, control or non-ASCII character";
      }
      if ("/\\%*?#{}".indexOf(c) >= 0) {
        return "it holds '" + c + "'";
      }
      if (c == '.' && i + 1 < to && value.charAt(i + 1) == '.') {
        return "it holds a '.' or '..' segment";
      }
    }
    return null;
  }

  /** A rest variable's value: several segments joined by '/', each checked on its own. */
  private static @Nullable String restProblem(String value) {
    int start = 0;
    while (true) {
      int slash = value.indexOf('/', start);
      String problem = problem(value, start, slash < 0 ? value.length() : slash);
      if (problem != null || slash < 0) {
        return problem;
      }
      start = slash + 1;
    }
  }

  @Override
  public String toString() {
    return text;
  }

  private static KeywardException bad(String why) {
    return KeywardException.invalidField("resource", "Bad resource template: " + why);
  }
}
