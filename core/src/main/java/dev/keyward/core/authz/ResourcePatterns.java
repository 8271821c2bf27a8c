package dev.keyward.core.authz;

import dev.keyward.core.error.KeywardException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A key's resource list: which resources a route that names one may touch with this key. Deny by
 * default: an empty list allows no resource at all.
 *
 * <p>The patterns keep the order they were given in, and nothing is dropped silently: a pattern
 * covered by another one (nested, or an equal duplicate) stays, and {@link #warnings()} names
 * both patterns so that the caller can tidy the list.
 */
public final class ResourcePatterns {
  /** Most patterns one key may hold. */
  public static final int MAX_PATTERNS = 256;

  /** No resources: every resource is refused. */
  public static final ResourcePatterns NONE = new ResourcePatterns(List.of(), List.of());

  private final List<ResourcePattern> patterns;
  private final List<String> warnings;

  private ResourcePatterns(List<ResourcePattern> patterns, List<String> warnings) {
    this.patterns = List.copyOf(patterns);
    this.warnings = List.copyOf(warnings);
  }

  /**
   * Reads a list of patterns.
   *
   * @param field the request field, such as {@code resources}; an entry is named {@code field[i]}
   * @throws KeywardException 400 naming the first bad entry, or {@code field} when there are more
   *     than {@value #MAX_PATTERNS}
   */
  public static ResourcePatterns parse(String field, List<? extends @Nullable String> texts) {
    if (texts.size() > MAX_PATTERNS) {
      throw KeywardException.invalidField(field,
          "A key holds at most " + MAX_PATTERNS + " resource patterns, not " + texts.size());
    }
    List<ResourcePattern> patterns = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      String text = texts.get(i);
      String entry = field + "[" + i + "]";
      if (text == null) {
        throw KeywardException.invalidField(entry, "A resource pattern is a string, not null");
      }
      patterns.add(ResourcePattern.parse(entry, text));
    }
    return new ResourcePatterns(patterns, redundancies(patterns));
  }

  /**
   * True when {@code resource} is canonical and some pattern matches it; false for an empty list.
   * Cost: one pass over the resource, then one comparison per pattern.
   */
  public boolean allows(String resource) {
    if (patterns.isEmpty() || !ResourcePattern.isCanonicalResource(resource)) {
      return false;
    }
    for (ResourcePattern p : patterns) {
      if (p.matchesCanonical(resource)) {
        return true;
      }
    }
    return false;
  }

  /** The patterns, in the order given. */
  public List<ResourcePattern> patterns() {
    return patterns;
  }

  /** The wire form: the patterns as strings, in the order given. */
  public List<String> texts() {
    return patterns.stream().map(ResourcePattern::toString).toList();
  }

  public boolean isEmpty() {
    return patterns.isEmpty();
  }

  /**
   * One line per pattern that another pattern already covers, such as {@code 'algo://foo/bar/*' is
   * already covered by 'algo://foo/*'}. Of equal duplicates, the later ones are reported.
   */
  public List<String> warnings() {
    return warnings;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof ResourcePatterns p && p.patterns.equals(patterns);
  }

  @Override
  public int hashCode() {
    return patterns.hashCode();
  }

  @Override
  public String toString() {
    return patterns.toString();
  }

  private static List<String> redundancies(List<ResourcePattern> patterns) {
    List<String> warnings = new ArrayList<>();
    for (int j = 0; j < patterns.size(); j++) {
      ResourcePattern covered = patterns.get(j);
      for (int i = 0; i < patterns.size(); i++) {
        ResourcePattern cover = patterns.get(i);
        // An equal pattern later in the list is the duplicate; the first one is reported for it.
        boolean counts = i < j || (i > j && !cover.equals(covered));
        if (counts && cover.covers(covered)) {
          warnings.add("'" + covered + "' is already covered by '" + cover + "'");
          break;
        }
      }
    }
    return warnings;
  }
}
