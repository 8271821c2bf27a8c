package dev.keyward.core.token;

/**
 * An error of the OAuth endpoints, answered in the RFC 6749 §5.2 shape
 * {@code {"error","error_description"}}. The description never repeats client input.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-5.2">RFC 6749 §5.2</a>
 */
public final class OAuthException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The RFC error codes. */
  public enum Code {
    INVALID_REQUEST(400),
    INVALID_CLIENT(401),
    INVALID_GRANT(400),
    UNAUTHORIZED_CLIENT(400),
    UNSUPPORTED_GRANT_TYPE(400),
    INVALID_SCOPE(400),
    INVALID_TOKEN(401),
    TEMPORARILY_UNAVAILABLE(503);

    private final int status;

    Code(int status) {
      this.status = status;
    }

    public int status() {
      return status;
    }

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The HTTP status of a body in a media type the OAuth endpoints do not take. */
  public static final int UNSUPPORTED_MEDIA_TYPE = 415;

  private final Code code;
  private final String description;
  private final boolean basicChallenge;
  private final int status;

  public OAuthException(Code code, String description) {
    this(code, description, false);
  }

  /** @param basicChallenge the client authenticated with HTTP Basic: answer 401 with a Basic challenge */
  public OAuthException(Code code, String description, boolean basicChallenge) {
    this(code, description, basicChallenge, code.status());
  }

  private OAuthException(Code code, String description, boolean basicChallenge, int status) {
    super(code.wireName() + ": " + description, null, false, false);
    this.code = code;
    this.description = description;
    this.basicChallenge = basicChallenge;
    this.status = status;
  }

  /**
   * A body that is neither form-encoded nor JSON, or not UTF-8: {@code invalid_request} in the RFC
   * 6749 shape (the RFC has no code of its own for it) with HTTP's own status, 415.
   */
  public static OAuthException unsupportedMediaType(String description) {
    return new OAuthException(Code.INVALID_REQUEST, description, false, UNSUPPORTED_MEDIA_TYPE);
  }

  public Code code() {
    return code;
  }

  public String description() {
    return description;
  }

  public boolean basicChallenge() {
    return basicChallenge;
  }

  /** The HTTP status: the code's, except for {@link #unsupportedMediaType}. */
  public int status() {
    return status;
  }
}
