package dev.keyward.core.authz;

import static dev.keyward.core.authz.HttpMethod.GET;
import static dev.keyward.core.authz.HttpMethod.POST;
import static dev.keyward.core.authz.HttpMethod.PUT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.core.auth.Actor;
import dev.keyward.core.auth.Principal;
import dev.keyward.core.key.ApiKey;
import dev.keyward.core.key.ApiKeyFormat;
import dev.keyward.core.key.Environment;
import dev.keyward.core.key.KeyService;
import dev.keyward.core.principal.UserService;
import dev.keyward.core.secret.Secret;
import dev.keyward.core.secret.SecretGenerator;
import dev.keyward.core.tenant.TenantService;
import dev.keyward.core.testing.TestKeyward;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The one decision function over the in-memory stores, with a route table built in code (the
 * algorithm-hosting example, plus one route that requires everything): every rule in its order,
 * every code, what a refusal consumes (nothing), what an explanation consumes (nothing), and how
 * a change of roles reaches a key's next decision (ASVS-11).
 */
class DecisionEngineTest {
  /** Every rule, in the order the engine applies them; {@code admin-key} appears only when it refuses. */
  static final List<String> ORDER = List.of("route", "credential", "admin-key", "environment", "user", "callers", "ip",
      "permission", "resource", "data", "algorithms", "rate-limit", "quota");

  static final RouteTable TABLE = RouteTable.of(List.of(
      Route.open(GET, "/v1/status"),
      Route.requiring(GET, "/v1/algo", "algo:list"),
      Route.requiring(GET, "/v1/algo/{owner}", "algo:list"),
      Route.requiring(GET, "/v1/algo/{owner}/{name}", "algo:read").withResource("algo://{owner}/{name}"),
      Route.requiring(POST, "/v1/algo/{owner}/{name}", "algo:invoke").withResource("algo://{owner}/{name}"),
      Route.requiring(PUT, "/v1/algo/{owner}/{name}", "algo:manage").withResource("algo://{owner}/{name}").withAlgorithmManagement(),
      Route.requiring(POST, "/v1/algo/{owner}/{name}/publish", "algo:publish").withResource("algo://{owner}/{name}")
          .withAlgorithmManagement().withProductionOnly(),
      Route.requiring(GET, "/v1/data/{path*}", "data:read").withResource("data://{path}").withData(DataAccess.READ),
      Route.requiring(PUT, "/v1/data/{path*}", "data:write").withResource("data://{path}").withData(DataAccess.READ_WRITE),
      Route.requiring(GET, "/v1/account", "account:read").withUser(),
      // Needs everything a route can ask for: the ladder test walks its rules one by one.
      Route.requiring(POST, "/v1/vault/{owner}/{name}", "vault:open").withResource("vault://{owner}/{name}").withUser()
          .withData(DataAccess.READ_WRITE).withAlgorithmManagement().withProductionOnly()));

  private final TestKeyward k = TestKeyward.start();
  private final Actor owner = k.owner();
  private final DecisionEngine engine;
  private int keys;

  DecisionEngineTest() {
    k.roleService().create(owner, "consumer", List.of("algo:list", "algo:read", "algo:invoke", "data:read"), null);
    k.roleService().create(owner, "developer", List.of("algo:*", "data:*", "account:read"), null);
    k.roleService().create(owner, "account-holder", List.of("account:read", "account:update"), null);
    k.roleService().create(owner, "vault", List.of("vault:open"), null);
    engine = k.decisions(TABLE);
  }

  // ---------------------------------------------------------------- helpers

  /** One question, with the defaults of a native call from {@link TestKeyward#IP}. */
  record Ask(List<String> authorization, String method, String path, @Nullable Permission permission,
      @Nullable String resource, @Nullable String origin, @Nullable String ip, @Nullable String tenant) {
    DecisionRequest request(boolean explain) {
      return new DecisionRequest(authorization, method, path, permission, resource, origin, ip, tenant, explain, TestKeyward.ISSUER);
    }

    Ask origin(@Nullable String o) {
      return new Ask(authorization, method, path, permission, resource, o, ip, tenant);
    }

    Ask ip(@Nullable String address) {
      return new Ask(authorization, method, path, permission, resource, origin, address, tenant);
    }

    Ask tenant(@Nullable String slug) {
      return new Ask(authorization, method, path, permission, resource, origin, ip, slug);
    }

    Ask path(String p) {
      return new Ask(authorization, method, p, permission, resource, origin, ip, tenant);
    }

    Ask as(List<String> header) {
      return new Ask(header, method, path, permission, resource, origin, ip, tenant);
    }
  }

  static Ask ask(List<String> authorization, String method, String path) {
    return new Ask(authorization, method, path, null, null, null, TestKeyward.IP, null);
  }

  static Ask ask(Secret key, String method, String path) {
    return ask(TestKeyward.bearer(key), method, path);
  }

  static Ask askPermission(Secret key, String permission, @Nullable String resource) {
    return new Ask(TestKeyward.bearer(key), "GET", "/", Permission.parseRequired("permission", permission), resource, null,
        TestKeyward.IP, null);
  }

  Decision decide(Ask a) {
    return engine.decide(a.request(false));
  }

  Decision explain(Ask a) {
    return engine.decide(a.request(true));
  }

  /** Decides, and checks the explanation (asked first: it consumes nothing) gives the same code. */
  Decision assertCode(Ask a, DecisionCode code) {
    Decision explained = explain(a);
    Decision d = decide(a);
    assertThat(d.code()).as("%s %s: %s", a.method(), a.path(), d.message()).isEqualTo(code);
    assertThat(explained.code()).as("explanation of %s %s: %s", a.method(), a.path(), explained.rules()).isEqualTo(code);
    assertThat(d.allowed()).isEqualTo(code == DecisionCode.VALID);
    assertThat(d.rules()).as("rules only when explaining").isEmpty();
    return d;
  }

