package dev.keyward.server.cli;

import dev.keyward.core.error.KeywardException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * A management command: opens the store or the server connection, runs, and turns every refusal
 * into a message on standard error and an exit code (0 done, 1 refused or failed, 2 bad
 * arguments, as the API's 400 is).
 */
abstract class AdminCommand implements Callable<Integer> {
  @Mixin AdminOptions target = new AdminOptions();

  @Override
  public final Integer call() {
    Logging.configure();
    return guarded(() -> {
      try (Admin admin = target.open()) {
        return run(admin);
      }
    });
  }

  abstract int run(Admin admin);

  /** Runs {@code work}, printing a refusal as {@code keyward: <message>} and answering its exit code. */
  static int guarded(Callable<Integer> work) {
    try {
      return work.call();
    } catch (CliFailure e) {
      System.err.println("keyward: " + e.getMessage());
      return e.exit();
    } catch (KeywardException e) {
      System.err.println("keyward: " + e.publicMessage());
      return e.code().status() == 400 ? CliFailure.BAD_ARGUMENTS : CliFailure.REFUSED;
    } catch (Exception e) {
      System.err.println("keyward: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
      return CliFailure.REFUSED;
    }
  }
}
