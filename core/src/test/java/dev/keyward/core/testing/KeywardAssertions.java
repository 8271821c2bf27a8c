package dev.keyward.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.keyward.core.error.ErrorCode;
import dev.keyward.core.error.KeywardException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Assertions on Keyward's one failure type. */
public final class KeywardAssertions {
  private KeywardAssertions() {}

  /** Runs {@code call}, asserts it fails with {@code code}, and returns the failure for more checks. */
  public static KeywardException assertFails(ThrowingCallable call, ErrorCode code) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).as("expected a KeywardException with code %s", code).isInstanceOf(KeywardException.class);
    KeywardException e = (KeywardException) thrown;
    assertThat(e.code()).as("error code (message: %s)", e.getMessage()).isEqualTo(code);
    return e;
  }
}
