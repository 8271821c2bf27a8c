package dev.keyward.server.cli;

import dev.keyward.core.error.KeywardException;
import dev.keyward.server.KeywardConfig.GatewaySettings;
import dev.keyward.server.http.ClientAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** Gateway mode and trusted proxies of {@code serve}. */
public final class GatewayOptions {
  @Option(names = "--upstream", defaultValue = "${env:KEYWARD_UPSTREAM}", description = "Proxy every request that is not one of Keyward's own to this API after deciding on it, e.g. http://127.0.0.1:3000 (KEYWARD_UPSTREAM).")
  @Nullable String upstream;

  @Option(names = "--upstream-timeout", defaultValue = "${env:KEYWARD_UPSTREAM_TIMEOUT:-30}", description = "Seconds to wait for the upstream to connect and for each read of its answer; past it, 504 (KEYWARD_UPSTREAM_TIMEOUT; default ${DEFAULT-VALUE}).")
  double timeoutSeconds = 30;

  @Option(names = "--upstream-max-body", defaultValue = "${env:KEYWARD_UPSTREAM_MAX_BODY:-67108864}", description = "Largest request body forwarded upstream, in bytes; larger ones get 413 (KEYWARD_UPSTREAM_MAX_BODY; default ${DEFAULT-VALUE}).")
  long maxBody = GatewaySettings.DEFAULT_MAX_BODY;

  @Option(names = "--trusted-proxies", defaultValue = "${env:KEYWARD_TRUSTED_PROXIES}", description = "Comma-separated addresses or CIDR ranges of the proxies in front of Keyward; only their X-Forwarded-For is believed (KEYWARD_TRUSTED_PROXIES; default: none).")
  @Nullable String trustedProxies;

  /**
   * The settings, checked.
   *
   * @throws IllegalArgumentException naming the option that is wrong
   */
  GatewaySettings settings() {
    GatewaySettings s = GatewaySettings.NONE;
    String u = StoreOptions.blankToNull(upstream);
    if (u != null) {
      try {
        s = s.withUpstream(GatewaySettings.parseUpstream(u));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--upstream: " + e.getMessage(), e);
      }
    }
    if (!(timeoutSeconds >= 0.001 && timeoutSeconds <= 3600)) {
      throw new IllegalArgumentException("--upstream-timeout must be between 0.001 and 3600 seconds");
    }
    if (maxBody < 1) {
      throw new IllegalArgumentException("--upstream-max-body must be at least 1 byte");
    }
    List<String> proxies = list(trustedProxies);
    try {
      ClientAddress.trusting(proxies);
    } catch (KeywardException e) {
      throw new IllegalArgumentException("--trusted-proxies (" + e.field() + "): " + e.publicMessage(), e);
    }
    return s.withTimeout(Duration.ofNanos(Math.round(timeoutSeconds * 1e9)))
        .withMaxBody(maxBody)
        .withTrustedProxies(proxies);
  }

  private static List<String> list(@Nullable String csv) {
    List<String> out = new ArrayList<>();
    if (csv != null) {
      for (String part : csv.split(",", -1)) {
        if (!part.isBlank()) {
          out.add(part.strip());
        }
      }
    }
    return out;
  }
}
