package dev.keyward.server.cli;

import dev.keyward.server.api.UsersEndpoint;
import dev.keyward.server.api.Views;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code keyward users …}: people and programmatic users of a tenant, on the store or (with
 * {@code --url}) through a running server's admin API. Exit codes: 0 done, 1 refused (unknown
 * user, conflict, store or server unreachable), 2 bad arguments.
 */
@Command(name = "users", mixinStandardHelpOptions = true, description = "Manage users and programmatic users.",
    subcommands = {UsersCommand.Create.class, UsersCommand.ListUsers.class, UsersCommand.Update.class,
        UsersCommand.ResetPassword.class, UsersCommand.Unlock.class, UsersCommand.Remove.class})
public final class UsersCommand extends CommandGroup {
  @Override
  String example() {
    return "keyward users create billing-bot@acme.example --name 'Billing bot' --programmatic";
  }

  static void print(Views.UserView u) {
    System.out.println(u.email() + " (" + u.id() + "): " + u.name() + ", " + (u.programmatic() ? "programmatic" : "person")
        + ", roles " + Output.list(u.roles()) + (u.locked() ? ", locked until " + (u.lockedUntil() == null ? "an admin unlocks" : u.lockedUntil()) : ""));
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = {"Create a user, with a 'default-key' API key.",
          "A programmatic user (service account) gets a generated password; both secrets are shown once."})
  static final class Create extends AdminCommand {
    @Parameters(index = "0", paramLabel = "<email>")
    String email = "";

    @Option(names = "--name", required = true, description = "Display name.")
    String name = "";

    @Option(names = "--programmatic", description = "A programmatic user (service account) with a generated password.")
    boolean programmatic;

    @Option(names = {"-r", "--role"}, paramLabel = "<role>", description = "A role in the tenant; repeat for more.")
    List<String> roles = new ArrayList<>();

    @Option(names = "--password-stdin", description = "For a person: read the password from standard input (default: generated).")
    boolean passwordStdin;

    @Option(names = "--json", description = "Print the API's creation answer (with the secrets) as JSON.")
    boolean json;

    @Override
    int run(Admin admin) {
      String password = passwordStdin ? readPassword() : null;
      Views.CreatedUserView u = admin.createUser(new UsersEndpoint.CreateUserRequest(email, name, programmatic, roles, password));
      if (json) {
        Output.json(u);
        return 0;
      }
      System.out.println("Created " + (u.programmatic() ? "programmatic user " : "user ") + u.email() + " (" + u.id() + "), roles "
          + Output.list(u.roles()));
      if (u.password() != null) {
        System.out.println("  password:  " + u.password());
      }
      System.out.println("  API key:   " + u.defaultKey() + "  (default-key, sandbox, " + u.defaultKeyId() + ")");
      Output.shownOnce();
      return 0;
    }

    private static String readPassword() {
      try {
        String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (line == null || line.isEmpty()) {
          throw new CliFailure(CliFailure.BAD_ARGUMENTS, "--password-stdin: standard input holds no password");
        }
        return line;
      } catch (IOException e) {
        throw new CliFailure(CliFailure.REFUSED, "cannot read standard input: " + e.getMessage());
      }
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the tenant's users with their roles and locked state.")
  static final class ListUsers extends AdminCommand {
    @Option(names = "--json", description = "Print JSON: {\"users\":[{\"id\",\"email\",\"name\",\"programmatic\",\"roles\",\"createdAt\",\"locked\",\"lockedUntil\"}]}.")
    boolean json;

    @Override
    int run(Admin admin) {
      List<Views.UserView> users = admin.users();
      if (json) {
        Output.json(Map.of("users", users));
        return 0;
      }
      Output.table(List.of("ID", "EMAIL", "NAME", "TYPE", "ROLES", "LOCKED", "CREATED"), users.stream().map(u -> List.of(
          u.id(), u.email(), u.name(), u.programmatic() ? "programmatic" : "person", Output.list(u.roles()),
          !u.locked() ? "-" : u.lockedUntil() == null ? "until unlocked" : "until " + u.lockedUntil(), Output.time(u.createdAt())))
          .toList());
      return 0;
    }
  }

  /** A command on one user, named by email or id. */
  abstract static class OneUser extends AdminCommand {
    @Parameters(index = "0", paramLabel = "<user>", description = "The user's email (any letter case) or id (usr_…).")
    String user = "";

    @Option(names = "--json", description = "Print the API's answer as JSON.")
    boolean json;
  }

  @Command(name = "update", mixinStandardHelpOptions = true, description = "Change a user's name or roles (the roles given replace the old ones).")
  static final class Update extends OneUser {
    @Option(names = "--name", description = "The new display name.")
    @Nullable String name;

    @Option(names = {"-r", "--role"}, paramLabel = "<role>", description = "The new roles, replacing the old ones; repeat for more.")
    @Nullable List<String> roles;

    @Option(names = "--no-roles", description = "Remove every role.")
    boolean noRoles;

    @Override
    int run(Admin admin) {
      if (noRoles && roles != null) {
        throw new CliFailure(CliFailure.BAD_ARGUMENTS, "give either --role or --no-roles, not both");
      }
      if (name == null && roles == null && !noRoles) {
        throw new CliFailure(CliFailure.BAD_ARGUMENTS, "nothing to change: give --name, --role or --no-roles");
      }
      Views.UserView u = admin.updateUser(admin.userId(user), new UsersEndpoint.UpdateUserRequest(name, noRoles ? List.of() : roles));
      if (json) {
        Output.json(u);
      } else {
        print(u);
      }
      return 0;
    }
  }

  @Command(name = "reset-password", mixinStandardHelpOptions = true,
      description = {"Give a user a new generated password, shown once.", "The old one, and every token of the user, stop working at once."})
  static final class ResetPassword extends OneUser {
    @Override
    int run(Admin admin) {
      String password = admin.resetPassword(admin.userId(user));
      if (json) {
        Output.json(new UsersEndpoint.PasswordView(password));
      } else {
        System.out.println("New password for " + user + ": " + password);
        Output.shownOnce();
      }
      return 0;
    }
  }

  @Command(name = "unlock", mixinStandardHelpOptions = true,
      description = {"Clear the failed password attempts and the lock of a user.",
          "Takes effect at once on every running server. Exit 1 when no user has this email."})
  static final class Unlock extends OneUser {
    @Override
    int run(Admin admin) {
      Views.UserView u = admin.unlock(admin.userId(user));
      if (json) {
        Output.json(u);
      } else {
        System.out.println("Unlocked " + u.email());
      }
      return 0;
    }
  }

  @Command(name = "remove", mixinStandardHelpOptions = true,
      description = {"Remove a user from the tenant.", "Their keys there are revoked at once, and their tokens with them."})
  static final class Remove extends OneUser {
    @Override
    int run(Admin admin) {
      String id = admin.userId(user);
      admin.removeUser(id);
      if (json) {
        Output.json(Map.of("removed", id));
      } else {
        System.out.println("Removed " + user + " (" + id + "); their keys are revoked");
      }
      return 0;
    }
  }
}
