package dev.keyward.filter;

import dev.keyward.core.authz.Decision;
import dev.keyward.core.authz.Decisions;
import dev.keyward.core.error.KeywardException;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The in-process door: the decision function itself. A question it refuses as malformed (a 4xx
 * {@link KeywardException}) is {@link Verdict.Rejected}, as the verification API would answer it;
 * any other failure is {@link Verdict.Unavailable}.
 */
final class LocalDecider implements Decider {
  private static final Logger LOG = Logger.getLogger(LocalDecider.class.getName());

  private final Decisions decisions;
  private final String issuer;

  LocalDecider(Decisions decisions, String issuer) {
    this.decisions = Objects.requireNonNull(decisions, "decisions");
    this.issuer = Objects.requireNonNull(issuer, "issuer");
  }

  @Override
  public Verdict decide(Question question) {
    Decision decision;
    try {
      decision = decisions.decide(question.toRequest(issuer));
    } catch (KeywardException e) {
      if (e.code().status() < 500) {
        return new Verdict.Rejected(e.code().status(), e.code().wireName(), e.publicMessage(), e.field());
      }
      LOG.log(Level.WARNING, "Keyward could not decide: " + e.code().wireName() + ": " + e.getMessage());
      return new Verdict.Unavailable("the decision function failed: " + e.code().wireName());
    } catch (RuntimeException e) {
      // Fail closed whatever went wrong; the exception's class and stack are for the log only.
      LOG.log(Level.WARNING, "Keyward could not decide", e);
      return new Verdict.Unavailable("the decision function failed: " + e.getClass().getSimpleName());
    }
    return Verdict.of(decision);
  }

  @Override
  public String toString() {
    return "Decider.local(" + decisions.getClass().getSimpleName() + ", issuer=" + issuer + ")";
  }
}
