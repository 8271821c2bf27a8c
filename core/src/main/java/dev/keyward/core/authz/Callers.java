package dev.keyward.core.authz;

import dev.keyward.core.error.Echo;
import dev.keyward.core.error.KeywardException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Which callers may use a key: {@code native} clients (calls without an {@code Origin} header:
 * servers, scripts, apps), {@code browser} calls (with an {@code Origin}) and, for those, the
 * {@code hostnames} they may come from. A browser call is allowed only when its origin equals an
 * entry after normalisation (lower case, no trailing dot, punycode, default port dropped):
 * <ul>
 *   <li>{@code app.example.com}: {@code https://app.example.com} on the default port only;
 *   <li>{@code *.example.com}: {@code https://} any subdomain of {@code example.com}, at any depth,
 *       on the default port; never {@code example.com} itself nor {@code evilexample.com};
 *   <li>{@code http://localhost:3000} (a full origin, wildcard allowed as in {@code
 *       https://*.example.com:8443}): exactly that scheme, host and port.
 * </ul>
 * The {@code Origin} header only says what a browser says; it proves nothing about other clients,
 * which is why a browser key must name where it may be used and a native-only key refuses any call
 * that carries an {@code Origin}.
 */
public final class Callers {
  /** Most host name entries one key may hold. */
  public static final int MAX_HOSTNAMES = 100;

  /** The default: native calls only. */
  public static final Callers NATIVE_ONLY = new Callers(true, false, List.of(), List.of());

  private final boolean nativeCalls;
  private final boolean browser;
  private final List<Rule> rules;
  private final List<String> warnings;

  private Callers(boolean nativeCalls, boolean browser, List<Rule> rules, List<String> warnings) {
    this.nativeCalls = nativeCalls;
    this.browser = browser;
    this.rules = List.copyOf(rules);
    this.warnings = List.copyOf(warnings);
  }

  /**
   * Reads the callers options.
   *
   * @param field the request field, such as {@code callers}; errors name {@code field},
   *     {@code field.hostnames} or {@code field.hostnames[i]}
   * @throws KeywardException 400 when an entry is bad, there are more than {@value
   *     #MAX_HOSTNAMES}, no caller kind is allowed, or browser calls are allowed with no host name
   */
  public static Callers parse(String field, boolean nativeCalls, boolean browser, List<? extends @Nullable String> hostnames) {
    String listField = field + ".hostnames";
    if (hostnames.size() > MAX_HOSTNAMES) {
      throw KeywardException.invalidField(listField,
          "A key holds at most " + MAX_HOSTNAMES + " host names, not " + hostnames.size());
    }
    List<Rule> rules = new ArrayList<>(hostnames.size());
    for (int i = 0; i < hostnames.size(); i++) {
      rules.add(Rule.parse(listField + "[" + i + "]", hostnames.get(i)));
    }
    if (!nativeCalls && !browser) {
      throw KeywardException.invalidField(field, "A key accepts native calls, browser calls or both; this one would accept none");
    }
    if (browser && rules.isEmpty()) {
      throw KeywardException.invalidField(listField, "A key that accepts browser calls must name the host names it may be used from");
    }
    List<String> warnings = browser || rules.isEmpty()
        ? List.of()
        : List.of("'" + listField + "' is ignored while browser calls are off");
    return new Callers(nativeCalls, browser, rules, warnings);
  }

  /**
   * May a call with this {@code Origin} header (null when there is none) use the key? A browser
   * call needs {@code browser} and a matching entry; {@code Origin: null} and anything that is not
   * an http(s) origin never match. A call without an {@code Origin} needs {@code native}.
   */
  public CallerCheck check(@Nullable String origin) {
    if (origin == null) {
      return nativeCalls
          ? new CallerCheck.Allowed(null)
          : new CallerCheck.Refused(CallerCheck.Reason.NATIVE_NOT_ALLOWED,
              "This key accepts browser calls only: a call without an Origin header is refused");
    }
    if (!browser) {
      return new CallerCheck.Refused(CallerCheck.Reason.ORIGIN_NOT_ALLOWED, "This key does not accept browser calls");
    }
    Optional<WebOrigin> parsed = WebOrigin.parse(origin);
    if (parsed.isPresent()) {
      for (Rule rule : rules) {
        if (rule.matches(parsed.get())) {
          return new CallerCheck.Allowed(parsed.get().toString());
        }
      }
    }
    return new CallerCheck.Refused(CallerCheck.Reason.ORIGIN_NOT_ALLOWED, "This origin may not use this key");
  }

  /**
   * The {@code Access-Control-Allow-Origin} value for a preflight or a response: the normalised
   * request origin when {@link #check} allows it, else empty (send no such header). Never {@code *}.
   */
  public Optional<String> allowOriginHeader(@Nullable String origin) {
    return check(origin) instanceof CallerCheck.Allowed a ? Optional.ofNullable(a.origin()) : Optional.empty();
  }

  /** The wire {@code native} flag. */
  public boolean nativeCalls() {
    return nativeCalls;
  }

  /** The wire {@code browser} flag. */
  public boolean browser() {
    return browser;
  }

  /** The wire {@code hostnames}: each entry normalised, in the order given. */
  public List<String> hostnames() {
    return rules.stream().map(Rule::toString).toList();
  }

  /** Advice about options that have no effect (host names while browser calls are off). */
  public List<String> warnings() {
    return warnings;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Callers c && c.nativeCalls == nativeCalls && c.browser == browser && c.rules.equals(rules);
  }

  @Override
  public int hashCode() {
    return rules.hashCode() * 4 + (nativeCalls ? 2 : 0) + (browser ? 1 : 0);
  }

  @Override
  public String toString() {
    return "Callers[native=" + nativeCalls + ", browser=" + browser + ", hostnames=" + hostnames() + "]";
  }

  /**
   * One entry: an exact origin, or with {@code wildcard} every origin whose host ends in {@code
   * "." + host}.
   */
  private record Rule(WebOrigin origin, boolean wildcard) {
    private static final String SHAPE = "A host name entry looks like 'app.example.com', '*.example.com' or "
        + "'http://localhost:3000' (no path, user or '*' alone)";

    static Rule parse(String field, @Nullable String text) {
      if (text == null) {
        throw KeywardException.invalidField(field, SHAPE + ", not null");
      }
      if (text.equalsIgnoreCase("null")) {
        throw KeywardException.invalidField(field,
            "'null' is the origin browsers send for sandboxed and local documents; it is never allowed");
      }
      if (text.length() > HostNames.MAX_LENGTH) {
        throw KeywardException.invalidField(field, "A host name entry has at most " + HostNames.MAX_LENGTH + " characters");
      }
      int separator = text.indexOf("://");
      String scheme = separator < 0 ? "https" : text.substring(0, separator).toLowerCase(Locale.ROOT);
      String authority = separator < 0 ? text : text.substring(separator + 3);
      boolean wildcard = authority.startsWith("*.");
      String rest = wildcard ? authority.substring(2) : authority;
      Optional<WebOrigin> origin = (scheme.equals("http") || scheme.equals("https"))
          && (separator >= 0 || rest.indexOf(':') < 0)
          ? WebOrigin.parseAuthority(scheme, rest)
          : Optional.empty();
      if (origin.isEmpty()) {
        throw KeywardException.invalidField(field, SHAPE + ": " + Echo.quoted(text));
      }
      String host = origin.get().host();
      if (wildcard && (HostNames.labels(host) < 2 || isNumeric(host.substring(host.lastIndexOf('.') + 1)))) {
        throw KeywardException.invalidField(field,
            "A wildcard covers the subdomains of a name with at least two labels, such as '*.example.com': " + Echo.quoted(text));
      }
      return new Rule(origin.get(), wildcard);
    }

    boolean matches(WebOrigin candidate) {
      if (!candidate.scheme().equals(origin.scheme()) || candidate.port() != origin.port()) {
        return false;
      }
      String host = candidate.host();
      return wildcard
          ? host.length() > origin.host().length() + 1 && host.endsWith(origin.host()) && host.charAt(host.length() - origin.host().length() - 1) == '.'
          : host.equals(origin.host());
    }

    private static boolean isNumeric(String label) {
      return label.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** A default-port https entry without wildcard as its bare host name, anything else as an origin. */
    @Override
    public String toString() {
      String bare = (wildcard ? "*." : "") + origin.host();
      boolean plain = origin.scheme().equals("https") && origin.port() == 443;
      return plain ? bare : origin.scheme() + "://" + bare + (origin.port() == WebOrigin.defaultPort(origin.scheme()) ? "" : ":" + origin.port());
    }
  }
}
