package dev.keyward.client.model;

import dev.keyward.client.Secret;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A new user, with the secrets Keyward shows only now: the generated password (programmatic
 * users, and people created without one) and the secret of its API key {@code default-key}.
 */
public record CreatedUser(User user, @Nullable Secret password, Secret defaultKey, String defaultKeyId) {
  public String id() {
    return user.id();
  }

  public Optional<Secret> generatedPassword() {
    return Optional.ofNullable(password);
  }
}
