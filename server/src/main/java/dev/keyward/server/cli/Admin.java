package dev.keyward.server.cli;

import dev.keyward.server.api.KeysEndpoint;
import dev.keyward.server.api.RolesEndpoint;
import dev.keyward.server.api.UsersEndpoint;
import dev.keyward.server.api.Views;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What the management commands do, in the admin API's own request and answer types: on the
 * machine through core's services ({@link LocalAdmin}), or against a running server through the
 * admin API ({@link RemoteAdmin}). Either way the same rules apply, and {@code --json} prints
 * the same documents.
 */
interface Admin extends AutoCloseable {
  Views.CreatedUserView createUser(UsersEndpoint.CreateUserRequest request);

  List<Views.UserView> users();

  Views.UserView updateUser(String userId, UsersEndpoint.UpdateUserRequest request);

  String resetPassword(String userId);

  Views.UserView unlock(String userId);

  void removeUser(String userId);

  Views.CreatedKeyView createKey(KeysEndpoint.CreateKeyRequest request);

  List<Views.KeyView> keys(@Nullable String userId);

  Views.KeyView revokeKey(String keyId);

  Views.CreatedKeyView rollKey(String keyId, KeysEndpoint.RollRequest request);

  List<RolesEndpoint.RoleView> roles();

  RolesEndpoint.RoleView createRole(RolesEndpoint.RoleRequest request);

  RolesEndpoint.RoleView updateRole(String name, RolesEndpoint.RoleRequest request);

  void deleteRole(String name);

  /** Events newest first; every filter may be null. Times are ISO-8601 instants. */
  List<Views.AuditView> audit(AuditQuery query);

  record AuditQuery(@Nullable String event, @Nullable String actor, @Nullable String subject, @Nullable String since,
      @Nullable String until, int limit) {}

  /** The id of the user named by {@code ref}: an id ({@code usr_…}) as it is, an email looked up in the tenant. */
  default String userId(String ref) {
    if (ref.startsWith("usr_")) {
      return ref;
    }
    String wanted = ref.strip().toLowerCase(Locale.ROOT);
    return users().stream().filter(u -> u.email().toLowerCase(Locale.ROOT).equals(wanted)).map(Views.UserView::id).findFirst()
        .orElseThrow(() -> new CliFailure(CliFailure.REFUSED, "no user of this tenant has the email "
            + dev.keyward.core.error.Echo.quoted(ref)));
  }

  @Override
  void close();
}
