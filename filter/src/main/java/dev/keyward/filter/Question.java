package dev.keyward.filter;

import dev.keyward.core.authz.DecisionRequest;
import dev.keyward.core.authz.Permission;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One question for a {@link Decider}: may the caller who sent {@code authorization} do {@code
 * method path} (or hold {@code permission} on {@code resource}) from {@code origin} and {@code
 * ip}, in {@code tenant}, now? Build it with {@link #of} and the {@code with…} methods.
 *
 * <p>{@link #toString()} never shows the credentials.
 *
 * @param authorization the {@code Authorization} header values exactly as received (empty: none)
 * @param method the HTTP method as received ({@code HEAD} is asked as {@code GET} by the filter)
 * @param path the raw request path, without the query
 * @param origin the {@code Origin} header of a browser call; null for native callers
 * @param ip the caller's address, or null when unknown
 * @param tenant the tenant slug the caller asks to act in ({@code X-Keyward-Tenant}), or null
 * @param permission a permission to check instead of looking the path up in the route table
 * @param resource the resource acted on, when the service knows it better than the route table
 */
public record Question(
    List<String> authorization,
    String method,
    String path,
    @Nullable String origin,
    @Nullable String ip,
    @Nullable String tenant,
    @Nullable Permission permission,
    @Nullable String resource) {

  public Question {
    authorization = List.copyOf(authorization);
  }

  /** A native call ({@code Origin} unknown) from an unknown address, routed by method and path. */
  public static Question of(List<String> authorization, String method, String path) {
    return new Question(authorization, method, path, null, null, null, null, null);
  }

  public Question withOrigin(@Nullable String origin) {
    return new Question(authorization, method, path, origin, ip, tenant, permission, resource);
  }

  public Question withIp(@Nullable String ip) {
    return new Question(authorization, method, path, origin, ip, tenant, permission, resource);
  }

  public Question withTenant(@Nullable String tenant) {
    return new Question(authorization, method, path, origin, ip, tenant, permission, resource);
  }

  public Question withPermission(@Nullable Permission permission) {
    return new Question(authorization, method, path, origin, ip, tenant, permission, resource);
  }

  public Question withResource(@Nullable String resource) {
    return new Question(authorization, method, path, origin, ip, tenant, permission, resource);
  }

  /**
   * The question as the decision function takes it (never an explanation: that is not a call),
   * with the issuer the caller's access tokens must name.
   */
  public DecisionRequest toRequest(String issuer) {
    return new DecisionRequest(authorization, method, path, permission, resource, origin, ip, tenant, false, issuer);
  }

  /** The question without its credentials, which are shown only as how many header values there were. */
  @Override
  public String toString() {
    return "Question[authorization=<" + authorization.size() + " redacted>, method=" + method + ", path=" + path
        + ", origin=" + origin + ", ip=" + ip + ", tenant=" + tenant + ", permission=" + permission
        + ", resource=" + resource + "]";
  }
}
