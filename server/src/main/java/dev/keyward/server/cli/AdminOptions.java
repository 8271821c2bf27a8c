package dev.keyward.server.cli;

import dev.keyward.core.tenant.Tenant;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where a management command acts: on the store directly (the default, with the options of
 * {@code serve}), or on a running server with {@code --url} and a key.
 */
final class AdminOptions {
  @Mixin StoreOptions store = new StoreOptions();

  @Option(names = "--tenant", description = "Tenant slug (default: 'default' on the store; the key's own tenant with --url).")
  @Nullable String tenant;

  @Option(names = "--as", paramLabel = "<email>", description = "On the store: act as this owner or admin (default: the tenant's first owner).")
  @Nullable String as;

  @Option(names = "--url", defaultValue = "${env:KEYWARD_URL}", paramLabel = "<base>",
      description = "Act on a running server through its admin API, e.g. http://127.0.0.1:8080 (KEYWARD_URL).")
  @Nullable String url;

  @Option(names = "--key", paramLabel = "<api key>",
      description = "With --url: an admin key (or any key for its own keys). Prefer KEYWARD_KEY: options show in process lists.")
  @Nullable String key;

  boolean remote() {
    return StoreOptions.blankToNull(url) != null;
  }

  /** Opens the store or connects to the server; refuses a key without --url and --url without a key. */
  Admin open() {
    String u = StoreOptions.blankToNull(url);
    if (u == null) {
      if (StoreOptions.blankToNull(key) != null) {
        throw new CliFailure(CliFailure.BAD_ARGUMENTS, "--key needs --url: without it the command works on the store directly");
      }
      return LocalAdmin.open(store.config(), tenant == null ? Tenant.DEFAULT_SLUG : tenant, StoreOptions.blankToNull(as));
    }
    return remote(u);
  }

  /** The admin API of the server at {@code u}, with the key from --key or KEYWARD_KEY. */
  RemoteAdmin remote(String u) {
    java.net.URI base = RemoteAdmin.base(u);
    String k = StoreOptions.blankToNull(key);
    if (k == null) {
      k = StoreOptions.blankToNull(System.getenv("KEYWARD_KEY"));
    }
    if (as != null) {
      throw new CliFailure(CliFailure.BAD_ARGUMENTS, "--as works on the store only; with --url the key says who acts");
    }
    if (k == null) {
      throw new CliFailure(CliFailure.BAD_ARGUMENTS, "--url needs a key: set KEYWARD_KEY (or --key) to an admin key");
    }
    return new RemoteAdmin(base, k, tenant);
  }
}
