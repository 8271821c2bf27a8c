package dev.keyward.filter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyward.core.auth.AuthorizationHeader;
import dev.keyward.core.auth.Principal;
import dev.keyward.core.authz.Decision;
import dev.keyward.core.authz.DecisionCode;
import dev.keyward.core.authz.Permission;
import dev.keyward.core.error.KeywardException;
import dev.keyward.core.key.Environment;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The verification API's wire format, both ways: a {@link Question} as the request body, and the
 * answer {@code {"valid","code","message","principal","permission","resource","ratelimit","quota"}}
 * as a {@link Verdict}. An answer that is not exactly readable — an unknown code, {@code valid}
 * disagreeing with the code, a principal missing a field — is {@link Verdict.Unavailable}: the
 * filter refuses what it does not understand rather than guess.
 */
final class VerifyWire {
  private static final ObjectMapper JSON = new ObjectMapper();

  private VerifyWire() {}

  /**
   * A header value the decision function refuses before it reads any store ({@code Bearer} with
   * nothing after it): what is asked when the request's own headers cannot be sent as they are.
   */
  static final String UNUSABLE_CREDENTIAL = "Bearer ";

  /**
   * The body for {@code q}. {@code credential} is the request's one {@code Authorization} value
   * when the decision function would read it; otherwise (none, several, or one without a scheme,
   * which the verification API would take for a bare key) {@link #UNUSABLE_CREDENTIAL}, and the
   * refusal is put back by {@link #verdict}.
   */
  static byte[] request(Question q, @Nullable String credentialRefusal) {
    ObjectNode body = JSON.createObjectNode();
    body.put("credential", credentialRefusal == null ? q.authorization().get(0) : UNUSABLE_CREDENTIAL);
    if (q.permission() != null) {
      body.put("permission", q.permission().toString());
    } else {
      body.put("method", q.method());
      body.put("path", q.path());
    }
    putIfPresent(body, "resource", q.resource());
    putIfPresent(body, "origin", q.origin());
    putIfPresent(body, "ip", q.ip());
    putIfPresent(body, "tenant", q.tenant());
    try {
      return JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree of strings always writes", e);
    }
  }

  /**
   * Why the decision function refuses {@code q}'s headers before looking anything up, exactly as
   * it says it (it parses them with the same {@link AuthorizationHeader}); null when they parse.
   */
  static @Nullable String credentialRefusal(Question q) {
    try {
      AuthorizationHeader.parse(q.authorization());
      return null;
    } catch (KeywardException e) {
      return e.publicMessage();
    }
  }

  /**
   * Reads an answer. When the headers could not be sent ({@code refusal}: {@link #credentialRefusal}),
   * the {@code NOT_FOUND} that the unusable stand-in got carries the message the headers
   * themselves get from the decision function; any answer decided before the credential (a
   * route refusal, a public route) is the same either way.
   */
  static Verdict verdict(@Nullable String refusal, JsonNode answer) {
    Decision d;
    try {
      d = decision(answer);
    } catch (Unreadable e) {
      return new Verdict.Unavailable("Keyward's verification answer is not readable: " + e.getMessage());
    }
    if (refusal != null && d.code() == DecisionCode.NOT_FOUND) {
      d = new Decision(d.code(), refusal, d.principal(), d.permission(), d.resource(), d.rateLimit(), d.quotaRemaining(), d.rules(), d.allow());
    } else if (refusal != null && d.principal() != null) {
      return new Verdict.Unavailable("Keyward named a caller for a request whose credentials do not parse");
    }
    return Verdict.of(d);
  }

  private static Decision decision(JsonNode a) {
    if (!a.isObject()) {
      throw new Unreadable("not a JSON object");
    }
    String codeText = text(a, "code");
    DecisionCode code;
    try {
      code = DecisionCode.valueOf(codeText);
    } catch (IllegalArgumentException e) {
      throw new Unreadable("unknown code " + quoted(codeText) + " (is this filter older than the server?)");
    }
    JsonNode valid = a.path("valid");
    if (!valid.isBoolean() || valid.asBoolean() != (code == DecisionCode.VALID)) {
      throw new Unreadable("'valid' is " + valid + " with code " + code);
    }
    return new Decision(
        code,
        text(a, "message"),
        principal(a.path("principal")),
        permission(a.path("permission")),
        optionalText(a, "resource"),
        limit(a.path("ratelimit")),
        wholeNumber(a, "quota"),
        List.of(),
        methods(a.path("allow")));
  }

