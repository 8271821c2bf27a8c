package dev.keyward.core.authz;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One question for the decision function: may the caller holding {@code authorization} do
 * {@code method path} (or hold {@code permission} on {@code resource}) from {@code origin} and
 * {@code ip}, now?
 *
 * @param authorization the {@code Authorization} header values as received (empty: none)
 * @param method the HTTP method, upper case; ignored when {@code permission} is given
 * @param path the raw request path (no query); ignored when {@code permission} is given
 * @param permission a permission to check instead of looking the path up in the route table
 * @param resource the resource acted on, when the caller knows it better than the route table
 * @param origin the {@code Origin} header of a browser call, null for native callers
 * @param ip the caller's address as seen by the trusted edge, or null when unknown
 * @param tenantSlug the tenant the caller asks to act in, or null
 * @param explain whether to record every rule applied ({@code /verify/explain}); an explanation
 *     consumes neither rate limit nor quota
 * @param issuer the token issuer access tokens must carry (the configured one, or the one derived
 *     from the request's base URL)
 */
public record DecisionRequest(
    List<String> authorization,
    String method,
    String path,
    @Nullable Permission permission,
    @Nullable String resource,
    @Nullable String origin,
    @Nullable String ip,
    @Nullable String tenantSlug,
    boolean explain,
    String issuer) {

  public DecisionRequest {
    authorization = List.copyOf(authorization);
  }

  /** Never prints the credentials. */
  @Override
  public String toString() {
    return "DecisionRequest[" + method + " " + path + (permission == null ? "" : " permission=" + permission)
        + ", " + authorization.size() + " Authorization value(s) (redacted)]";
  }
}
