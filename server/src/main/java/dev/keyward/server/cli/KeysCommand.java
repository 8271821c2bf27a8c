package dev.keyward.server.cli;

import dev.keyward.server.api.KeyBodies;
import dev.keyward.server.api.KeysEndpoint;
import dev.keyward.server.api.Views;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code keyward keys …}: API keys of a tenant's users, on the store or (with {@code --url})
 * through a running server. Secrets are printed once, on creation and roll. Exit codes: 0 done,
 * 1 refused (unknown key, already revoked, store or server unreachable), 2 bad arguments.
 */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Manage API keys.",
    subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class, KeysCommand.Roll.class})
public final class KeysCommand extends CommandGroup {
  @Override
  String example() {
    return "keyward keys create ci-deploy --user billing-bot@acme.example --environment production --expires-in 90d";
  }

  /** Who may call with a key. */
  enum Caller {
    NATIVE,
    BROWSER
  }

  static final class Expiry {
    @Option(names = "--expires-at", paramLabel = "<instant>", description = "Expiry as an ISO-8601 instant, e.g. 2030-12-31T00:00:00Z.")
    @Nullable String at;

    @Option(names = "--expires-in", paramLabel = "<duration>", converter = Converters.Seconds.class,
        description = "Expiry from now: seconds, or with s, m, h or d (e.g. 90d).")
    @Nullable Long in;

    @Nullable String instant() {
      return in != null ? Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusSeconds(in).toString() : at;
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = {"Create an API key with its access options; the key is shown once.",
          "Every option the API accepts: roles, resource patterns, data access, callers, IP allow-list, environment,",
          "expiry, rate limit and quota. Options left out take the API's defaults."})
  static final class Create extends AdminCommand {
    @Parameters(index = "0", paramLabel = "<name>", description = "A name, unique among the user's live keys.")
    String name = "";

    @Option(names = "--user", paramLabel = "<user>", description = "Whose key: email or id (default: the acting user, or the --key's user).")
    @Nullable String user;

    @Option(names = {"-r", "--role"}, paramLabel = "<role>", description = "Limit the key to these roles of its user; repeat for more (default: the user's roles, as they change).")
    @Nullable List<String> roles;

    @Option(names = "--environment", paramLabel = "<env>", description = "production or sandbox (default sandbox).")
    @Nullable String environment;

    @Option(names = "--admin", description = "An admin key: it may call the admin API, and only that (its user must be an owner or admin).")
    boolean adminKey;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    @Nullable Expiry expiry;

    @Option(names = "--resource", paramLabel = "<pattern>", description = "A resource pattern the key may act on, e.g. 'algo://acme/*'; repeat for more.")
    @Nullable List<String> resources;

    @Option(names = "--data-access", paramLabel = "<level>", description = "none, read or read_write (default none).")
    @Nullable String dataAccess;

    @Option(names = "--manage-algorithms", description = "Allow algorithm management.")
    boolean manageAlgorithms;

    @Option(names = "--caller", paramLabel = "<kind>", description = "Who may call: NATIVE, BROWSER; repeat for both (default: native only).")
    @Nullable List<Caller> callers;

    @Option(names = "--browser-host", paramLabel = "<host>", description = "A host name browsers may call from (implies --caller browser); repeat for more.")
    @Nullable List<String> browserHosts;

    @Option(names = "--ip", paramLabel = "<cidr>", description = "An address or CIDR range calls may come from; repeat for more (default: anywhere).")
    @Nullable List<String> ipAllowlist;

    @Option(names = "--rate-limit", paramLabel = "<limit/period>", converter = Converters.RateLimit.class,
        description = "At most LIMIT calls per PERIOD, e.g. 100/60s or 5000/1h.")
    KeyBodies.@Nullable RateLimitBody rateLimit;

    @Option(names = "--quota", paramLabel = "<uses>", description = "Total number of admitted calls.")
    @Nullable Long quota;

    @Option(names = "--json", description = "Print the API's creation answer (with the key) as JSON.")
    boolean json;

    @Override
    int run(Admin admin) {
      KeysEndpoint.CreateKeyRequest request = new KeysEndpoint.CreateKeyRequest(name, user == null ? null : admin.userId(user), roles,
          environment, adminKey ? Boolean.TRUE : null, expiry == null ? null : expiry.instant(), resources, dataAccess,
          manageAlgorithms ? Boolean.TRUE : null, callers(), ipAllowlist, rateLimit, quota);
      printCreated(admin.createKey(request), json, "Created");
      return 0;
    }

