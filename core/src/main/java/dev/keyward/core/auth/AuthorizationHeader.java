package dev.keyward.core.auth;

import dev.keyward.core.error.ErrorCode;
import dev.keyward.core.error.KeywardException;
import dev.keyward.core.key.ApiKeyFormat;
import dev.keyward.core.secret.Secret;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * Parses {@code Authorization} headers (RFC 9110 §11.4, RFC 6750 §2.1, RFC 7617). Schemes are
 * case-insensitive and may be followed by several spaces; Basic is strict base64 of UTF-8 and is
 * split on the first colon. Nothing here touches a store.
 */
public final class AuthorizationHeader {
  /** Longest credential accepted; anything longer is refused before any hashing. */
  public static final int MAX_LENGTH = 4096;

  private AuthorizationHeader() {}

  /**
   * Parses the header values of one request.
   *
   * @throws KeywardException {@code unauthenticated} when there is no usable credential, {@code
   *     invalid_request} when the header is malformed beyond a bad credential
   */
  public static Credential parse(List<String> values) {
    if (values.isEmpty()) {
      throw missing("Authentication required: send an API key as 'Authorization: Bearer <key>' or use Basic authentication");
    }
    if (values.size() > 1) {
      throw KeywardException.invalid("Send exactly one Authorization header");
    }
    String header = values.get(0);
    if (header.length() > MAX_LENGTH) {
      throw KeywardException.invalid("The Authorization header is too long (at most " + MAX_LENGTH + " characters)");
    }
    if (header.isBlank()) {
      throw missing("The Authorization header is empty: send 'Bearer <key>' or Basic credentials");
    }
    int sp = header.indexOf(' ');
    if (sp < 0) {
      throw missing("The Authorization header needs a scheme and a credential, such as 'Bearer <key>'");
    }
    String scheme = header.substring(0, sp);
    int start = sp;
    while (start < header.length() && header.charAt(start) == ' ') {
      start++;
    }
    String value = header.substring(start);
    if (scheme.equalsIgnoreCase("Bearer")) {
      return bearer(value);
    }
    if (scheme.equalsIgnoreCase("Basic")) {
      return basic(value);
    }
    throw missing("Unsupported authorization scheme: use Bearer or Basic");
  }

  private static Credential bearer(String value) {
    if (value.isEmpty()) {
      throw new KeywardException(ErrorCode.INVALID_CREDENTIALS, "The Bearer credential is empty");
    }
    int comma = value.indexOf(',');
    if (comma >= 0) {
      String after = value.substring(comma + 1).stripLeading();
      if (after.regionMatches(true, 0, "User", 0, 4) && (after.length() == 4 || after.charAt(4) == ' ')) {
        return partnerUser(value, comma);
      }
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == ' ' || c == ',' || c == '\t') {
        throw KeywardException.invalid("A Bearer credential is a single token without spaces or commas");
      }
    }
    if (!ApiKeyFormat.looksLikeKey(value) && dev.keyward.core.token.AccessTokens.looksLikeJwt(value)) {
      return new Credential.AccessTokenCredential(value);
    }
    return key(value);
  }

  /** {@code <partner key>, User <user token>}: each part must be well formed, and the refusal names it. */
  private static Credential partnerUser(String value, int comma) {
    String partner = value.substring(0, comma);
    String rest = value.substring(comma + 1).stripLeading();
    String userToken = rest.substring(4).strip();
    var key = ApiKeyFormat.parse(partner);
    if (key.isEmpty()) {
      throw new KeywardException(ErrorCode.INVALID_CREDENTIALS,
          "The partner key in 'Bearer <partner key>, User <user token>' is invalid, expired or revoked");
    }
    if (userToken.isEmpty() || !dev.keyward.core.token.AccessTokens.looksLikeJwt(userToken)) {
      throw new KeywardException(ErrorCode.INVALID_CREDENTIALS,
          "The user token in 'Bearer <partner key>, User <user token>' is invalid or expired");
    }
    return new Credential.PartnerUser(key.get(), userToken);
  }

  private static Credential key(String value) {
    return ApiKeyFormat.parse(value)
        .<Credential>map(Credential.ApiKeyCredential::new)
        .orElseGet(() -> new Credential.Rejected(
            ApiKeyFormat.looksLikeKey(value) ? "malformed key or bad checksum" : "not a Keyward key"));
  }

  private static Credential basic(String value) {
    byte[] decoded;
    try {
      if (value.length() % 4 != 0) {
        return new Credential.Rejected("basic: base64 length");
      }
      decoded = Base64.getDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      return new Credential.Rejected("basic: not base64");
    }
    String text;
    try {
      CharBuffer chars =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(decoded));
      text = chars.toString();
    } catch (CharacterCodingException e) {
      return new Credential.Rejected("basic: not UTF-8");
    }
    int colon = text.indexOf(':');
    if (colon < 0) {
      return new Credential.Rejected("basic: no colon");
    }
    String user = text.substring(0, colon);
    String password = text.substring(colon + 1);
    if (user.isEmpty() || hasControl(user)) {
      return new Credential.Rejected("basic: empty or invalid user");
    }
    if (ApiKeyFormat.looksLikeKey(user)) {
      // The key is the user name; a non-empty password is refused rather than ignored.
      return password.isEmpty() ? key(user) : new Credential.Rejected("basic: key with a password");
    }
    if (password.isEmpty()) {
      return new Credential.Rejected("basic: empty password");
    }
    return new Credential.PasswordCredential(user, Secret.of(password));
  }

  private static boolean hasControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isISOControl(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  private static KeywardException missing(String message) {
    return new KeywardException(ErrorCode.UNAUTHENTICATED, message);
  }
}
