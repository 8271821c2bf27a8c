package dev.keyward.server.cli;

/**
 * A command that cannot go on, with the message for standard error and the exit code: 1 refused
 * or failed, 2 bad arguments.
 */
final class CliFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;
  static final int REFUSED = 1;
  static final int BAD_ARGUMENTS = 2;

  private final int exit;

  CliFailure(int exit, String message) {
    super(message, null, false, false);
    this.exit = exit;
  }

  int exit() {
    return exit;
  }
}
