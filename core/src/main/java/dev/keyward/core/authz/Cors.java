package dev.keyward.core.authz;

/**
 * What the doors that answer browsers (the gateway and the Java filter) say in CORS headers, in
 * one place so that they say the same. Which origins may call is the decision's business
 * ({@link WebOrigin}, a key's allowed callers); this is only how an answer is dressed.
 */
public final class Cors {
  /** How long a browser may reuse a preflight answer (Chromium caps it at 2 hours). */
  public static final int MAX_AGE_SECONDS = 600;
  /** The request headers a preflight allows: the credential and the body's type. */
  public static final String ALLOW_HEADERS = "Authorization, Content-Type";
  /** The answer headers a page may read besides the safelisted ones: the rate-limit state. */
  public static final String EXPOSE_HEADERS = "RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset";

  private Cors() {}

  /**
   * True when {@code origin} is a web origin that may be echoed in
   * {@code Access-Control-Allow-Origin}: {@code http(s)://host[:port]} as the decision reads
   * origins, in printable ASCII (browsers send host names in punycode). {@code null} (an opaque
   * origin: a sandboxed frame, a file) is not one.
   */
  public static boolean isEchoable(String origin) {
    return origin.chars().allMatch(c -> c > 0x20 && c < 0x7f) && WebOrigin.parse(origin).isPresent();
  }
}
