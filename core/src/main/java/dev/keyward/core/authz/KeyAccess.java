package dev.keyward.core.authz;

import dev.keyward.core.error.Echo;
import dev.keyward.core.error.KeywardException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A key's own access options, set when the key is created and editable later. What a key may do is
 * these options intersected with its owner's current rights; this record holds the key's side only.
 *
 * <p>The store and HTTP layers handle the {@link Wire} form (strings, lists of strings, booleans
 * and numbers, as in a JSON body) and never the parsed types: {@link #fromWire} validates it with
 * 400s that name the field ({@code resources[2]}, {@code callers.hostnames[0]}, {@code
 * rateLimit.periodSeconds}…), {@link #toWire} gives it back normalised.
 *
 * @param resources resource patterns; deny by default (empty)
 * @param dataAccess how much customer data the key may touch (default {@link DataAccess#NONE})
 * @param manageAlgorithms whether the key may manage algorithms (default false)
 * @param callers which callers may use the key (default native calls only)
 * @param ipAllowlist where calls may come from (default any address)
 * @param rateLimit calls per period, or null for none
 * @param quota the number of uses the key starts with (0 to 10^12), or null for unlimited
 */
public record KeyAccess(
    ResourcePatterns resources,
    DataAccess dataAccess,
    boolean manageAlgorithms,
    Callers callers,
    IpAllowlist ipAllowlist,
    @Nullable RateLimit rateLimit,
    @Nullable Long quota) {

  /** The largest quota a key may start with. */
  public static final long MAX_QUOTA = 1_000_000_000_000L;

  /** No resources, no data access, no algorithm management, native calls from anywhere, no limits. */
  public static final KeyAccess DEFAULT = new KeyAccess(
      ResourcePatterns.NONE, DataAccess.NONE, false, Callers.NATIVE_ONLY, IpAllowlist.ANY, null, null);

  /** @throws KeywardException 400 naming {@code quota} when it is out of range */
  public KeyAccess {
    if (quota != null) {
      WholeNumbers.inRange("quota", quota, 0, MAX_QUOTA);
    }
  }

  /**
   * The options as a JSON body carries them: every member may be absent (null), and then takes
   * its default.
   *
   * @param resources {@code resources}: pattern strings
   * @param dataAccess {@code dataAccess}: {@code none}, {@code read} or {@code read_write}
   * @param manageAlgorithms {@code manageAlgorithms}
   * @param callers {@code callers}
   * @param ipAllowlist {@code ipAllowlist}: CIDR strings
   * @param rateLimit {@code rateLimit}
   * @param quota {@code quota}: a whole number
   */
  public record Wire(
      @Nullable List<? extends @Nullable String> resources,
      @Nullable String dataAccess,
      @Nullable Boolean manageAlgorithms,
      @Nullable CallersWire callers,
      @Nullable List<? extends @Nullable String> ipAllowlist,
      @Nullable RateLimitWire rateLimit,
      @Nullable Number quota) {
    /** Every member absent: {@link KeyAccess#DEFAULT}. */
    public static final Wire EMPTY = new Wire(null, null, null, null, null, null, null);
  }

  /**
   * {@code callers} on the wire: {@code {"native":…,"browser":…,"hostnames":[…]}}.
   *
   * @param nativeCalls the wire member {@code native} (default true)
   * @param browser {@code browser} (default false)
   * @param hostnames {@code hostnames} (default none)
   */
  public record CallersWire(
      @Nullable Boolean nativeCalls, @Nullable Boolean browser, @Nullable List<? extends @Nullable String> hostnames) {}

  /** {@code rateLimit} on the wire: {@code {"limit":N,"periodSeconds":S}}, both required. */
  public record RateLimitWire(@Nullable Number limit, @Nullable Number periodSeconds) {}

  /**
   * Validates and reads the wire form.
   *
   * @throws KeywardException 400 naming the first bad field
   */
  public static KeyAccess fromWire(Wire wire) {
    List<? extends @Nullable String> resourceTexts = wire.resources();
    ResourcePatterns resources = resourceTexts == null ? ResourcePatterns.NONE : ResourcePatterns.parse("resources", resourceTexts);
    String dataAccessText = wire.dataAccess();
    DataAccess dataAccess = dataAccessText == null ? DataAccess.NONE : dataAccess(dataAccessText);
    Callers callers = callers(wire.callers());
    List<? extends @Nullable String> ipTexts = wire.ipAllowlist();
    IpAllowlist ipAllowlist = ipTexts == null ? IpAllowlist.ANY : IpAllowlist.parse("ipAllowlist", ipTexts);
    RateLimitWire r = wire.rateLimit();
    RateLimit rateLimit = r == null ? null : RateLimit.parse("rateLimit", r.limit(), r.periodSeconds());
    Number quotaNumber = wire.quota();
    Long quota = quotaNumber == null ? null : WholeNumbers.inRange("quota", quotaNumber, 0, MAX_QUOTA);
    boolean manageAlgorithms = Boolean.TRUE.equals(wire.manageAlgorithms());
    return new KeyAccess(resources, dataAccess, manageAlgorithms, callers, ipAllowlist, rateLimit, quota);
  }

  /** The wire form, every member present (normalised), {@code rateLimit} and {@code quota} null when unset. */
  public Wire toWire() {
    return new Wire(
        resources.texts(),
        dataAccess.wireName(),
        manageAlgorithms,
        new CallersWire(callers.nativeCalls(), callers.browser(), callers.hostnames()),
        ipAllowlist.texts(),
        rateLimit == null ? null : new RateLimitWire(rateLimit.limit(), rateLimit.periodSeconds()),
        quota);
  }

  /**
   * Advice to return with a 2xx: resource patterns covered by others (both named), host names that
   * have no effect while browser calls are off.
   */
  public List<String> warnings() {
    List<String> all = new ArrayList<>(resources.warnings());
    all.addAll(callers.warnings());
    return List.copyOf(all);
  }

  private static Callers callers(@Nullable CallersWire wire) {
    if (wire == null) {
      return Callers.NATIVE_ONLY;
    }
    List<? extends @Nullable String> hostnames = wire.hostnames();
    return Callers.parse("callers",
        !Boolean.FALSE.equals(wire.nativeCalls()),
        Boolean.TRUE.equals(wire.browser()),
        hostnames == null ? List.of() : hostnames);
  }

  private static DataAccess dataAccess(String text) {
    return DataAccess.fromWire(text).orElseThrow(() -> KeywardException.invalidField("dataAccess",
        "Data access is one of 'none', 'read' or 'read_write': " + Echo.quoted(text)));
  }
}
