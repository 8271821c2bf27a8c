package dev.keyward.core.token;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RevocationListTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
  private final RevocationList list = new RevocationList(clock, Duration.ofSeconds(1));

  private TokenClaims token(String jti, String user, String key, String family, Instant issued) {
    return new TokenClaims(jti, user, "a@example.com", "tnt", "default", Set.of(), "c", key, null, false, family, issued, issued.plusSeconds(3600));
  }

  @Test
  void isRevokedWhenUserCutoffThenOnlyTokensIssuedUpToItAreRefused() {
    Instant t0 = clock.instant();
    TokenClaims before = token("a", "usr", "k", "f", t0.minusMillis(1));
    TokenClaims at = token("b", "usr", "k", "f", t0);
    TokenClaims after = token("c", "usr", "k", "f", t0.plusMillis(1));
    list.apply(new Revocation(Revocation.Kind.USER, "usr", t0));
    assertThat(list.isRevoked(before)).isTrue();
    assertThat(list.isRevoked(at)).isTrue();
    assertThat(list.isRevoked(after)).isFalse();
  }

  @Test
  void isRevokedWhenTokenKeyOrFamilyRevokedThenRefused() {
    Instant t0 = clock.instant();
    list.apply(new Revocation(Revocation.Kind.TOKEN, "jti1", t0));
    list.apply(new Revocation(Revocation.Kind.KEY, "key1", t0));
    list.apply(new Revocation(Revocation.Kind.FAMILY, "fam1", t0));
    assertThat(list.isRevoked(token("jti1", "u", "k", "f", t0))).isTrue();
    assertThat(list.isRevoked(token("x", "u", "key1", "f", t0.plusSeconds(5)))).isTrue();
    assertThat(list.isRevoked(token("x", "u", "k", "fam1", t0.plusSeconds(5)))).isTrue();
    assertThat(list.isRevoked(token("x", "u", "k", "f", t0))).isFalse();
  }

  @Test
  void isFreshWhenNotMarkedWithinStalenessThenFalse() {
    list.markFresh(clock.instant());
    assertThat(list.isFresh()).isTrue();
    clock.advance(Duration.ofMillis(1001));
    assertThat(list.isFresh()).isFalse();
    list.markFresh(clock.instant());
    assertThat(list.isFresh()).isTrue();
  }

  @Test
  void pruneWhenOlderThanHorizonThenForgotten() {
    Instant t0 = clock.instant();
    list.apply(new Revocation(Revocation.Kind.TOKEN, "old", t0));
    list.prune(t0.plusSeconds(1));
    assertThat(list.isRevoked(token("old", "u", "k", "f", t0))).isFalse();
  }
}
