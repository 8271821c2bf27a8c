package dev.keyward.filter;

import dev.keyward.core.authz.Decisions;
import java.net.URI;

/**
 * Keyward's decision for one call, framework-free: ask it for every request and refuse unless
 * {@link Verdict#allowed()}. Two doors give the same answers to the same question: {@link
 * #remote} asks a Keyward server's verification API, {@link #local} an in-process decision
 * function over the same store.
 *
 * <p>A decider never throws for a refusal nor for a failure to decide: it answers {@link
 * Verdict.Unavailable} (503) instead, and never allows a call it could not decide.
 */
@FunctionalInterface
public interface Decider {
  Verdict decide(Question question);

  /**
   * Asks the Keyward server at {@code keywardBase} ({@code POST /api/v1/verify}) with a service
   * credential that holds {@code keyward:verify}: an API key, or a whole {@code Authorization}
   * header value such as {@code Basic …}. Default timeouts: see {@link RemoteDecider#builder}.
   */
  static Decider remote(URI keywardBase, String serviceCredential) {
    return RemoteDecider.builder(keywardBase, serviceCredential).build();
  }

  /**
   * Asks an in-process decision function, such as the one of an embedded Keyward core and store.
   *
   * @param issuer the issuer the callers' access tokens name: the Keyward server's configured
   *     issuer ({@code KEYWARD_ISSUER}), or the base URL clients get their tokens from
   */
  static Decider local(Decisions decisions, String issuer) {
    return new LocalDecider(decisions, issuer);
  }
}