  /** The rule that refused, from an explanation; also checks every rule before it passed, in {@link #ORDER}. */
  String refusingRule(Ask a) {
    Decision d = explain(a);
    assertThat(d.allowed()).as("refused: %s", d.rules()).isFalse();
    assertRulesInOrder(d);
    Decision.Rule last = d.rules().get(d.rules().size() - 1);
    assertThat(last.passed()).isFalse();
    assertThat(last.detail()).isEqualTo(d.message());
    return last.name();
  }

  static void assertRulesInOrder(Decision d) {
    List<String> names = d.rules().stream().map(Decision.Rule::name).toList();
    int previous = -1;
    for (String name : names) {
      int at = ORDER.indexOf(name);
      assertThat(at).as("rule %s in %s comes after the one before it", name, names).isGreaterThan(previous);
      previous = at;
    }
    for (Decision.Rule r : d.rules().subList(0, Math.max(0, d.rules().size() - 1))) {
      assertThat(r.passed()).as("only the last rule may refuse: %s", d.rules()).isTrue();
    }
  }

  UserService.CreatedUser user(String... roles) {
    return k.createUser("svc-" + (keys++) + "@example.com", roles);
  }

  KeyService.IssuedKey key(UserService.CreatedUser user, Environment env, Opts opts) {
    return k.keyService().create(owner, new KeyService.CreateKey("key-" + (keys++), user.member().user().id(), null, env, false,
        null, opts.build()));
  }

  KeyService.IssuedKey key(UserService.CreatedUser user, Opts opts) {
    return key(user, Environment.SANDBOX, opts);
  }

  void update(KeyService.IssuedKey key, Opts opts) {
    k.keyService().update(owner, key.key().id(), new KeyService.KeyChange(null, null, null, false, opts.build(), true));
  }

  @Nullable Long storedQuota(KeyService.IssuedKey key) {
    return k.keys().find(k.defaultTenantId(), key.key().id()).map(ApiKey::quotaRemaining).orElseThrow();
  }

  static Opts opts() {
    return new Opts();
  }

  /** A key's access options, built the way a test reads best. */
  static final class Opts {
    private List<String> resources = List.of();
    private DataAccess data = DataAccess.NONE;
    private boolean manageAlgorithms;
    private Callers callers = Callers.NATIVE_ONLY;
    private List<String> ips = List.of();
    private @Nullable RateLimit rateLimit;
    private @Nullable Long quota;

    Opts resources(String... patterns) {
      resources = List.of(patterns);
      return this;
    }

    Opts data(DataAccess access) {
      data = access;
      return this;
    }

    Opts manageAlgorithms() {
      manageAlgorithms = true;
      return this;
    }

    Opts browserOnly(String... hostnames) {
      callers = Callers.parse("callers", false, true, List.of(hostnames));
      return this;
    }

    Opts ips(String... cidrs) {
      ips = List.of(cidrs);
      return this;
    }

    Opts rateLimit(int limit, int periodSeconds) {
      rateLimit = RateLimit.parse("rateLimit", limit, periodSeconds);
      return this;
    }

    Opts quota(long uses) {
      quota = uses;
      return this;
    }

    KeyAccess build() {
      return new KeyAccess(ResourcePatterns.parse("resources", resources), data, manageAlgorithms, callers,
          ips.isEmpty() ? IpAllowlist.ANY : IpAllowlist.parse("ipAllowlist", ips), rateLimit, quota);
    }
  }

  // ---------------------------------------------------------------- allowed

  @Test
  void decideWhenEveryRulePassesThenValidWithPrincipalPermissionResourceRateLimitAndQuota() {
    UserService.CreatedUser u = user("consumer");
    KeyService.IssuedKey key = key(u, Environment.PRODUCTION, opts().resources("algo://acme/*").rateLimit(10, 60).quota(5));
    Decision d = assertCode(ask(key.secret(), "POST", "/v1/algo/acme/resize"), DecisionCode.VALID);
    assertThat(d.message()).isEqualTo("Allowed");
    Principal p = d.principal();
    assertThat(p).isNotNull();
    assertThat(p.keyId()).isEqualTo(key.key().id());
    assertThat(p.email()).isEqualTo(u.member().user().email());
    assertThat(p.roles()).containsExactly("consumer");
    assertThat(p.credential()).isEqualTo(Principal.CredentialType.API_KEY);
    assertThat(d.permission()).hasToString("algo:invoke");
    assertThat(d.resource()).isEqualTo("algo://acme/resize");
    assertThat(d.rateLimit()).isEqualTo(new Decision.Limit(10, 9, TestKeyward.START.plusSeconds(60)));
    assertThat(d.quotaRemaining()).isEqualTo(4);

    Decision head = decide(ask(key.secret(), "HEAD", "/v1/algo/acme/resize"));
    assertThat(head.code()).as("HEAD is decided as GET").isEqualTo(DecisionCode.VALID);
    assertThat(head.permission()).hasToString("algo:read");
    Decision basic = decide(ask(TestKeyward.basic(key.secret().reveal(), ""), "GET", "/v1/algo"));
    assertThat(basic.code()).as("the key as Basic user name").isEqualTo(DecisionCode.VALID);
    Decision direct = decide(askPermission(key.secret(), "algo:invoke", "algo://acme/x"));
    assertThat(direct.code()).as("a permission asked directly, no route").isEqualTo(DecisionCode.VALID);
    assertThat(decide(askPermission(key.secret(), "algo:invoke", "algo://globex/x")).code()).isEqualTo(DecisionCode.FORBIDDEN);
  }

  // ---------------------------------------------------------------- route

