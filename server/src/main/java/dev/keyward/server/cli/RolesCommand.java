package dev.keyward.server.cli;

import dev.keyward.server.api.RolesEndpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code keyward roles …}: a tenant's roles and their permissions, on the store or (with
 * {@code --url}) through a running server. Running servers see a change within a second. Exit
 * codes: 0 done, 1 refused (unknown role or tenant, role still held, store unreachable), 2 bad
 * arguments.
 */
@Command(name = "roles", mixinStandardHelpOptions = true, description = "Manage roles and their permissions.",
    subcommands = {RolesCommand.ListRoles.class, RolesCommand.Create.class, RolesCommand.Update.class, RolesCommand.Delete.class})
public final class RolesCommand extends CommandGroup {
  @Override
  String example() {
    return "keyward roles create CFO --permission 'invoices:*' --permission bank_accounts:read";
  }

  static void print(RolesEndpoint.RoleView r) {
    System.out.println(r.name() + (r.builtIn() ? " (built-in)" : "") + ": " + String.join(", ", r.permissions())
        + (r.description().isEmpty() ? "" : "  — " + r.description()));
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the tenant's roles with their permissions.")
  static final class ListRoles extends AdminCommand {
    @Option(names = "--json", description = "Print JSON: {\"roles\":[{\"name\",\"permissions\",\"description\",\"builtIn\"}]}.")
    boolean json;

    @Override
    int run(Admin admin) {
      List<RolesEndpoint.RoleView> all = admin.roles();
      if (json) {
        Output.json(Map.of("roles", all));
      } else {
        all.forEach(RolesCommand::print);
      }
      return 0;
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a custom role.")
  static final class Create extends AdminCommand {
    @Parameters(index = "0", paramLabel = "<name>", description = "1-64 of letters, digits, _ . : -")
    String name = "";

    @Option(names = {"-p", "--permission"}, description = "A grant 'resource:action' ('*' as a wildcard); repeat for more.")
    List<String> permissions = new ArrayList<>();

    @Option(names = "--description", description = "What the role is for.")
    @Nullable String description;

    @Option(names = "--json", description = "Print the API's answer as JSON.")
    boolean json;

    @Override
    int run(Admin admin) {
      show(admin.createRole(new RolesEndpoint.RoleRequest(name, permissions, description)), json);
      return 0;
    }
  }

  static void show(RolesEndpoint.RoleView r, boolean json) {
    if (json) {
      Output.json(r);
    } else {
      print(r);
      for (String w : r.warnings()) {
        System.out.println("warning: " + w);
      }
    }
  }

  @Command(name = "update", mixinStandardHelpOptions = true,
      description = "Replace a custom role's permissions (when any --permission is given) or description.")
  static final class Update extends AdminCommand {
    @Parameters(index = "0", paramLabel = "<name>")
    String name = "";

    @Option(names = {"-p", "--permission"}, description = "The new grants, replacing the old ones; repeat for more.")
    @Nullable List<String> permissions;

    @Option(names = "--description", description = "The new description.")
    @Nullable String description;

    @Option(names = "--json", description = "Print the API's answer as JSON.")
    boolean json;

    @Override
    int run(Admin admin) {
      if (permissions == null && description == null) {
        throw new CliFailure(CliFailure.BAD_ARGUMENTS, "nothing to change: give --permission or --description");
      }
      show(admin.updateRole(name, new RolesEndpoint.RoleRequest(null, permissions, description)), json);
      return 0;
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a custom role that no member or live key holds.")
  static final class Delete extends AdminCommand {
    @Parameters(index = "0", paramLabel = "<name>")
    String name = "";

    @Override
    int run(Admin admin) {
      admin.deleteRole(name);
      System.out.println("Deleted " + name);
      return 0;
    }
  }
}
