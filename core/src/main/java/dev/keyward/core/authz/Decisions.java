package dev.keyward.core.authz;

/**
 * The one decision function, as the verification API, the gateway and the embedded filter see
 * it. Same question, same answer, whichever door it comes through.
 */
@FunctionalInterface
public interface Decisions {
  /**
   * Decides one request. Refusals are answers, not exceptions; only a failure to decide at all
   * (the store is unreachable) throws, and callers must then refuse (fail closed, 503).
   */
  Decision decide(DecisionRequest request);
}