  @Test
  void routeWhenPathRefusedUnknownOrWrongMethodThenCodedBeforeTheCredentialIsRead() {
    int lookups = k.keys().findGrantCalls();
    Secret unknown = ApiKeyFormat.generate(new SecretGenerator(), Environment.SANDBOX);
    for (List<String> auth : List.of(List.<String>of(), TestKeyward.bearer(unknown), TestKeyward.bearer(k.bootstrap().defaultKey().secret()))) {
      for (String bad : List.of("/v1/algo/../admin", "/v1//algo", "/v1/algo/%2e%2e/x", "/v1/algo;x=1", "/v1/algo/a%2Fb", "v1/algo",
          "/v1/algo/", "/v1/%C3%A9")) {
        Decision d = assertCode(ask(auth, "GET", bad), DecisionCode.BAD_PATH);
        assertThat(d.message()).startsWith("The path is refused");
        assertThat(d.principal()).isNull();
      }
      assertThat(assertCode(ask(auth, "GET", "/v2/unknown"), DecisionCode.ROUTE_NOT_FOUND).message()).contains("/v2/unknown");
      assertThat(assertCode(ask(auth, "PATCH", "/v1/algo"), DecisionCode.METHOD_NOT_ALLOWED).message()).isEqualTo("This path allows GET, HEAD");
      assertThat(assertCode(ask(auth, "OPTIONS", "/v1/algo"), DecisionCode.METHOD_NOT_ALLOWED).message()).contains("GET");
      assertThat(refusingRule(ask(auth, "GET", "/v2/unknown"))).isEqualTo("route");
      Decision open = assertCode(ask(auth, "GET", "/v1/status"), DecisionCode.VALID);
      assertThat(open.principal()).as("a public route needs no credential and reads none").isNull();
      assertThat(open.message()).isEqualTo("Public route");
    }
    assertThat(k.keys().findGrantCalls()).as("no store lookup for a call the route table refuses").isEqualTo(lookups);
  }

  @Test
  void routeWhenPathVariableCannotNameAResourceThenForbiddenByTheRouteRule() {
    KeyService.IssuedKey key = key(user("consumer"), opts().resources("algo://*"));
    Ask wildcard = ask(key.secret(), "GET", "/v1/algo/acme/*");
    Decision d = assertCode(wildcard, DecisionCode.FORBIDDEN);
    assertThat(d.message()).contains("'name' cannot name a resource");
    assertThat(refusingRule(wildcard)).isEqualTo("route");
    assertCode(ask(key.secret(), "GET", "/v1/algo/acme/star"), DecisionCode.VALID);
  }

  // ---------------------------------------------------------------- credential

  @Test
  void credentialWhenMissingUnknownExpiredRevokedRolledOrLockedThenEachCodeAndNeverTheSecret() {
    UserService.CreatedUser u = user("consumer");
    Secret unknown = ApiKeyFormat.generate(new SecretGenerator(), Environment.SANDBOX);
    Secret valid = u.defaultKey().secret();
    for (List<String> auth : List.of(List.<String>of(), List.of(""), List.of("Bearer"), List.of("Bearer not-a-key"),
        TestKeyward.bearer(unknown), List.of("Bearer " + valid.reveal(), "Bearer " + valid.reveal()), List.of("Token " + valid.reveal()),
        List.of("Bearer " + valid.reveal() + "x"), TestKeyward.basic("nobody@example.com", "whatever"))) {
      Decision d = assertCode(ask(auth, "GET", "/v1/algo"), DecisionCode.NOT_FOUND);
      assertThat(d.principal()).isNull();
      assertThat(refusingRule(ask(auth, "GET", "/v1/algo"))).isEqualTo("credential");
    }

    KeyService.IssuedKey expiring = k.keyService().create(owner, new KeyService.CreateKey("expiring", u.member().user().id(), null,
        Environment.SANDBOX, false, TestKeyward.START.plus(Duration.ofHours(1))));
    assertCode(ask(expiring.secret(), "GET", "/v1/algo"), DecisionCode.VALID);
    KeyService.IssuedKey revoked = key(u, opts());
    assertCode(ask(revoked.secret(), "GET", "/v1/algo"), DecisionCode.VALID);
    k.keyService().revoke(owner, revoked.key().id());
    Decision r = assertCode(ask(revoked.secret(), "GET", "/v1/algo"), DecisionCode.REVOKED);
    assertThat(r.message()).doesNotContain(revoked.secret().reveal());

    KeyService.IssuedKey rolled = key(u, opts());
    KeyService.IssuedKey fresh = k.keyService().roll(owner, rolled.key().id(), Duration.ofMinutes(10));
    assertCode(ask(rolled.secret(), "GET", "/v1/algo"), DecisionCode.VALID);
    assertCode(ask(fresh.secret(), "GET", "/v1/algo"), DecisionCode.VALID);
    k.clock().advance(Duration.ofMinutes(10));
    assertCode(ask(rolled.secret(), "GET", "/v1/algo"), DecisionCode.EXPIRED);
    assertCode(ask(fresh.secret(), "GET", "/v1/algo"), DecisionCode.VALID);
    k.clock().advance(Duration.ofMinutes(50));
    Decision e = assertCode(ask(expiring.secret(), "GET", "/v1/algo"), DecisionCode.EXPIRED);
    assertThat(e.message()).doesNotContain(expiring.secret().reveal());

    assertCode(ask(valid, "GET", "/v1/algo").tenant("default"), DecisionCode.VALID);
    Decision otherTenant = assertCode(ask(valid, "GET", "/v1/algo").tenant("globex"), DecisionCode.FORBIDDEN);
    assertThat(otherTenant.message()).contains("another tenant");
  }

