package dev.keyward.server.cli;

import picocli.CommandLine;

/** A command that only groups subcommands: run alone, it is a usage error (exit 2) with a hint. */
abstract class CommandGroup implements Runnable {
  @CommandLine.Spec
  @SuppressWarnings("NullAway.Init") // injected by picocli
  CommandLine.Model.CommandSpec spec;

  /** An example of a full command, shown when the subcommand is missing. */
  abstract String example();

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: try '" + example() + "'");
  }
}
