package dev.keyward.core.auth;

/** Told when users, memberships or keys change, so that cached authentication is dropped. */
@FunctionalInterface
public interface CredentialChanges {
  void changed();

  CredentialChanges NONE = () -> {};
}