  @Test
  void credentialWhenPasswordAccountLockedThenLockedEvenWithTheRightPassword() {
    Secret password = Secret.of("a person's password 1");
    UserService.CreatedUser person = k.userService().create(owner,
        new UserService.CreateUser("person@example.com", "Person", false, Set.of("consumer"), password));
    String email = person.member().user().email();
    assertCode(ask(TestKeyward.basic(email, password.reveal()), "GET", "/v1/algo"), DecisionCode.VALID);
    // Two failures within a second lock the account (the quick-login check; TestKeyward's clock stands still).
    assertThat(decide(ask(TestKeyward.basic(email, "wrong 1"), "GET", "/v1/algo")).code()).isEqualTo(DecisionCode.NOT_FOUND);
    assertThat(decide(ask(TestKeyward.basic(email, "wrong 2"), "GET", "/v1/algo")).code()).isEqualTo(DecisionCode.NOT_FOUND);
    assertThat(decide(ask(TestKeyward.basic(email, "wrong 3"), "GET", "/v1/algo")).code()).isEqualTo(DecisionCode.LOCKED);
    Decision locked = assertCode(ask(TestKeyward.basic(email, password.reveal()), "GET", "/v1/algo"), DecisionCode.LOCKED);
    assertThat(locked.message()).contains("locked").doesNotContain(password.reveal());
  }

  // ---------------------------------------------------------------- admin keys, environment, user

  @Test
  void adminKeyWhenAskingAboutTheApiBehindThenForbiddenWhateverItsRoles() {
    KeyService.IssuedKey admin = k.keyService().create(owner,
        new KeyService.CreateKey("admin", null, null, Environment.PRODUCTION, true, null));
    for (Ask a : List.of(ask(admin.secret(), "GET", "/v1/algo"), askPermission(admin.secret(), "algo:list", null))) {
      Decision d = assertCode(a, DecisionCode.FORBIDDEN);
      assertThat(d.message()).contains("Admin keys reach only Keyward's admin API");
      assertThat(refusingRule(a)).isEqualTo("admin-key");
    }
    assertCode(ask(k.bootstrap().defaultKey().secret(), "GET", "/v1/algo"), DecisionCode.VALID);
  }

  @Test
  void environmentWhenSandboxOnProductionRouteOrProductionSwitchedOffThenEnvironmentDisabled() {
    UserService.CreatedUser dev = user("developer");
    Opts manager = opts().resources("algo://*").manageAlgorithms();
    KeyService.IssuedKey sandbox = key(dev, Environment.SANDBOX, manager);
    KeyService.IssuedKey production = key(dev, Environment.PRODUCTION, manager);
    Ask publish = ask(sandbox.secret(), "POST", "/v1/algo/acme/resize/publish");
    assertThat(assertCode(publish, DecisionCode.ENVIRONMENT_DISABLED).message()).contains("production credential");
    assertThat(refusingRule(publish)).isEqualTo("environment");
    assertCode(publish.as(TestKeyward.bearer(production.secret())), DecisionCode.VALID);
    assertCode(publish.as(TestKeyward.basic(TestKeyward.OWNER_EMAIL, TestKeyward.OWNER_PASSWORD.reveal())), DecisionCode.VALID);

    k.tenantService().updateSettings(owner, "default", new TenantService.SettingsChange(null, false, null, null));
    Decision off = assertCode(ask(production.secret(), "GET", "/v1/algo"), DecisionCode.ENVIRONMENT_DISABLED);
    assertThat(off.message()).contains("switched off");
    assertCode(ask(sandbox.secret(), "GET", "/v1/algo"), DecisionCode.VALID);
    k.tenantService().updateSettings(owner, "default", new TenantService.SettingsChange(null, true, null, null));
    assertCode(ask(production.secret(), "GET", "/v1/algo"), DecisionCode.VALID);
  }

  @Test
  void userWhenRouteNeedsASignedInUserThenPlainKeyRefusedAndPartnerWithUserTokenValid() {
    UserService.CreatedUser partner = user("account-holder", "consumer");
    KeyService.IssuedKey partnerKey = key(partner, opts());
    Ask account = ask(partnerKey.secret(), "GET", "/v1/account");
    assertThat(assertCode(account, DecisionCode.USER_REQUIRED).message()).contains("User <user token>");
    assertThat(refusingRule(account)).isEqualTo("user");

    UserService.CreatedUser person = k.userService().create(owner,
        new UserService.CreateUser("signed-in@example.com", "Person", false, Set.of("account-holder"), Secret.of("person password 1")));
    String userId = person.member().user().id();
    String token = k.userTokens().issue(userId, k.defaultTenantId(), partnerKey.key().id(), TestKeyward.ISSUER);
    List<String> both = List.of("Bearer " + partnerKey.secret().reveal() + ", User " + token);
    Decision d = assertCode(account.as(both), DecisionCode.VALID);
    Principal p = d.principal();
    assertThat(p).isNotNull();
    assertThat(p.credential()).isEqualTo(Principal.CredentialType.PARTNER_USER);
    assertThat(p.userId()).isEqualTo(userId);
    assertThat(p.keyId()).as("the partner key's options apply").isEqualTo(partnerKey.key().id());
    assertThat(p.roles()).as("the person's roles within the partner's").containsExactly("account-holder");
    assertThat(explain(account.as(both)).rules()).extracting(Decision.Rule::name).as("the user rule, applied, is listed")
        .containsExactly("route", "credential", "environment", "user", "callers", "permission");
    assertCode(ask(both, "GET", "/v1/algo"), DecisionCode.FORBIDDEN); // the person's roles do not grant algo:list

    String forAnother = k.userTokens().issue(userId, k.defaultTenantId(), partner.defaultKey().key().id(), TestKeyward.ISSUER);
    assertCode(account.as(List.of("Bearer " + partnerKey.secret().reveal() + ", User " + forAnother)), DecisionCode.NOT_FOUND);
  }

  // ---------------------------------------------------------------- callers, IP

