package dev.keyward.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code keyward} command. Exit codes: 0 success, 1 failure at run time (e.g. the store cannot
 * be opened), 2 bad usage.
 */
@Command(
    name = "keyward",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Keyward: API keys, programmatic users and access decisions for your API.",
    subcommands = {ServeCommand.class, TokensCommand.class, UsersCommand.class, RolesCommand.class, CommandLine.HelpCommand.class},
    footer = {"", "Run 'keyward serve' to start the server; 'keyward help <command>' for a command's options."})
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
