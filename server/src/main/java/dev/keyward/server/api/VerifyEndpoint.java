package dev.keyward.server.api;

import dev.keyward.core.auth.Actor;
import dev.keyward.core.authz.Decision;
import dev.keyward.core.authz.DecisionRequest;
import dev.keyward.core.authz.Decisions;
import dev.keyward.core.authz.Permission;
import dev.keyward.core.authz.RolePermissions;
import dev.keyward.core.error.KeywardException;
import dev.keyward.server.http.Api;
import dev.keyward.server.http.Authn;
import dev.keyward.server.http.Bodies;
import dev.keyward.server.http.Json;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /api/v1/verify} and {@code /api/v1/verify/explain}: the decision function for
 * services in any language. The caller is a service credential holding {@code keyward:verify};
 * the credential it asks about travels in the body. Every decision, allowed or refused, is a 200
 * answer: the caller acts on {@code valid} and {@code code}.
 */
public final class VerifyEndpoint {
  /** Any HTTP method token (RFC 9110 §5.6.2): the route table answers for methods it does not route. */
  private static final Pattern METHOD = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}");
  private static final Pattern SCHEME = Pattern.compile("^[A-Za-z]+ .*", Pattern.DOTALL);
  private static final int MAX_CREDENTIAL = 8192;
  private static final int MAX_TEXT = 4096;

  /** The fields of {@link VerifyRequest}, in its order. */
  private static final List<String> FIELDS =
      List.of("credential", "method", "path", "resource", "origin", "ip", "permission", "tenant");

  private final Decisions decisions;
  private final RolePermissions permissions;
  private final Authn authn;

  public VerifyEndpoint(Decisions decisions, RolePermissions permissions, Authn authn) {
    this.decisions = decisions;
    this.permissions = permissions;
    this.authn = authn;
  }

  record VerifyRequest(@Nullable String credential, @Nullable String method, @Nullable String path,
      @Nullable String resource, @Nullable String origin, @Nullable String ip, @Nullable String permission,
      @Nullable String tenant) {}

  public void register(Api api) {
    api.post("/api/v1/verify", (req, res) -> verify(req, res, false))
        .post("/api/v1/verify/explain", (req, res) -> verify(req, res, true));
  }

  private void verify(ServerRequest req, ServerResponse res, boolean explain) {
    Actor actor = authn.actor(req);
    if (!permissions.of(actor.tenantId(), actor.principal().roles()).allows(Permission.VERIFY)) {
      throw KeywardException.forbidden("The verification API needs a credential whose roles grant " + Permission.VERIFY);
    }
    VerifyRequest body = read(Bodies.readJsonBytes(req));
    Decision d = decisions.decide(question(body, explain, authn.issuer(req)));
    Bodies.okJson(res, VerifyAnswer.write(d, explain));
  }

  /** The question, read token by token when it is the usual flat object (see {@link Json#readFlat}). */
  static VerifyRequest read(byte[] bytes) {
    @Nullable String @Nullable [] f = Json.readFlat(bytes, FIELDS);
    return f == null ? Json.read(bytes, VerifyRequest.class)
        : new VerifyRequest(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]);
  }

  static DecisionRequest question(VerifyRequest body, boolean explain, String issuer) {
    String credential = body.credential();
    if (credential != null && (credential.isEmpty() || credential.length() > MAX_CREDENTIAL)) {
      throw KeywardException.invalidField("credential", "'credential' is 1 to " + MAX_CREDENTIAL + " characters when given");
    }
    // No credential: the call carried none (decided like a request without Authorization).
    List<String> headers = credential == null ? List.of()
        : List.of(SCHEME.matcher(credential).matches() ? credential : "Bearer " + credential);
    Permission permission = null;
    String method = "GET";
    String path = "/";
    if (body.permission() != null) {
      if (body.method() != null || body.path() != null) {
        throw KeywardException.invalidField("permission", "Give either 'permission' or 'method' and 'path', not both");
      }
      permission = Permission.parseRequired("permission", body.permission());
    } else {
      method = Fields.required(body.method(), "method");
      if (!METHOD.matcher(method).matches()) {
        throw KeywardException.invalidField("method", "'method' is an HTTP method name such as GET or POST");
      }
      path = Fields.required(body.path(), "path");
      if (!path.startsWith("/") || path.length() > MAX_TEXT) {
        throw KeywardException.invalidField("path", "'path' starts with '/' and is at most " + MAX_TEXT + " characters");
      }
    }
    return new DecisionRequest(headers, method, path, permission, text(body.resource(), "resource"),
        text(body.origin(), "origin"), text(body.ip(), "ip"), text(body.tenant(), "tenant"), explain, issuer);
  }

  private static @Nullable String text(@Nullable String value, String field) {
    if (value != null && (value.isEmpty() || value.length() > MAX_TEXT)) {
      throw KeywardException.invalidField(field, "'" + field + "' is 1 to " + MAX_TEXT + " characters when given");
    }
    return value;
  }
}