  @Test
  void callersWhenOriginOrNativeCallNotAllowedThenRefusedAndTheExactOriginAllowed() {
    UserService.CreatedUser u = user("consumer");
    KeyService.IssuedKey nativeOnly = key(u, opts());
    Ask fromBrowser = ask(nativeOnly.secret(), "GET", "/v1/algo").origin("https://app.example.com");
    assertCode(fromBrowser, DecisionCode.ORIGIN_NOT_ALLOWED);
    assertThat(refusingRule(fromBrowser)).isEqualTo("callers");
    KeyService.IssuedKey browser = key(u, opts().browserOnly("app.example.com"));
    Ask ok = ask(browser.secret(), "GET", "/v1/algo").origin("https://app.example.com");
    assertCode(ok, DecisionCode.VALID);
    assertCode(ok.origin("https://APP.example.com."), DecisionCode.VALID);
    for (String evil : List.of("https://app.example.com.evil.test", "http://app.example.com", "https://app.example.com:8443", "null",
        "https://evil.test")) {
      assertCode(ok.origin(evil), DecisionCode.ORIGIN_NOT_ALLOWED);
    }
    Ask nativeCall = ok.origin(null);
    assertCode(nativeCall, DecisionCode.NATIVE_NOT_ALLOWED);
    assertThat(refusingRule(nativeCall)).isEqualTo("callers");
    Ask password = fromBrowser.as(TestKeyward.basic(TestKeyward.OWNER_EMAIL, TestKeyward.OWNER_PASSWORD.reveal()));
    assertThat(assertCode(password, DecisionCode.ORIGIN_NOT_ALLOWED).message()).contains("API key that allows browser callers");
  }

  @Test
  void ipWhenCallerOutsideTheAllowListOrUnknownThenIpNotAllowed() {
    KeyService.IssuedKey key = key(user("consumer"), opts().ips("10.0.0.0/8", "2001:db8::/32"));
    Ask a = ask(key.secret(), "GET", "/v1/algo");
    for (String inside : List.of("10.1.2.3", "::ffff:10.1.2.3", "2001:db8::7", "10.255.255.255")) {
      assertCode(a.ip(inside), DecisionCode.VALID);
    }
    for (String outside : new String[] {"192.168.1.1", "11.0.0.0", "2001:db9::1", "garbage", null}) {
      assertCode(a.ip(outside), DecisionCode.IP_NOT_ALLOWED);
      assertThat(refusingRule(a.ip(outside))).isEqualTo("ip");
    }
    KeyService.IssuedKey anywhere = key(user("consumer"), opts());
    assertCode(ask(anywhere.secret(), "GET", "/v1/algo").ip(null), DecisionCode.VALID);
  }

  // ---------------------------------------------------------------- permission and the key's own limits

  @Test
  void forbiddenWhenPermissionResourceDataOrAlgorithmFlagMissingThenTheRuleAndWhatIsMissingNamed() {
    KeyService.IssuedKey consumer = key(user("consumer"), opts().resources("algo://acme/*"));
    Ask manage = ask(consumer.secret(), "PUT", "/v1/algo/acme/resize");
    assertThat(assertCode(manage, DecisionCode.FORBIDDEN).message()).contains("Missing permission algo:manage", "roles consumer");
    assertThat(refusingRule(manage)).isEqualTo("permission");
    KeyService.IssuedKey noRoles = key(user(), opts());
    assertThat(assertCode(ask(noRoles.secret(), "GET", "/v1/algo"), DecisionCode.FORBIDDEN).message()).contains("has no roles");

    Ask otherOwner = ask(consumer.secret(), "POST", "/v1/algo/globex/resize");
    assertThat(assertCode(otherOwner, DecisionCode.FORBIDDEN).message()).contains("do not cover algo://globex/resize");
    assertThat(refusingRule(otherOwner)).isEqualTo("resource");
    assertCode(ask(consumer.secret(), "POST", "/v1/algo/acmecorp/resize"), DecisionCode.FORBIDDEN);
    KeyService.IssuedKey noPatterns = key(user("consumer"), opts());
    assertThat(refusingRule(ask(noPatterns.secret(), "POST", "/v1/algo/acme/resize"))).as("deny by default").isEqualTo("resource");

    UserService.CreatedUser dev = user("developer");
    KeyService.IssuedKey reader = key(dev, opts().resources("data://*", "algo://*").data(DataAccess.READ));
    assertCode(ask(reader.secret(), "GET", "/v1/data/reports/2026/q3.csv"), DecisionCode.VALID);
    Ask write = ask(reader.secret(), "PUT", "/v1/data/reports/2026/q3.csv");
    assertThat(assertCode(write, DecisionCode.FORBIDDEN).message()).contains("needs data access 'read_write'", "the key has 'read'");
    assertThat(refusingRule(write)).isEqualTo("data");
    KeyService.IssuedKey noData = key(dev, opts().resources("data://*"));
    assertThat(refusingRule(ask(noData.secret(), "GET", "/v1/data/x"))).isEqualTo("data");

    Ask noFlag = ask(reader.secret(), "PUT", "/v1/algo/acme/resize");
    assertThat(assertCode(noFlag, DecisionCode.FORBIDDEN).message()).contains("manage algorithms");
    assertThat(refusingRule(noFlag)).isEqualTo("algorithms");
    KeyService.IssuedKey manager = key(dev, opts().resources("algo://acme/*").manageAlgorithms());
    assertCode(ask(manager.secret(), "PUT", "/v1/algo/acme/resize"), DecisionCode.VALID);
  }

  @Test
  void rateLimitWhenExceededThenRateLimitedUntilTheWindowResets() {
    KeyService.IssuedKey key = key(user("consumer"), opts().rateLimit(3, 60));
    Ask a = ask(key.secret(), "GET", "/v1/algo");
    assertThat(explain(a).rateLimit()).isEqualTo(new Decision.Limit(3, 3, TestKeyward.START.plusSeconds(60)));
    for (int left = 2; left >= 0; left--) {
      Decision d = decide(a);
      assertThat(d.code()).isEqualTo(DecisionCode.VALID);
      assertThat(d.rateLimit()).isEqualTo(new Decision.Limit(3, left, TestKeyward.START.plusSeconds(60)));
    }
    Decision limited = assertCode(a, DecisionCode.RATE_LIMITED);
    assertThat(limited.message()).contains("3 calls per 60 s");
    assertThat(limited.rateLimit()).isEqualTo(new Decision.Limit(3, 0, TestKeyward.START.plusSeconds(60)));
    assertThat(refusingRule(a)).isEqualTo("rate-limit");
    k.clock().advance(Duration.ofSeconds(59));
    assertCode(a, DecisionCode.RATE_LIMITED);
    k.clock().advance(Duration.ofSeconds(1));
    assertThat(decide(a).rateLimit()).isEqualTo(new Decision.Limit(3, 2, TestKeyward.START.plusSeconds(120)));
  }

