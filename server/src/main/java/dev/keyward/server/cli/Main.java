package dev.keyward.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code keyward} command. Exit codes: 0 success, 1 refused or failed at run time (e.g. an
 * unknown user, the store or server unreachable), 2 bad arguments.
 */
@Command(
    name = "keyward",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Keyward: API keys, programmatic users and access decisions for your API.",
    subcommands = {ServeCommand.class, UsersCommand.class, KeysCommand.class, RolesCommand.class, TokensCommand.class,
        AuditCommand.class, ExportCommand.class, ImportCommand.class, CommandLine.HelpCommand.class},
    footer = {"", "Run 'keyward serve' to start the server; 'keyward help <command>' for a command's options.",
        "Management commands work on the store (--data-dir, --db-url), or on a running server with --url and KEYWARD_KEY.",
        "Exit codes: 0 done, 1 refused or failed, 2 bad arguments."})
public final class Main implements Runnable {
  @SuppressWarnings("NullAway.Init") // injected by picocli before run()
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  public static int execute(String... args) {
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: try 'keyward serve' or 'keyward --help'");
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"keyward " + (v == null ? "development build" : v)};
    }
  }
}
