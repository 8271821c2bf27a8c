package dev.keyward.server.cli;

import dev.keyward.core.audit.Auditor;
import dev.keyward.core.auth.CredentialChanges;
import dev.keyward.core.authz.Permission;
import dev.keyward.core.authz.Role;
import dev.keyward.core.authz.RoleService;
import dev.keyward.core.error.KeywardException;
import dev.keyward.core.secret.SecretGenerator;
import dev.keyward.core.tenant.Tenant;
import dev.keyward.server.http.Json;
import dev.keyward.store.Database;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code keyward roles …}: a tenant's roles and their permissions, against the store directly.
 * Running servers see a change within a second. Exit codes: 0 done, 1 refused (unknown role or
 * tenant, role still held, store unreachable), 2 bad arguments.
 */
@Command(name = "roles", mixinStandardHelpOptions = true, description = "Manage roles and their permissions.",
    subcommands = {RolesCommand.ListRoles.class, RolesCommand.Create.class, RolesCommand.Update.class, RolesCommand.Delete.class})
public final class RolesCommand extends CommandGroup {
  @Override
  String example() {
    return "keyward roles create CFO --permission 'invoices:*' --permission bank_accounts:read";
  }

  /** What every roles subcommand shares: the store and the tenant. */
  abstract static class RoleCommand implements Callable<Integer> {
    @Mixin StoreOptions store = new StoreOptions();

    @Option(names = "--tenant", defaultValue = Tenant.DEFAULT_SLUG, description = "Tenant slug (default ${DEFAULT-VALUE}).")
    String tenant = Tenant.DEFAULT_SLUG;

    @Override
    public Integer call() {
      Logging.configure();
      try (Database db = StoreOptions.open(store.config())) {
        Tenant t = db.tenants().findBySlug(tenant).orElse(null);
        if (t == null) {
          System.err.println("keyward: no tenant has the slug " + dev.keyward.core.error.Echo.quoted(tenant));
          return 1;
        }
        RoleService roles = new RoleService(db.roles(), db.users(), db.keys(),
            new Auditor(db.audit(), new SecretGenerator(), Clock.systemUTC()), db.jdbc(), CredentialChanges.NONE);
        return run(roles, db, t);
      } catch (KeywardException e) {
        System.err.println("keyward: " + e.publicMessage());
        return e.code().status() == 400 ? 2 : 1;
      } catch (RuntimeException e) {
        System.err.println("keyward: " + e.getMessage());
        return 1;
      }
    }

    abstract int run(RoleService roles, Database db, Tenant tenant);

    static void print(Role r) {
      System.out.println(r.name() + (r.builtIn() ? " (built-in)" : "") + ": "
          + String.join(", ", r.permissions().stream().map(Permission::toString).toList())
          + (r.description().isEmpty() ? "" : "  — " + r.description()));
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the tenant's roles with their permissions.")
  static final class ListRoles extends RoleCommand {
    @Option(names = "--json", description = "Print JSON: {\"roles\":[{\"name\",\"permissions\",\"description\",\"builtIn\"}]}.")
    boolean json;

    @Override
    int run(RoleService roles, Database db, Tenant tenant) {
      List<Role> all = db.roles().list(tenant.id());
      if (json) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Role r : all) {
          out.add(Map.of("name", r.name(), "permissions", r.permissions().stream().map(Permission::toString).toList(),
              "description", r.description(), "builtIn", r.builtIn()));
        }
        System.out.println(new String(Json.write(Map.of("roles", out)), StandardCharsets.UTF_8));
      } else {
        all.forEach(RoleCommand::print);
      }
      return 0;
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a custom role.")
  static final class Create extends RoleCommand {
    @Parameters(index = "0", paramLabel = "<name>", description = "1-64 of letters, digits, _ . : -")
    String name = "";

    @Option(names = {"-p", "--permission"}, description = "A grant 'resource:action' ('*' as a wildcard); repeat for more.")
    List<String> permissions = new ArrayList<>();

    @Option(names = "--description", description = "What the role is for.")
    @Nullable String description;

    @Override
    int run(RoleService roles, Database db, Tenant tenant) {
      print(roles.create(tenant.id(), null, name, permissions, description));
      return 0;
    }
  }

  @Command(name = "update", mixinStandardHelpOptions = true,
      description = "Replace a custom role's permissions (when any --permission is given) or description.")
  static final class Update extends RoleCommand {
    @Parameters(index = "0", paramLabel = "<name>")
    String name = "";

    @Option(names = {"-p", "--permission"}, description = "The new grants, replacing the old ones; repeat for more.")
    @Nullable List<String> permissions;

    @Option(names = "--description", description = "The new description.")
    @Nullable String description;

    @Override
    int run(RoleService roles, Database db, Tenant tenant) {
      print(roles.update(tenant.id(), null, name, permissions, description));
      return 0;
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a custom role that no member or live key holds.")
  static final class Delete extends RoleCommand {
    @Parameters(index = "0", paramLabel = "<name>")
    String name = "";

    @Override
    int run(RoleService roles, Database db, Tenant tenant) {
      roles.delete(tenant.id(), null, name);
      System.out.println("Deleted " + name);
      return 0;
    }
  }
}