    private KeyBodies.@Nullable CallersBody callers() {
      if (callers == null && browserHosts == null) {
        return null;
      }
      List<Caller> kinds = callers == null ? List.of() : callers;
      return new KeyBodies.CallersBody(callers == null ? null : kinds.contains(Caller.NATIVE),
          kinds.contains(Caller.BROWSER) || browserHosts != null, browserHosts);
    }
  }

  static void printCreated(Views.CreatedKeyView k, boolean json, String verb) {
    if (json) {
      Output.json(k);
      return;
    }
    System.out.println(verb + " key " + k.name() + " (" + k.id() + ") of " + k.userId() + ", " + k.environment()
        + (k.admin() ? ", admin key" : "") + ", roles " + Output.list(k.roles())
        + (k.expiresAt() == null ? "" : ", expires " + k.expiresAt()));
    System.out.println("  key:  " + k.key());
    if (k.previousSecretExpiresAt() != null) {
      System.out.println("  the previous secret keeps working until " + k.previousSecretExpiresAt());
    }
    Output.shownOnce();
    for (String w : k.warnings()) {
      System.out.println("warning: " + w);
    }
  }

  static void print(Views.KeyView k) {
    System.out.println(k.name() + " (" + k.id() + ") of " + k.userId() + ": " + state(k));
  }

  static String state(Views.KeyView k) {
    if (k.revokedAt() != null) {
      return "revoked " + k.revokedAt();
    }
    if (k.expiresAt() != null && k.expiresAt().isBefore(Instant.now())) {
      return "expired";
    }
    return "active";
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys (never their secrets): everyone's in the tenant, or one user's.")
  static final class ListKeys extends AdminCommand {
    @Option(names = "--user", paramLabel = "<user>", description = "Only this user's keys: email or id.")
    @Nullable String user;

    @Option(names = "--json", description = "Print JSON: {\"keys\":[…]}, the API's key answers.")
    boolean json;

    @Override
    int run(Admin admin) {
      List<Views.KeyView> keys = admin.keys(user == null ? null : admin.userId(user));
      if (json) {
        Output.json(Map.of("keys", keys));
        return 0;
      }
      List<List<String>> rows = new ArrayList<>();
      for (Views.KeyView k : keys) {
        rows.add(List.of(k.id(), k.name(), k.start() + "…", k.userId(), k.environment() + (k.admin() ? " admin" : ""),
            Output.list(k.roles()), Output.time(k.createdAt()), Output.time(k.lastUsedAt()), Output.time(k.expiresAt()), state(k)));
      }
      Output.table(List.of("ID", "NAME", "START", "USER", "ENV", "ROLES", "CREATED", "LAST USED", "EXPIRES", "STATE"), rows);
      return 0;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true, description = {"Revoke a key: irreversible, at once on every server.", "Exit 1 when the key is unknown or already revoked."})
  static final class Revoke extends AdminCommand {
    @Parameters(index = "0", paramLabel = "<key-id>", description = "The key's id (key_…), as 'keys list' shows it.")
    String id = "";

    @Option(names = "--json", description = "Print the API's answer as JSON.")
    boolean json;

    @Override
    int run(Admin admin) {
      Views.KeyView k = admin.revokeKey(id);
      if (json) {
        Output.json(k);
      } else {
        print(k);
      }
      return 0;
    }
  }

  @Command(name = "roll", mixinStandardHelpOptions = true,
      description = {"Give a key a new secret, shown once; the previous one keeps working for the grace period.",
          "The key keeps its id, name and access options."})
  static final class Roll extends AdminCommand {
    @Parameters(index = "0", paramLabel = "<key-id>")
    String id = "";

    @Option(names = "--grace", required = true, paramLabel = "<duration>", converter = Converters.Seconds.class,
        description = "How long the previous secret keeps working: 0 (stops at once), seconds, or with s, m, h or d; at most 30d.")
    long grace;

    @Option(names = "--json", description = "Print the API's answer (with the new key) as JSON.")
    boolean json;

    @Override
    int run(Admin admin) {
      printCreated(admin.rollKey(id, new KeysEndpoint.RollRequest(grace)), json, "Rolled");
      return 0;
    }
  }
}
