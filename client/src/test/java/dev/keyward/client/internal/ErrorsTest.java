package dev.keyward.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.client.AccountLockedException;
import dev.keyward.client.AuthenticationException;
import dev.keyward.client.ConflictException;
import dev.keyward.client.ForbiddenException;
import dev.keyward.client.InvalidRequestException;
import dev.keyward.client.KeywardError;
import dev.keyward.client.KeywardException;
import dev.keyward.client.NotFoundException;
import dev.keyward.client.RateLimitedException;
import dev.keyward.client.UnavailableException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import org.junit.jupiter.api.Test;

/** Which exception each refusal becomes: by the OAuth code first, else by status. */
class ErrorsTest {
  private static KeywardException of(int status, String error) {
    return Errors.of(new KeywardError(status, error, "m", "r-1", null, null), null);
  }

  @Test
  void ofWhenStatusThenItsException() {
    assertThat(of(400, "invalid_json")).isInstanceOf(InvalidRequestException.class);
    assertThat(of(413, "payload_too_large")).isInstanceOf(InvalidRequestException.class);
    assertThat(of(401, "invalid_credentials")).isInstanceOf(AuthenticationException.class);
    assertThat(of(403, "forbidden")).isInstanceOf(ForbiddenException.class);
    assertThat(of(404, "not_found")).isInstanceOf(NotFoundException.class);
    assertThat(of(409, "already_revoked")).isInstanceOf(ConflictException.class);
    assertThat(of(423, "account_locked")).isInstanceOf(AccountLockedException.class);
    assertThat(of(429, "rate_limited")).isInstanceOf(RateLimitedException.class);
    assertThat(of(503, "unavailable")).isInstanceOf(UnavailableException.class);
    assertThat(of(500, "internal_error")).isExactlyInstanceOf(KeywardException.class);
  }

  @Test
  void ofWhenOAuthCodeThenByCodeWhateverTheStatus() {
    assertThat(of(400, "invalid_grant")).isInstanceOf(AuthenticationException.class);
    assertThat(of(400, "unauthorized_client")).isInstanceOf(AuthenticationException.class);
    assertThat(of(400, "invalid_scope")).isInstanceOf(InvalidRequestException.class);
    assertThat(of(503, "temporarily_unavailable")).isInstanceOf(UnavailableException.class);
  }

  @Test
  void fromWhenNoAnswerThenUnavailableWithStatusZero() {
    UnavailableException refused = Errors.from(new ConnectException("Connection refused"), "GET /api/v1/me");
    assertThat(refused.status()).isZero();
    assertThat(refused.error()).isEqualTo("connection_failed");
    assertThat(refused).hasMessage("Keyward could not be reached (GET /api/v1/me) (connection_failed)");
    assertThat(Errors.from(new HttpTimeoutException("t"), "POST /api/v1/keys").error()).isEqualTo("timeout");
    assertThat(Errors.from(new IOException("reset"), "x").error()).isEqualTo("connection_failed");
  }

  @Test
  void messageWhenRequestIdThenQuoted() {
    assertThat(of(404, "not_found")).hasMessage("m (HTTP 404 not_found, request r-1)");
  }
}
