package dev.keyward.core.authz;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.keyward.core.auth.Authenticator;
import dev.keyward.core.auth.CredentialChanges;
import dev.keyward.core.auth.InvalidCredentials;
import dev.keyward.core.auth.Principal;
import dev.keyward.core.error.ErrorCode;
import dev.keyward.core.error.KeywardException;
import dev.keyward.core.key.ApiKey;
import dev.keyward.core.key.Environment;
import dev.keyward.core.key.KeyStore;
import dev.keyward.core.tenant.TenantSettings;
import dev.keyward.core.tenant.TenantStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The one decision function. In order: the route (or the permission asked directly), who the
 * caller is, then every limit — admin keys, environment, signed-in user, callers, IP, permission,
 * resource, data access, algorithm management — and last the rate limit and the quota, so that a
 * refused call consumes neither (a call refused for its quota gives its rate-limit use back). The
 * first rule that refuses decides; an explanation lists every rule applied up to it, and consumes
 * nothing.
 *
 * <p>Everything read from the store (keys, roles, tenant settings) is cached for the same short
 * time as authentication, so a change on another node is seen within that bound; a store that
 * cannot be read makes {@link #decide} throw (fail closed), never allow.
 */
public final class DecisionEngine implements Decisions, CredentialChanges {
  private final Authenticator authenticator;
  private final Supplier<RouteTable> routes;
  private final RolePermissions permissions;
  private final KeyStore keys;
  private final RateLimiter rateLimiter;
  private final LoadingCache<String, TenantSettings> settings;
  private final Cache<String, Optional<ApiKey>> keyCache;

  public DecisionEngine(
      Authenticator authenticator,
      Supplier<RouteTable> routes,
      RolePermissions permissions,
      KeyStore keys,
      TenantStore tenants,
      RateLimiter rateLimiter,
      Duration cacheTtl) {
    this.authenticator = authenticator;
    this.routes = routes;
    this.permissions = permissions;
    this.keys = keys;
    this.rateLimiter = rateLimiter;
    this.settings = Caffeine.newBuilder().expireAfterWrite(cacheTtl).maximumSize(10_000).build(tenants::settings);
    this.keyCache = Caffeine.newBuilder().expireAfterWrite(cacheTtl).maximumSize(100_000).build();
  }

  @Override
  public Decision decide(DecisionRequest request) {
    return new Run(request).decide();
  }

  @Override
  public void changed() {
    settings.invalidateAll();
    keyCache.invalidateAll();
    permissions.changed();
  }

  /** One decision in progress: what has been found so far, and the rules applied. */
  private final class Run {
    private final DecisionRequest request;
    private final @Nullable List<Decision.Rule> rules;
    private @Nullable Principal principal;
    private @Nullable Permission permission;
    private @Nullable String resource;
    private Decision.@Nullable Limit limit;
    private @Nullable Long quota;
    private List<String> allow = List.of();

    Run(DecisionRequest request) {
      this.request = request;
      this.rules = request.explain() ? new ArrayList<>() : null;
    }

    Decision decide() {
      Route route = null;
      if (request.permission() != null) {
        permission = request.permission();
        resource = request.resource();
        Permission asked = permission;
        passed("route", () -> "permission " + asked + " asked directly");
      } else {
        RouteLookup lookup = routes.get().lookup(request.method(), request.path());
        switch (lookup) {
          case RouteLookup.Refused r -> {
            return refuse(DecisionCode.BAD_PATH, "route", r.message());
          }
          case RouteLookup.NotFound n -> {
            return refuse(DecisionCode.ROUTE_NOT_FOUND, "route", "No route of the route table matches " + n.canonicalPath());
          }
          case RouteLookup.MethodNotAllowed m -> {
            allow = m.allowedMethods();
            return refuse(DecisionCode.METHOD_NOT_ALLOWED, "route", "This path allows " + m.allowHeader());
          }
          case RouteLookup.Found f -> {
            route = f.match().route();
            if (route.isPublic()) {
              Route open = route;
              passed("route", () -> open + " is public: no credential needed");
              return decision(DecisionCode.VALID, "Public route");
            }
            permission = route.permission().orElseThrow();
            switch (f.match().resource()) {
              case ResourceExpansion.None n -> resource = request.resource();
              case ResourceExpansion.Formed formed -> resource = formed.resource();
              case ResourceExpansion.Unformable u -> {
                return refuse(DecisionCode.FORBIDDEN, "route",
                    "The path's '" + u.variable() + "' cannot name a resource: " + u.reason());
              }
            }
            Route matched = route;
            passed("route", () -> "matched " + matched + " on " + f.match().canonicalPath());
          }
        }
      }
      return authenticateThenCheck(route);
    }

    private Decision authenticateThenCheck(@Nullable Route route) {
      Principal p;
      try {
        p = authenticator.authenticate(request.authorization(), request.tenantSlug(), request.ip(), request.issuer());
      } catch (InvalidCredentials e) {
        return refuse(switch (e.reason()) {
          case UNKNOWN -> DecisionCode.NOT_FOUND;
          case EXPIRED -> DecisionCode.EXPIRED;
          case REVOKED -> DecisionCode.REVOKED;
        }, "credential", e.publicMessage());
      } catch (KeywardException e) {
        if (e.code() == ErrorCode.UNAVAILABLE) {
          throw e;
        }
        DecisionCode code = switch (e.code()) {
          case ACCOUNT_LOCKED -> DecisionCode.LOCKED;
          case FORBIDDEN, TENANT_REQUIRED -> DecisionCode.FORBIDDEN;
          default -> DecisionCode.NOT_FOUND;
        };
        return refuse(code, "credential", e.publicMessage());
      }
      principal = p;
      passed("credential", () -> p.credential().wireName() + " of " + p.email() + (p.keyId() == null ? "" : " (key " + p.keyId() + ")"));
      if (p.adminKey()) {
        return refuse(DecisionCode.FORBIDDEN, "admin-key", "Admin keys reach only Keyward's admin API, not the API behind it");
      }
      TenantSettings tenant = settings.get(p.tenantId());
      boolean production = p.environment() != Environment.SANDBOX;
      if (p.environment() == Environment.PRODUCTION && !tenant.productionEnabled()) {
        return refuse(DecisionCode.ENVIRONMENT_DISABLED, "environment",
            "Production keys are switched off in this tenant: use a sandbox key, or ask an owner to enable production");
      }
      if (route != null && route.productionOnly() && !production) {
        return refuse(DecisionCode.ENVIRONMENT_DISABLED, "environment", "This route needs a production credential; this one is sandbox");
      }
      passed("environment", () -> p.environment() == null ? "no key environment" : p.environment().wireName());
      if (route != null && route.requiresUser()) {
        if (p.credential() != Principal.CredentialType.PARTNER_USER) {
          return refuse(DecisionCode.USER_REQUIRED, "user",
              "This route needs a signed-in user: send 'Authorization: Bearer <partner key>, User <user token>'");
        }
        passed("user", () -> p.email() + " signed in through a partner key");
      }
      String keyId = p.keyId();
      ApiKey key = keyId == null ? null : liveKey(p.tenantId(), keyId);
      if (keyId != null && key == null) {
        return refuse(DecisionCode.REVOKED, "credential", Authenticator.INVALID_MESSAGE);
      }
      KeyAccess access = key == null ? null : key.access();
      Decision refused = checkCallers(access);
      if (refused != null) {
        return refused;
      }
      Permission needed = java.util.Objects.requireNonNull(permission, "permission");
      if (!permissions.of(p.tenantId(), p.roles()).allows(needed)) {
        return refuse(DecisionCode.FORBIDDEN, "permission", "Missing permission " + needed
            + (p.roles().isEmpty() ? ": the credential has no roles" : ": roles " + String.join(", ", p.roles().stream().sorted().toList()) + " do not grant it"));
      }
      passed("permission", () -> needed + " granted");
      refused = checkKeyLimits(route, access);
      if (refused != null) {
        return refused;
      }
      return key == null ? decision(DecisionCode.VALID, "Allowed") : admit(key);
    }

    private @Nullable ApiKey liveKey(String tenantId, String keyId) {
      Optional<ApiKey> key = keyCache.get(keyId, k -> keys.find(tenantId, k));
      return key.filter(k -> !k.isRevoked()).orElse(null);
    }

    private @Nullable Decision checkCallers(@Nullable KeyAccess access) {
      String origin = request.origin();
      if (access == null) {
        if (origin != null) {
          return refuse(DecisionCode.ORIGIN_NOT_ALLOWED, "callers",
              "Browser calls need an API key that allows browser callers from this origin");
        }
        passed("callers", "native call");
      } else {
        CallerCheck check = access.callers().check(origin);
        if (check instanceof CallerCheck.Refused r) {
          return refuse(r.reason() == CallerCheck.Reason.NATIVE_NOT_ALLOWED ? DecisionCode.NATIVE_NOT_ALLOWED : DecisionCode.ORIGIN_NOT_ALLOWED,
              "callers", r.message());
        }
        passed("callers", origin == null ? "native call allowed" : "browser origin allowed");
      }
      String ip = request.ip();
      if (access != null && !access.ipAllowlist().allowsAnyAddress()) {
        if (ip == null || !access.ipAllowlist().allows(ip)) {
          return refuse(DecisionCode.IP_NOT_ALLOWED, "ip", "The caller's address is not in this key's IP allow-list");
        }
        passed("ip", "address in the allow-list");
      }
      return null;
    }

    private @Nullable Decision checkKeyLimits(@Nullable Route route, @Nullable KeyAccess access) {
      if (resource != null) {
        if (access != null && !access.resources().allows(resource)) {
          return refuse(DecisionCode.FORBIDDEN, "resource", "The key's resource patterns do not cover " + resource);
        }
        String covered = resource;
        passed("resource", () -> access == null ? covered + " (no key: roles decide)" : covered + " covered by the key's patterns");
      }
      if (route != null && route.dataAccess().isPresent()) {
        DataAccess needed = route.dataAccess().get();
        if (access != null && !access.dataAccess().permits(needed)) {
          return refuse(DecisionCode.FORBIDDEN, "data", "This route needs data access '" + needed.wireName()
              + "'; the key has '" + access.dataAccess().wireName() + "'");
        }
        passed("data", () -> "needs " + needed.wireName());
      }
      if (route != null && route.requiresAlgorithmManagement()) {
        if (access != null && !access.manageAlgorithms()) {
          return refuse(DecisionCode.FORBIDDEN, "algorithms", "This route needs a key allowed to manage algorithms");
        }
        passed("algorithms", "algorithm management allowed");
      }
      return null;
    }

    private Decision admit(ApiKey key) {
      KeyAccess access = key.access();
      RateLimit rl = access.rateLimit();
      RateLimiter.Result counted = null;
      if (rl != null) {
        RateLimiter.Result r = request.explain() ? rateLimiter.peek(key.id(), rl) : rateLimiter.tryConsume(key.id(), rl);
        limit = new Decision.Limit(r.limit(), r.remaining(), r.resetAt());
        if (!r.allowed()) {
          return refuse(DecisionCode.RATE_LIMITED, "rate-limit", "Rate limit of " + rl.limit() + " calls per "
              + rl.periodSeconds() + " s reached; retry after " + r.resetAt());
        }
        passed("rate-limit", () -> r.remaining() + " of " + r.limit() + " left" + (request.explain() ? " (not consumed)" : ""));
        counted = request.explain() ? null : r;
      }
      if (access.quota() != null) {
        OptionalLong left;
        try {
          left = request.explain() ? peekQuota(key) : keys.consumeQuota(key.tenantId(), key.id());
        } catch (RuntimeException e) {
          giveBack(key, rl, counted); // the call fails closed: it consumes nothing either
          throw e;
        }
        if (left.isEmpty()) {
          quota = 0L;
          giveBack(key, rl, counted);
          return refuse(DecisionCode.QUOTA_EXCEEDED, "quota", "The key's usage quota is used up");
        }
        quota = left.getAsLong();
        long uses = left.getAsLong();
        passed("quota", () -> uses + " uses left" + (request.explain() ? " (not consumed)" : ""));
      }
      return decision(DecisionCode.VALID, "Allowed");
    }

    /** A call counted against the rate limit and refused after all is given back: a refused call consumes nothing. */
    private void giveBack(ApiKey key, @Nullable RateLimit rl, RateLimiter.@Nullable Result counted) {
      if (rl != null && counted != null) {
        rateLimiter.giveBack(key.id(), rl, counted);
        limit = new Decision.Limit(counted.limit(), Math.min(counted.limit(), counted.remaining() + 1), counted.resetAt());
      }
    }

    private OptionalLong peekQuota(ApiKey key) {
      Long remaining = keys.find(key.tenantId(), key.id()).map(ApiKey::quotaRemaining).orElse(null);
      return remaining == null || remaining <= 0 ? OptionalLong.empty() : OptionalLong.of(remaining);
    }

    private void passed(String rule, String detail) {
      if (rules != null) {
        rules.add(new Decision.Rule(rule, true, detail));
      }
    }

    /** A rule that passed, its detail worked out only when explaining: deciding builds no text it would drop. */
    private void passed(String rule, Supplier<String> detail) {
      if (rules != null) {
        rules.add(new Decision.Rule(rule, true, detail.get()));
      }
    }

    private Decision refuse(DecisionCode code, String rule, String message) {
      if (rules != null) {
        rules.add(new Decision.Rule(rule, false, message));
      }
      return decision(code, message);
    }

    private Decision decision(DecisionCode code, String message) {
      return new Decision(code, message, principal, permission, resource, limit, quota, rules == null ? List.of() : rules, allow);
    }
  }
}
