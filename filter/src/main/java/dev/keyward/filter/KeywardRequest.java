package dev.keyward.filter;

import dev.keyward.core.auth.Principal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * The request as the application behind the filter sees it: the Keyward caller is the request's
 * user. {@link #getUserPrincipal()} is a {@link KeywardUser} named by the user id (immutable,
 * unlike an email), {@link #getRemoteUser()} is that id, and {@link #isUserInRole} answers from
 * the caller's effective roles in the tenant the call acts in.
 */
public final class KeywardRequest extends HttpServletRequestWrapper {
  /** What {@link #getAuthType()} answers. */
  public static final String AUTH_TYPE = "KEYWARD";

  private final KeywardUser user;

  KeywardRequest(HttpServletRequest request, Principal principal) {
    super(request);
    this.user = new KeywardUser(principal);
  }

  @Override
  public KeywardUser getUserPrincipal() {
    return user;
  }

  @Override
  public String getRemoteUser() {
    return user.getName();
  }

  /** True when the caller holds {@code role}; {@code **} (Servlet 6 §13.3: any authenticated user) is always true. */
  @Override
  public boolean isUserInRole(String role) {
    return role.equals("**") || user.principal().roles().contains(role);
  }

  @Override
  public String getAuthType() {
    return AUTH_TYPE;
  }

  /** The Keyward caller as a {@link java.security.Principal}; {@link #principal()} has the rest. */
  public record KeywardUser(Principal principal) implements java.security.Principal {
    /** The user id, such as {@code usr_…}. */
    @Override
    public String getName() {
      return principal.userId();
    }

    @Override
    public String toString() {
      return "KeywardUser[" + principal.userId() + " in " + principal.tenantSlug() + "]";
    }
  }
}
