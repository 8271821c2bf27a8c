package dev.keyward.core.session;

import dev.keyward.core.audit.AuditEvent;
import dev.keyward.core.audit.Auditor;
import dev.keyward.core.auth.Authenticator;
import dev.keyward.core.auth.Principal;
import dev.keyward.core.error.KeywardException;
import dev.keyward.core.secret.Secret;
import dev.keyward.core.secret.SecretDigester;
import dev.keyward.core.secret.SecretGenerator;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Signs people in to the backoffice and recognises their session afterwards.
 *
 * <p>Sign-in is the password check every other password path uses ({@link Authenticator}), so
 * lockout counts, refuses and audits it alike. The session's secret (256 random bits) goes to the
 * browser only; the store keeps its HMAC digest, so a copy of the database opens no session. Every
 * request reads the session together with the account and membership as they are now: removing
 * the person from the tenant or changing their password ends it at once on every node, and a
 * change of roles applies to the next page. A session is a password sign-in carried by a cookie,
 * so its principal is a {@link Principal.CredentialType#PASSWORD} one.
 *
 * <p>The CSRF token of a session is derived from its secret with the deployment's HMAC key
 * (bound to the session, unforgeable without the secret, nothing more to store).
 */
public final class SessionService {
  private static final String PREFIX = "kws_";

  private final SessionStore store;
  private final Authenticator authenticator;
  private final SecretDigester digester;
  private final SecretGenerator generator;
  private final Auditor auditor;
  private final Clock clock;
  private final SessionPolicy policy;

  public SessionService(SessionStore store, Authenticator authenticator, SecretDigester digester, SecretGenerator generator,
      Auditor auditor, Clock clock, SessionPolicy policy) {
    this.store = store;
    this.authenticator = authenticator;
    this.digester = digester;
    this.generator = generator;
    this.auditor = auditor;
    this.clock = clock;
    this.policy = policy;
  }

  /** A new session: its secret (for the cookie, never stored) and who it signs in. */
  public record Started(Secret secret, Principal principal) {}

  public SessionPolicy policy() {
    return policy;
  }

  /**
   * Checks a person's email and password (lockout included) and starts a session.
   *
   * @throws KeywardException as password authentication does (invalid, locked, tenant required),
   *     or forbidden for a programmatic user, who works with keys, not the backoffice
   */
  public Started signIn(String email, Secret password, @Nullable String tenantSlug, @Nullable String ip) {
    Principal p = authenticator.byPassword(email, password, tenantSlug, ip);
    if (authenticator.isProgrammatic(p.email())) {
      throw KeywardException.forbidden("Programmatic users work with their API keys and cannot sign in to the backoffice");
    }
    return start(p, ip);
  }

  /** Starts a session for a principal just authenticated (sign-in, or sign-up with a new password). */
  public Started start(Principal p, @Nullable String ip) {
    Instant now = clock.instant();
    store.deleteExpired(now.minus(policy.idleTimeout()), now.minus(policy.maxAge()));
    Secret secret = Secret.of(PREFIX + generator.secretBody());
    store.insert(digester.digest(secret), p.tenantId(), p.userId(), now);
    auditor.recordBy(p.tenantId(), AuditEvent.SIGNED_IN, p.userId(), ip, "user", p.userId(), "backoffice");
    return new Started(secret, p);
  }

  /**
   * The signed-in principal of a session secret, with the account's current roles; empty when
   * the session is unknown, signed out, idle too long, too old, or its account's credentials
   * changed since sign-in or its membership ended.
   */
  public Optional<Principal> resolve(String secretText) {
    if (!secretText.startsWith(PREFIX) || secretText.length() != PREFIX.length() + SecretGenerator.SECRET_LENGTH) {
      return Optional.empty();
    }
    String digest = digester.digest(Secret.of(secretText));
    Optional<SessionStore.Found> found = store.find(digest);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    SessionStore.Found s = found.get();
    Instant now = clock.instant();
    boolean ended = s.credentialsChangedAt().isAfter(s.createdAt())
        || !now.isBefore(s.lastSeenAt().plus(policy.idleTimeout()))
        || !now.isBefore(s.createdAt().plus(policy.maxAge()));
    if (ended) {
      store.delete(digest);
      return Optional.empty();
    }
    if (Duration.between(s.lastSeenAt(), now).compareTo(policy.touchEvery()) >= 0) {
      store.touch(digest, now);
    }
    return Optional.of(new Principal(s.tenantId(), s.tenantSlug(), s.userId(), s.email(), s.roles(),
        Principal.CredentialType.PASSWORD, null, null, false));
  }

  /** Ends a session (sign-out); unknown secrets are ignored. */
  public void signOut(String secretText, @Nullable String ip) {
    String digest = digester.digest(Secret.of(secretText));
    Optional<SessionStore.Found> found = store.find(digest);
    store.delete(digest);
    found.ifPresent(s -> auditor.recordBy(s.tenantId(), AuditEvent.SIGNED_OUT, s.userId(), ip, "user", s.userId(), "backoffice"));
  }

  /** The CSRF token of a session: every form of the session carries it. */
  public String csrfToken(String secretText) {
    return digester.digest(Secret.of("csrf\n" + secretText));
  }

  /** Whether {@code presented} is the CSRF token of the session, compared in constant time. */
  public boolean csrfMatches(String secretText, @Nullable String presented) {
    if (presented == null) {
      return false;
    }
    return MessageDigest.isEqual(csrfToken(secretText).getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
  }
}