  /** The path's methods named with a 405 (absent otherwise, and from servers before they were). */
  private static List<String> methods(JsonNode allow) {
    if (allow.isMissingNode() || allow.isNull()) {
      return List.of();
    }
    if (!allow.isArray()) {
      throw new Unreadable("'allow' is not an array");
    }
    List<String> names = new ArrayList<>();
    for (JsonNode m : allow) {
      if (!m.isTextual() || !m.asText().matches("[A-Z]{1,16}")) {
        throw new Unreadable("'allow' holds something other than a method name");
      }
      names.add(m.asText());
    }
    return names;
  }

  private static @Nullable Principal principal(JsonNode p) {
    if (p.isMissingNode() || p.isNull()) {
      return null;
    }
    if (!p.isObject()) {
      throw new Unreadable("'principal' is not an object");
    }
    JsonNode roles = p.path("roles");
    if (!roles.isArray()) {
      throw new Unreadable("'principal.roles' is not an array");
    }
    Set<String> roleNames = new LinkedHashSet<>();
    for (JsonNode r : roles) {
      if (!r.isTextual()) {
        throw new Unreadable("'principal.roles' holds a non-text");
      }
      roleNames.add(r.asText());
    }
    String environment = optionalText(p, "environment");
    return new Principal(
        text(p, "tenantId"),
        text(p, "tenant"),
        text(p, "userId"),
        text(p, "email"),
        roleNames,
        credentialType(text(p, "credential")),
        optionalText(p, "keyId"),
        environment == null ? null : Environment.fromWire(environment)
            .orElseThrow(() -> new Unreadable("unknown environment " + quoted(environment))),
        // The verification API does not say whether the key is an admin key: admin keys reach
        // only Keyward's own admin API, never a service behind this filter.
        false);
  }

  private static Principal.CredentialType credentialType(String wire) {
    for (Principal.CredentialType t : Principal.CredentialType.values()) {
      if (t.wireName().equals(wire)) {
        return t;
      }
    }
    throw new Unreadable("unknown credential type " + quoted(wire));
  }

  private static @Nullable Permission permission(JsonNode p) {
    if (p.isMissingNode() || p.isNull()) {
      return null;
    }
    if (!p.isTextual()) {
      throw new Unreadable("'permission' is not a text");
    }
    try {
      return Permission.parseGrant("permission", p.asText());
    } catch (KeywardException e) {
      throw new Unreadable("'permission' is malformed");
    }
  }

  private static Decision.@Nullable Limit limit(JsonNode l) {
    if (l.isMissingNode() || l.isNull()) {
      return null;
    }
    if (!l.isObject() || !l.path("limit").isIntegralNumber() || !l.path("remaining").isIntegralNumber()) {
      throw new Unreadable("'ratelimit' is not {limit, remaining, resetAt}");
    }
    JsonNode reset = l.path("resetAt");
    Instant resetAt;
    try {
      if (reset.isTextual()) {
        resetAt = Instant.parse(reset.asText());
      } else if (reset.isIntegralNumber()) {
        resetAt = Instant.ofEpochSecond(reset.asLong());
      } else {
        throw new Unreadable("'ratelimit.resetAt' is neither an ISO instant nor epoch seconds");
      }
    } catch (DateTimeException e) {
      throw new Unreadable("'ratelimit.resetAt' is not an instant");
    }
    return new Decision.Limit(l.path("limit").asLong(), l.path("remaining").asLong(), resetAt);
  }

  private static String text(JsonNode o, String field) {
    JsonNode n = o.path(field);
    if (!n.isTextual()) {
      throw new Unreadable("'" + field + "' is missing or not a text");
    }
    return n.asText();
  }

  private static @Nullable String optionalText(JsonNode o, String field) {
    JsonNode n = o.path(field);
    if (n.isMissingNode() || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw new Unreadable("'" + field + "' is not a text");
    }
    return n.asText();
  }

  private static @Nullable Long wholeNumber(JsonNode o, String field) {
    JsonNode n = o.path(field);
    if (n.isMissingNode() || n.isNull()) {
      return null;
    }
    if (!n.isIntegralNumber() || !n.canConvertToLong()) {
      throw new Unreadable("'" + field + "' is not a whole number");
    }
    return n.asLong();
  }

  private static void putIfPresent(ObjectNode body, String field, @Nullable String value) {
    if (value != null) {
      body.put(field, value);
    }
  }

  /** A short, printable form of a server-given text for a log line. */
  private static String quoted(String s) {
    String cut = s.length() > 40 ? s.substring(0, 40) + "…" : s;
    return "'" + cut.replaceAll("[^\\x20-\\x7e]", "?") + "'";
  }

  /** The answer does not have the documented shape. */
  private static final class Unreadable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unreadable(String message) {
      super(message, null, false, false);
    }
  }
}
