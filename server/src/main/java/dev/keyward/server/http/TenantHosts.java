package dev.keyward.server.http;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps host names to tenants with a pattern such as {@code api.{tenant}.example.com}: a request to
 * {@code api.acme.example.com} acts in tenant {@code acme}. The port, if any, is ignored.
 */
public final class TenantHosts {
  private final Pattern pattern;

  private TenantHosts(Pattern pattern) {
    this.pattern = pattern;
  }

  /** Parses a pattern with exactly one {@code {tenant}} placeholder. */
  public static TenantHosts parse(String template) {
    String t = template.strip().toLowerCase(Locale.ROOT);
    int at = t.indexOf("{tenant}");
    if (at < 0 || at != t.lastIndexOf("{tenant}")) {
      throw new IllegalArgumentException("The tenant host pattern needs exactly one {tenant} placeholder, e.g. api.{tenant}.example.com");
    }
    String regex = Pattern.quote(t.substring(0, at)) + "([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)" + Pattern.quote(t.substring(at + "{tenant}".length()));
    return new TenantHosts(Pattern.compile(regex));
  }

  public Optional<String> slugOf(String hostHeader) {
    String host = hostHeader.toLowerCase(Locale.ROOT);
    int colon = host.lastIndexOf(':');
    if (colon > 0 && !host.endsWith("]")) {
      host = host.substring(0, colon);
    }
    Matcher m = pattern.matcher(host);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }
}
