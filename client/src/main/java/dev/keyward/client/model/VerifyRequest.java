package dev.keyward.client.model;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A question for the decision function ({@code POST /api/v1/verify}): may this credential make
 * this call? {@code VerifyRequest.route(authorizationHeader, "POST", "/v1/algo/acme/resize").withIp(ip)}.
 * {@code toString()} never shows the credential.
 */
public final class VerifyRequest {
  private final Members members;

  private VerifyRequest(Members members) {
    this.members = members;
  }

  /**
   * A call of a route of the route table.
   *
   * @param credential the caller's {@code Authorization} value ({@code Bearer …}, {@code Basic …})
   *     or a bare key or token; null when the call carried none
   */
  public static VerifyRequest route(@Nullable String credential, String method, String path) {
    return new VerifyRequest(credential(credential).with("method", method).with("path", path));
  }

  /** A permission ({@code resource:action}) to check instead of a route. */
  public static VerifyRequest permission(@Nullable String credential, String permission) {
    return new VerifyRequest(credential(credential).with("permission", permission));
  }

  private static Members credential(@Nullable String credential) {
    return credential == null ? Members.empty() : Members.empty().with("credential", credential);
  }

  public VerifyRequest withResource(String resource) {
    return new VerifyRequest(members.with("resource", resource));
  }

  /** The {@code Origin} of a browser call. */
  public VerifyRequest withOrigin(String origin) {
    return new VerifyRequest(members.with("origin", origin));
  }

  /** The caller's address. */
  public VerifyRequest withIp(String ip) {
    return new VerifyRequest(members.with("ip", ip));
  }

  /** The tenant slug asked for ({@code X-Keyward-Tenant}). */
  public VerifyRequest withTenant(String slug) {
    return new VerifyRequest(members.with("tenant", slug));
  }

  /** The JSON members sent. */
  public Map<String, @Nullable Object> toJson() {
    return members.map();
  }

  @Override
  public String toString() {
    Object what = members.has("permission") ? members.map().get("permission") : members.map().get("method") + " " + members.map().get("path");
    return "VerifyRequest[" + what + (members.has("credential") ? ", credential redacted" : ", no credential") + "]";
  }
}
