package dev.keyward.filter;

import dev.keyward.core.auth.Principal;
import dev.keyward.core.authz.Decision;
import dev.keyward.core.authz.DecisionCode;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link Decider} answers: a {@link Decided decision} (allowed or refused), a {@link
 * Rejected question Keyward would not answer} (400: a malformed tenant, resource or permission),
 * or {@link Unavailable no decision at all} (503). Only a decided {@code VALID} is {@link
 * #allowed()}: everything else refuses the call. An allowed call names its principal, except on a
 * public route of the route table, which is called without a credential.
 */
public sealed interface Verdict {
  /** True only for a decision that allows the call. */
  boolean allowed();

  /** The HTTP status to answer a refused call with (200 when allowed). */
  int status();

  /** The wire code: the decision code in lower case, the rejection's error, or {@code unavailable}. */
  String error();

  /** Why, safe to show to the caller: it never holds a credential. */
  String message();

  /** The caller, when the decision knows who it is. */
  @Nullable Principal principal();

  /** The decision when there is one. */
  @Nullable Decision decision();

  /** Reads a decision. */
  static Verdict of(Decision decision) {
    return new Decided(decision);
  }

  /** The decision function answered. */
  record Decided(Decision decision) implements Verdict {
    @Override
    public boolean allowed() {
      return decision.allowed();
    }

    @Override
    public int status() {
      return decision.code().status();
    }

    @Override
    public String error() {
      return wireName(decision.code());
    }

    @Override
    public String message() {
      return decision.message();
    }

    @Override
    public @Nullable Principal principal() {
      return decision.principal();
    }
  }

  /** The question was refused before any decision: its {@code field} (when known) is malformed. */
  record Rejected(int status, String error, String message, @Nullable String field) implements Verdict {
    @Override
    public boolean allowed() {
      return false;
    }

    @Override
    public @Nullable Principal principal() {
      return null;
    }

    @Override
    public @Nullable Decision decision() {
      return null;
    }
  }

  /**
   * No decision could be had: Keyward unreachable, too slow, failing, or answering what this
   * filter cannot read. The call is refused (fail closed). {@code reason} is for logs only (it
   * never holds a credential); the caller reads {@link #PUBLIC_MESSAGE}.
   */
  record Unavailable(String reason) implements Verdict {
    /** What a refused caller reads: nothing about the deployment. */
    public static final String PUBLIC_MESSAGE = "Access cannot be checked right now; try again shortly";

    @Override
    public boolean allowed() {
      return false;
    }

    @Override
    public int status() {
      return 503;
    }

    @Override
    public String error() {
      return "unavailable";
    }

    @Override
    public String message() {
      return PUBLIC_MESSAGE;
    }

    @Override
    public @Nullable Principal principal() {
      return null;
    }

    @Override
    public @Nullable Decision decision() {
      return null;
    }
  }

  /** The wire name of a decision code: {@code NOT_FOUND} → {@code not_found}. */
  static String wireName(DecisionCode code) {
    return code.name().toLowerCase(Locale.ROOT);
  }
}
