package dev.keyward.server.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.keyward.core.authz.KeyAccess;
import dev.keyward.core.error.KeywardException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** The access-option members of key request bodies, and how a patch merges into a key's options. */
public final class KeyBodies {
  private KeyBodies() {}

  /** {@code callers}: {@code {"native","browser","hostnames"}}. */
  public record CallersBody(@JsonProperty("native") @Nullable Boolean nativeCalls, @Nullable Boolean browser,
      @Nullable List<String> hostnames) {}

  /** {@code rateLimit}: {@code {"limit","periodSeconds"}}. */
  public record RateLimitBody(@Nullable Number limit, @Nullable Number periodSeconds) {}

  /** The access options of a creation body: every member optional, defaults where absent. */
  static KeyAccess access(@Nullable List<String> resources, @Nullable String dataAccess, @Nullable Boolean manageAlgorithms,
      @Nullable CallersBody callers, @Nullable List<String> ipAllowlist, @Nullable RateLimitBody rateLimit, @Nullable Number quota) {
    return KeyAccess.fromWire(new KeyAccess.Wire(resources, dataAccess, manageAlgorithms, callers(callers), ipAllowlist,
        rateLimit(rateLimit), quota));
  }

  /**
   * A patch of access options: members present in the body replace the key's (an explicit
   * {@code null} removes a rate limit or a quota, or resets a member to its default); absent ones
   * stay. Null when the body touches no access option.
   */
  static @Nullable KeyAccess patch(KeyAccess current, JsonNode body, @Nullable List<String> resources, @Nullable String dataAccess,
      @Nullable Boolean manageAlgorithms, @Nullable CallersBody callers, @Nullable List<String> ipAllowlist,
      @Nullable RateLimitBody rateLimit, @Nullable Number quota) {
    boolean any = false;
    for (String f : List.of("resources", "dataAccess", "manageAlgorithms", "callers", "ipAllowlist", "rateLimit", "quota")) {
      any |= body.has(f);
    }
    if (!any) {
      return null;
    }
    KeyAccess.Wire w = current.toWire();
    return KeyAccess.fromWire(new KeyAccess.Wire(
        body.has("resources") ? resources : w.resources(),
        body.has("dataAccess") ? dataAccess : w.dataAccess(),
        body.has("manageAlgorithms") ? manageAlgorithms : w.manageAlgorithms(),
        body.has("callers") ? callers(callers) : w.callers(),
        body.has("ipAllowlist") ? ipAllowlist : w.ipAllowlist(),
        body.has("rateLimit") ? rateLimit(rateLimit) : w.rateLimit(),
        body.has("quota") ? quota : w.quota()));
  }

  private static KeyAccess.@Nullable CallersWire callers(@Nullable CallersBody c) {
    return c == null ? null : new KeyAccess.CallersWire(c.nativeCalls(), c.browser(), c.hostnames());
  }

  private static KeyAccess.@Nullable RateLimitWire rateLimit(@Nullable RateLimitBody r) {
    if (r == null) {
      return null;
    }
    if (r.limit() == null || r.periodSeconds() == null) {
      throw KeywardException.invalidField(r.limit() == null ? "rateLimit.limit" : "rateLimit.periodSeconds",
          "'rateLimit' needs both 'limit' and 'periodSeconds'");
    }
    return new KeyAccess.RateLimitWire(r.limit(), r.periodSeconds());
  }

  /** The access options as answers show them. */
  public record AccessView(List<String> resources, String dataAccess, boolean manageAlgorithms, CallersBody callers,
      List<String> ipAllowlist, @Nullable RateLimitBody rateLimit, @Nullable Long quota) {
    static AccessView of(KeyAccess a) {
      KeyAccess.Wire w = a.toWire();
      KeyAccess.CallersWire c = java.util.Objects.requireNonNull(w.callers());
      KeyAccess.RateLimitWire r = w.rateLimit();
      return new AccessView(strings(w.resources()), java.util.Objects.requireNonNull(w.dataAccess()), a.manageAlgorithms(),
          new CallersBody(c.nativeCalls(), c.browser(), strings(c.hostnames())), strings(w.ipAllowlist()),
          r == null ? null : new RateLimitBody(r.limit(), r.periodSeconds()), a.quota());
    }

    private static List<String> strings(@Nullable List<? extends @Nullable String> l) {
      return l == null ? List.of() : l.stream().map(java.util.Objects::requireNonNull).map(String::valueOf).toList();
    }
  }
}
