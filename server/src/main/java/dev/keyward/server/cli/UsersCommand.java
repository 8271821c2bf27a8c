package dev.keyward.server.cli;

import dev.keyward.core.audit.Auditor;
import dev.keyward.core.auth.AccountLockout;
import dev.keyward.core.secret.SecretGenerator;
import dev.keyward.server.KeywardConfig;
import dev.keyward.store.Database;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code keyward users …}: account administration against the store directly. */
@Command(name = "users", mixinStandardHelpOptions = true, description = "Manage accounts.",
    subcommands = {UsersCommand.Unlock.class})
public final class UsersCommand extends CommandGroup {
  @Override
  String example() {
    return "keyward users unlock <email>";
  }

  /** Lifts a lock set by too many wrong passwords; running servers see it on the next login. */
  @Command(name = "unlock", mixinStandardHelpOptions = true,
      description = {"Clear the failed password attempts and the lock of an account.",
          "Takes effect at once on every running server. Exit 1 when no account has this email."})
  static final class Unlock implements Callable<Integer> {
    @Mixin StoreOptions store = new StoreOptions();

    @Parameters(index = "0", paramLabel = "<email>", description = "The account's email (any letter case).")
    String email = "";

    @Override
    public Integer call() {
      Logging.configure();
      KeywardConfig config = store.config();
      try (Database db = StoreOptions.open(config)) {
        Clock clock = Clock.systemUTC();
        AccountLockout lockout = new AccountLockout(db.loginAttempts(), db.users(),
            new Auditor(db.audit(), new SecretGenerator(), clock), clock, config.lockout());
        if (!lockout.unlockByEmail(email, "unlocked with the CLI")) {
          System.err.println("keyward: no account has the email " + dev.keyward.core.error.Echo.quoted(email));
          return 1;
        }
        System.out.println("Unlocked " + email.strip());
        return 0;
      } catch (RuntimeException e) {
        System.err.println("keyward: could not unlock the account: " + e.getMessage());
        return 1;
      }
    }
  }
}