  @Test
  void quotaWhenUsedUpThenQuotaExceededUntilToppedUp() {
    KeyService.IssuedKey key = key(user("consumer"), opts().quota(2));
    Ask a = ask(key.secret(), "GET", "/v1/algo");
    assertThat(decide(a).quotaRemaining()).isEqualTo(1);
    assertThat(decide(a).quotaRemaining()).isZero();
    Decision used = assertCode(a, DecisionCode.QUOTA_EXCEEDED);
    assertThat(used.quotaRemaining()).isZero();
    assertThat(refusingRule(a)).isEqualTo("quota");
    assertThat(storedQuota(key)).isZero();
    update(key, opts().quota(5));
    assertThat(decide(a).quotaRemaining()).isEqualTo(4);
  }

  // ---------------------------------------------------------------- order

  /**
   * One request to a route that requires everything, made to break every rule at once; each step
   * mends the rule that refused, and the next rule in {@link #ORDER} refuses, until the call is
   * allowed. The first rule that refuses decides, whatever comes after it.
   */
  @Test
  void decideWhenSeveralRulesWouldRefuseThenTheFirstInOrderDecides() {
    UserService.CreatedUser partner = user("vault");
    UserService.CreatedUser person = user();
    KeyService.IssuedKey revoked = key(partner, Environment.PRODUCTION, opts());
    k.keyService().revoke(owner, revoked.key().id());
    KeyService.IssuedKey admin = k.keyService().create(owner, new KeyService.CreateKey("admin", null, null, Environment.PRODUCTION, true, null));
    KeyService.IssuedKey sandbox = key(partner, Environment.SANDBOX, opts());
    Opts options = opts().ips("10.0.0.0/8");
    KeyService.IssuedKey live = key(partner, Environment.PRODUCTION, options);
    String token = k.userTokens().issue(person.member().user().id(), k.defaultTenantId(), live.key().id(), TestKeyward.ISSUER);
    List<String> partnerAndUser = List.of("Bearer " + live.secret().reveal() + ", User " + token);
    Ask a = ask(TestKeyward.bearer(revoked.secret()), "POST", "/v1/vault/acme/gold/../x").origin("https://app.example.com");

    record Step(DecisionCode code, String rule) {}
    List<Step> seen = new ArrayList<>();
    java.util.function.Consumer<Ask> step = q -> {
      Decision d = explain(q);
      seen.add(new Step(d.code(), d.rules().get(d.rules().size() - 1).name()));
      assertRulesInOrder(d);
      assertThat(decide(q).code()).isEqualTo(d.code());
    };
    step.accept(a);
    step.accept(a = a.path("/v1/vault/acme/gold"));
    step.accept(a = a.as(TestKeyward.bearer(admin.secret())));
    step.accept(a = a.as(TestKeyward.bearer(sandbox.secret())));
    step.accept(a = a.as(TestKeyward.bearer(live.secret())));
    step.accept(a = a.as(partnerAndUser));
    step.accept(a = a.origin(null));
    step.accept(a = a.ip("10.1.2.3"));
    k.userService().update(owner, person.member().user().id(), null, Set.of("vault"));
    step.accept(a);
    update(live, options.resources("vault://acme/*"));
    step.accept(a);
    update(live, options.data(DataAccess.READ_WRITE));
    step.accept(a);
    update(live, options.manageAlgorithms().rateLimit(1, 60));
    step.accept(a); // allowed, and its one call in the window is taken
    step.accept(a);
    update(live, options.rateLimit(100, 60).quota(0));
    step.accept(a);
    update(live, options.quota(1));
    Decision allowed = explain(a);
    assertThat(decide(a).code()).isEqualTo(DecisionCode.VALID);

    assertThat(seen).containsExactly(
        new Step(DecisionCode.BAD_PATH, "route"),
        new Step(DecisionCode.REVOKED, "credential"),
        new Step(DecisionCode.FORBIDDEN, "admin-key"),
        new Step(DecisionCode.ENVIRONMENT_DISABLED, "environment"),
        new Step(DecisionCode.USER_REQUIRED, "user"),
        new Step(DecisionCode.ORIGIN_NOT_ALLOWED, "callers"),
        new Step(DecisionCode.IP_NOT_ALLOWED, "ip"),
        new Step(DecisionCode.FORBIDDEN, "permission"),
        new Step(DecisionCode.FORBIDDEN, "resource"),
        new Step(DecisionCode.FORBIDDEN, "data"),
        new Step(DecisionCode.FORBIDDEN, "algorithms"),
        new Step(DecisionCode.VALID, "rate-limit"),
        new Step(DecisionCode.RATE_LIMITED, "rate-limit"),
        new Step(DecisionCode.QUOTA_EXCEEDED, "quota"));
    assertThat(allowed.code()).isEqualTo(DecisionCode.VALID);
    assertThat(allowed.rules()).extracting(Decision.Rule::name).containsExactlyElementsOf(
        ORDER.stream().filter(r -> !r.equals("admin-key")).toList());
    assertThat(allowed.rules()).allMatch(Decision.Rule::passed);
  }

  // ---------------------------------------------------------------- what a refusal and an explanation consume

