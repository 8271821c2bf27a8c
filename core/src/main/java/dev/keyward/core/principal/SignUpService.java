package dev.keyward.core.principal;

import dev.keyward.core.Transactor;
import dev.keyward.core.audit.AuditEvent;
import dev.keyward.core.audit.Auditor;
import dev.keyward.core.auth.Principal;
import dev.keyward.core.authz.RateLimit;
import dev.keyward.core.authz.RateLimiter;
import dev.keyward.core.error.ErrorCode;
import dev.keyward.core.error.KeywardException;
import dev.keyward.core.key.Environment;
import dev.keyward.core.key.KeyService;
import dev.keyward.core.secret.Secret;
import dev.keyward.core.tenant.Tenant;
import dev.keyward.core.tenant.TenantStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Sign-up: a person registers themselves in a tenant whose owners opened registration ({@code
 * openRegistration}, off by default), as developer portals let their customers do.
 *
 * <p>The new person gets no role: what they may call is for the tenant's admins to grant (their
 * {@code default-key}, a sandbox key, carries their rights, so it can call nothing until then). An
 * unknown tenant and a closed one get the same refusal, so that sign-up does not tell which tenants
 * exist.
 *
 * <p>Enumeration: an email that is registered already is refused with a conflict, which tells the
 * caller that the address has an account. Without a mailed confirmation step (Keyward sends no
 * mail) a sign-up cannot both hand out the new key at once and hide that; the admin API tells its
 * admins the same. To keep that from becoming a bulk oracle, every sign-up that passes the input
 * checks is counted against a per-address limit ({@link #DEFAULT_LIMIT}), whatever its outcome;
 * sign-in itself still answers an unknown email and a wrong password alike.
 */
public final class SignUpService {
  /** Sign-ups counted per caller address: 10 per hour. */
  public static final RateLimit DEFAULT_LIMIT = new RateLimit(10, 3600);

  private final TenantStore tenants;
  private final UserStore users;
  private final UserService userService;
  private final KeyService keyService;
  private final Auditor auditor;
  private final Transactor tx;
  private final Clock clock;
  private final RateLimiter limiter;
  private final RateLimit limit;

  public SignUpService(TenantStore tenants, UserStore users, UserService userService, KeyService keyService, Auditor auditor,
      Transactor tx, Clock clock, RateLimiter limiter, RateLimit limit) {
    this.tenants = tenants;
    this.users = users;
    this.userService = userService;
    this.keyService = keyService;
    this.auditor = auditor;
    this.tx = tx;
    this.clock = clock;
    this.limiter = limiter;
    this.limit = limit;
  }

  /** A registration: who, where (null tenant means {@code default}), with the person's own password. */
  public record SignUp(String email, String name, Secret password, @Nullable String tenant) {}

  /** A registered person, signed in as with their password, and their default key shown once. */
  public record SignedUp(Member member, Principal principal, KeyService.IssuedKey defaultKey) {}

  /** Whether the tenant named by {@code slug} (null: {@code default}) takes sign-ups: for the sign-in page's link. */
  public boolean isOpen(@Nullable String slug) {
    return openTenant(slug).isPresent();
  }

  /**
   * Registers a person and issues their {@code default-key}.
   *
   * @param ip the caller's address, the key of the sign-up rate limit (null: counted as one unknown address)
   * @throws KeywardException 400 naming the field for bad input; 403 when the tenant takes no
   *     sign-ups (or does not exist); 429 past the per-address limit; 409 when the email has an account
   */
  public SignedUp signUp(SignUp request, @Nullable String ip) {
    String email = Emails.canonical("email", request.email());
    String name = Text.name("name", request.name(), 200);
    UserService.checkHumanPassword(request.password());
    Tenant tenant = openTenant(request.tenant()).orElseThrow(
        () -> KeywardException.forbidden("This tenant does not take sign-ups: ask its administrators for an account"));
    RateLimiter.Result counted = limiter.tryConsume("signup\n" + (ip == null ? "unknown" : ip), limit);
    if (!counted.allowed()) {
      throw KeywardException.retryLater(ErrorCode.RATE_LIMITED, "Too many sign-ups from this address: try again later",
          Duration.between(clock.instant(), counted.resetAt()));
    }
    SignedUp done = tx.inTransaction(() -> {
      if (users.findByEmail(email).isPresent()) {
        throw KeywardException.conflict("A user with this email already exists: sign in instead");
      }
      Instant now = clock.instant();
      UserService.NewAccount account = userService.newAccount(email, name, false, request.password(), now);
      String userId = account.user().id();
      users.addMembership(tenant.id(), userId, Set.of(), now);
      KeyService.IssuedKey key = keyService.issue(tenant.id(), userId, KeyService.DEFAULT_KEY_NAME, null, Environment.SANDBOX, false, null, now);
      auditor.recordBy(tenant.id(), AuditEvent.USER_CREATED, userId, ip, "user", userId, "sign-up");
      auditor.recordBy(tenant.id(), AuditEvent.KEY_CREATED, userId, ip, "key", key.key().id(), "name=" + KeyService.DEFAULT_KEY_NAME);
      Principal principal = new Principal(tenant.id(), tenant.slug(), userId, email, Set.of(), Principal.CredentialType.PASSWORD,
          null, null, false);
      return new SignedUp(new Member(account.user(), tenant.id(), Set.of(), now), principal, key);
    });
    return done;
  }

  private Optional<Tenant> openTenant(@Nullable String slug) {
    String s = slug == null || slug.isBlank() ? Tenant.DEFAULT_SLUG : slug.strip();
    return tenants.findBySlug(s).filter(t -> tenants.settings(t.id()).openRegistration());
  }
}
