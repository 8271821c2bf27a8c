package dev.keyward.core.auth;

import dev.keyward.core.key.ApiKeyFormat;
import dev.keyward.core.secret.Secret;

/** A credential read from an {@code Authorization} header, before it is checked. */
public sealed interface Credential {

  /** An API key whose format and checksum are valid (Bearer, or Basic with an empty password). */
  record ApiKeyCredential(ApiKeyFormat.Parsed key) implements Credential {}

  /** Something shaped like an access token (a compact JWS); checked by the token resolver. */
  record AccessTokenCredential(String token) implements Credential {}

  /** A partner application's key with a user token: {@code Bearer <partner key>, User <user token>}. */
  record PartnerUser(ApiKeyFormat.Parsed partnerKey, String userToken) implements Credential {}

  /** An email and password (Basic). */
  record PasswordCredential(String email, Secret password) implements Credential {}

  /**
   * A well-formed credential that can never be valid (bad checksum, unknown token kind). It is
   * answered exactly like an unknown key, without touching the store.
   */
  record Rejected(String internalReason) implements Credential {}
}