  @Test
  void decideWhenRefusedBeforeTheLimitsThenNeitherRateLimitNorQuotaConsumed() {
    KeyService.IssuedKey key = key(user("consumer"), opts().resources("algo://acme/*").ips("10.0.0.0/8").rateLimit(2, 60).quota(2));
    Ask ok = ask(key.secret(), "GET", "/v1/algo").ip("10.0.0.1");
    List<Ask> refused = List.of(
        ok.path("/v1/algo/../x"), ok.path("/v2/none"), new Ask(ok.authorization(), "DELETE", "/v1/algo", null, null, null, "10.0.0.1", null),
        ok.origin("https://app.example.com"), ok.ip("192.0.2.1"), ok.tenant("globex"),
        new Ask(ok.authorization(), "PUT", "/v1/algo/acme/x", null, null, null, "10.0.0.1", null),
        new Ask(ok.authorization(), "POST", "/v1/algo/globex/x", null, null, null, "10.0.0.1", null),
        new Ask(ok.authorization(), "GET", "/v1/data/x", null, null, null, "10.0.0.1", null));
    for (int round = 0; round < 3; round++) {
      for (Ask a : refused) {
        assertThat(decide(a).allowed()).as("%s %s", a.method(), a.path()).isFalse();
      }
    }
    assertThat(storedQuota(key)).isEqualTo(2);
    assertThat(explain(ok).rateLimit()).isEqualTo(new Decision.Limit(2, 2, TestKeyward.START.plusSeconds(60)));
    assertThat(decide(ok).quotaRemaining()).isEqualTo(1);
    assertThat(decide(ok).quotaRemaining()).isZero();
    assertCode(ok, DecisionCode.RATE_LIMITED);
  }

  @Test
  void decideWhenRateLimitedThenQuotaNotConsumed() {
    KeyService.IssuedKey key = key(user("consumer"), opts().rateLimit(1, 60).quota(5));
    Ask a = ask(key.secret(), "GET", "/v1/algo");
    assertThat(decide(a).quotaRemaining()).isEqualTo(4);
    for (int i = 0; i < 3; i++) {
      assertThat(decide(a).code()).isEqualTo(DecisionCode.RATE_LIMITED);
    }
    assertThat(storedQuota(key)).isEqualTo(4);
    k.clock().advance(Duration.ofSeconds(60));
    assertThat(decide(a).quotaRemaining()).isEqualTo(3);
  }

  @Test
  void decideWhenQuotaExceededThenRateLimitNotConsumed() {
    KeyService.IssuedKey key = key(user("consumer"), opts().rateLimit(3, 60).quota(1));
    Ask a = ask(key.secret(), "GET", "/v1/algo");
    assertThat(decide(a).rateLimit()).isEqualTo(new Decision.Limit(3, 2, TestKeyward.START.plusSeconds(60)));
    for (int i = 0; i < 5; i++) {
      Decision d = decide(a);
      assertThat(d.code()).isEqualTo(DecisionCode.QUOTA_EXCEEDED);
      assertThat(d.rateLimit()).as("the refused call's use is given back").isEqualTo(new Decision.Limit(3, 2, TestKeyward.START.plusSeconds(60)));
    }
    update(key, opts().rateLimit(3, 60).quota(10)); // the same limit: the window goes on
    assertThat(decide(a).rateLimit()).isEqualTo(new Decision.Limit(3, 1, TestKeyward.START.plusSeconds(60)));
    assertThat(decide(a).rateLimit()).isEqualTo(new Decision.Limit(3, 0, TestKeyward.START.plusSeconds(60)));
    assertThat(decide(a).code()).isEqualTo(DecisionCode.RATE_LIMITED);
    assertThat(storedQuota(key)).isEqualTo(8);
  }

  @Test
  void explainWhenAskedRepeatedlyThenRulesInOrderAndNothingConsumed() {
    KeyService.IssuedKey key = key(user("consumer"), Environment.PRODUCTION, opts().resources("algo://acme/*").rateLimit(1, 60).quota(1));
    Ask a = ask(key.secret(), "POST", "/v1/algo/acme/resize");
    for (int i = 0; i < 20; i++) {
      Decision d = explain(a);
      assertThat(d.code()).isEqualTo(DecisionCode.VALID);
      assertThat(d.rules()).extracting(Decision.Rule::name)
          .containsExactly("route", "credential", "environment", "callers", "permission", "resource", "rate-limit", "quota");
      assertThat(d.rules()).allMatch(Decision.Rule::passed);
      assertThat(d.rules().get(6).detail()).isEqualTo("1 of 1 left (not consumed)");
      assertThat(d.rules().get(7).detail()).isEqualTo("1 uses left (not consumed)");
      assertThat(d.rateLimit()).isEqualTo(new Decision.Limit(1, 1, TestKeyward.START.plusSeconds(60)));
      assertThat(d.quotaRemaining()).isEqualTo(1);
    }
    assertThat(storedQuota(key)).isEqualTo(1);
    Decision real = decide(a);
    assertThat(real.code()).isEqualTo(DecisionCode.VALID);
    assertThat(real.rules()).isEmpty();
    assertThat(real.quotaRemaining()).isZero();
    Decision after = explain(a);
    assertThat(after.code()).isEqualTo(DecisionCode.RATE_LIMITED);
    assertThat(after.rules()).extracting(Decision.Rule::name).endsWith("resource", "rate-limit");
    k.clock().advance(Duration.ofSeconds(60));
    Decision noUses = explain(a);
    assertThat(noUses.code()).isEqualTo(DecisionCode.QUOTA_EXCEEDED);
    assertThat(noUses.rules()).extracting(Decision.Rule::name).endsWith("rate-limit", "quota");
  }

  // ---------------------------------------------------------------- changes of rights (ASVS-11)

