package dev.keyward.core.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The holder type that keeps secrets out of logs. */
class SecretTest {
  private static final String VALUE = "kw_live_TopSecretValue0123456789";

  @Test
  void toStringWhenAnySecretThenRedacted() {
    Secret secret = Secret.of(VALUE);
    assertThat(secret.toString()).isEqualTo("Secret[redacted]").doesNotContain(VALUE).doesNotContain("TopSecret");
    assertThat(String.valueOf(secret)).doesNotContain(VALUE);
    assertThat("key=" + secret).doesNotContain(VALUE);
  }

  @Test
  void toStringWhenInsideCollectionOrRecordThenStillRedacted() {
    record Holder(String name, Secret secret) {}
    assertThat(new Holder("n", Secret.of(VALUE)).toString()).doesNotContain(VALUE);
    assertThat(Set.of(Secret.of(VALUE)).toString()).doesNotContain(VALUE);
  }

  @Test
  void matchesWhenSameValueThenTrueOtherwiseFalse() {
    assertThat(Secret.of(VALUE).matches(Secret.of(VALUE))).isTrue();
    assertThat(Secret.of(VALUE).matches(Secret.of(VALUE + "x"))).isFalse();
    assertThat(Secret.of(VALUE).matches(Secret.of(""))).isFalse();
    assertThat(Secret.of(VALUE)).isEqualTo(Secret.of(VALUE)).isNotEqualTo(Secret.of("other"));
  }

  @Test
  void hashCodeWhenDifferentValuesThenRevealsNothing() {
    assertThat(Secret.of("a").hashCode()).isEqualTo(Secret.of("b").hashCode());
  }

  @Test
  void revealAndLengthWhenCalledThenGiveTheValue() {
    Secret secret = Secret.of(VALUE);
    assertThat(secret.reveal()).isEqualTo(VALUE);
    assertThat(secret.length()).isEqualTo(VALUE.length());
  }
}
