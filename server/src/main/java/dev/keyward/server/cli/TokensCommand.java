package dev.keyward.server.cli;

import dev.keyward.server.KeywardConfig;
import dev.keyward.server.Services;
import dev.keyward.store.Database;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code keyward tokens …}: token administration against the store directly. */
@Command(name = "tokens", mixinStandardHelpOptions = true, description = "Manage access-token signing keys.",
    subcommands = {TokensCommand.Rotate.class})
public final class TokensCommand extends CommandGroup {
  @Override
  String example() {
    return "keyward tokens rotate-signing-key";
  }

  /** Makes a new signing key; running servers follow within 30 seconds, old tokens keep verifying. */
  @Command(name = "rotate-signing-key", mixinStandardHelpOptions = true,
      description = {"Create a new access-token signing key and retire the current one.",
          "Tokens it signed keep verifying until they expire; running servers switch within 30 s."})
  static final class Rotate implements Callable<Integer> {
    @Mixin StoreOptions store = new StoreOptions();
    @Mixin TokenOptions tokenOptions = new TokenOptions();

    @picocli.CommandLine.Option(names = "--url", defaultValue = "${env:KEYWARD_URL}", paramLabel = "<base>",
        description = "Rotate on a running server instead (POST /api/v1/signing-keys/rotate; owners of 'default') (KEYWARD_URL).")
    @org.jspecify.annotations.Nullable String url;

    @picocli.CommandLine.Option(names = "--key", paramLabel = "<api key>", description = "With --url: an admin key of an owner of 'default'. Prefer KEYWARD_KEY.")
    @org.jspecify.annotations.Nullable String key;

    @Override
    public Integer call() {
      Logging.configure();
      if (StoreOptions.blankToNull(url) != null) {
        AdminOptions remote = new AdminOptions();
        remote.url = url;
        remote.key = key;
        return AdminCommand.guarded(() -> {
          try (RemoteAdmin admin = remote.remote(String.valueOf(url))) {
            System.out.println("New signing key " + admin.rotateSigningKey());
            return 0;
          }
        });
      }
      KeywardConfig base = store.config();
      KeywardConfig config;
      try {
        config = base.withTokens(tokenOptions.apply(base.tokens()));
      } catch (IllegalArgumentException e) {
        System.err.println("keyward: " + e.getMessage());
        return 2;
      }
      try (Database db = StoreOptions.open(config);
          Services services = new Services(config, db, Clock.systemUTC())) {
        String kid = services.signingKeys().rotate();
        System.out.println("New signing key " + kid + " (" + services.signingKeys().activeAlgorithm().joseName() + ")");
        return 0;
      } catch (RuntimeException e) {
        System.err.println("keyward: could not rotate the signing key: " + e.getMessage());
        return 1;
      }
    }
  }
}