  @Test
  void decideWhenOwnerDemotedThenTheKeysRightsShrinkOnTheNextDecision() {
    UserService.CreatedUser dev = user("developer");
    String devId = dev.member().user().id();
    Opts manager = opts().resources("algo://acme/*").manageAlgorithms();
    KeyService.IssuedKey inherits = key(dev, manager);
    KeyService.IssuedKey limited = k.keyService().create(owner, new KeyService.CreateKey("limited", devId, Set.of("developer"),
        Environment.SANDBOX, false, null, manager.build()));
    Ask manageWithInherited = ask(inherits.secret(), "PUT", "/v1/algo/acme/resize");
    Ask listWithLimited = ask(limited.secret(), "GET", "/v1/algo");
    assertCode(manageWithInherited, DecisionCode.VALID);
    assertCode(listWithLimited, DecisionCode.VALID);

    k.userService().update(owner, devId, null, Set.of("consumer"));
    assertThat(assertCode(manageWithInherited, DecisionCode.FORBIDDEN).message()).contains("Missing permission algo:manage");
    assertCode(ask(inherits.secret(), "GET", "/v1/algo"), DecisionCode.VALID);
    // The limited key holds 'developer' only: what the owner keeps of it is nothing.
    assertThat(assertCode(listWithLimited, DecisionCode.FORBIDDEN).message()).contains("has no roles");

    k.userService().update(owner, devId, null, Set.of("developer"));
    assertCode(manageWithInherited, DecisionCode.VALID);
    assertCode(listWithLimited, DecisionCode.VALID);

    // Demoted elsewhere (another node wrote the store): seen once the caches are dropped.
    k.users().updateRoles(k.defaultTenantId(), devId, Set.of());
    assertCode(manageWithInherited, DecisionCode.VALID);
    k.changed();
    assertCode(manageWithInherited, DecisionCode.FORBIDDEN);
    assertCode(listWithLimited, DecisionCode.FORBIDDEN);

    // Removed from the tenant: the keys are revoked, and without a membership no key of theirs is found at all.
    k.userService().remove(owner, devId);
    assertCode(manageWithInherited, DecisionCode.NOT_FOUND);
    assertCode(listWithLimited, DecisionCode.NOT_FOUND);
  }

  @Test
  void decideWhenARolesPermissionsAreEditedThenTheNextDecisionUsesThem() {
    k.roleService().create(owner, "reporter", List.of("algo:list"), null);
    KeyService.IssuedKey key = key(user("reporter"), opts().resources("algo://*"));
    Ask list = ask(key.secret(), "GET", "/v1/algo");
    Ask read = ask(key.secret(), "GET", "/v1/algo/acme/resize");
    assertCode(list, DecisionCode.VALID);
    assertCode(read, DecisionCode.FORBIDDEN);

    k.roleService().update(owner, "reporter", List.of("algo:read"), null);
    assertThat(assertCode(list, DecisionCode.FORBIDDEN).message()).contains("Missing permission algo:list", "roles reporter");
    assertCode(read, DecisionCode.VALID);

    k.roleService().update(owner, "reporter", List.of("algo:*"), null);
    assertCode(list, DecisionCode.VALID);
    assertCode(read, DecisionCode.VALID);

    // Edited elsewhere: seen once the caches are dropped.
    k.roles().update(k.defaultTenantId(), new Role("reporter", List.of(), "", false));
    assertCode(list, DecisionCode.VALID);
    k.changed();
    assertCode(list, DecisionCode.FORBIDDEN);
    assertCode(read, DecisionCode.FORBIDDEN);
  }

  @Test
  void decideWhenKeyOptionsChangedThenTheNextDecisionUsesThem() {
    KeyService.IssuedKey key = key(user("consumer"), opts().resources("algo://acme/*"));
    Ask globex = ask(key.secret(), "POST", "/v1/algo/globex/x");
    assertCode(globex, DecisionCode.FORBIDDEN);
    update(key, opts().resources("algo://*"));
    assertCode(globex, DecisionCode.VALID);
    update(key, opts().resources("algo://*").ips("10.0.0.0/8"));
    assertCode(globex, DecisionCode.IP_NOT_ALLOWED);
  }

  // ---------------------------------------------------------------- unknown credentials

  @Test
  void decideWhenCredentialUnknownThenNeverValidOnAnyRoute() {
    String valid = k.bootstrap().defaultKey().secret().reveal();
    String body = valid.substring("kw_test_".length(), valid.length() - 6);
    String flipped = body.substring(0, 10) + (body.charAt(10) == 'a' ? 'b' : 'a') + body.substring(11);
    List<List<String>> unknown = List.of(
        TestKeyward.bearer(ApiKeyFormat.generate(new SecretGenerator(), Environment.PRODUCTION)),
        TestKeyward.bearer(ApiKeyFormat.format(Environment.SANDBOX, flipped)),
        TestKeyward.bearer(ApiKeyFormat.format(Environment.PRODUCTION, body)),
        List.of("Bearer " + valid.toUpperCase(java.util.Locale.ROOT)),
        List.of("Bearer " + valid.substring(0, valid.length() - 1)),
        List.of("Bearer " + valid + ", User not-a-token"),
        List.of("Bearer eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2ln"),
        TestKeyward.basic(valid, "password"),
        TestKeyward.basic(TestKeyward.OWNER_EMAIL, "not the password"),
        List.of("Basic " + valid),
        List.of("bearer  " + valid + " "));
    for (Route route : TABLE.routes()) {
      if (route.isPublic()) {
        continue;
      }
      String path = route.path().text().replace("{path*}", "a/b").replaceAll("\\{[a-z]+\\}", "acme");
      for (List<String> auth : unknown) {
        Decision d = decide(ask(auth, route.method().name(), path));
        assertThat(d.code()).as("%s %s with %s", route.method(), path, auth).isIn(DecisionCode.NOT_FOUND, DecisionCode.LOCKED);
        assertThat(d.principal()).isNull();
        assertThat(d.message()).doesNotContain(valid);
      }
    }
  }
}
