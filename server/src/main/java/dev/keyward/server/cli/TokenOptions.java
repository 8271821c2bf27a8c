package dev.keyward.server.cli;

import dev.keyward.core.token.TokenAlgorithm;
import dev.keyward.server.KeywardConfig;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** Access-token settings of {@code serve}. */
public final class TokenOptions {
  @Option(names = "--issuer", defaultValue = "${env:KEYWARD_ISSUER}", description = "Issuer (iss and aud) of access tokens, e.g. https://auth.example.com (KEYWARD_ISSUER; default: each request's own base URL, scheme://Host).")
  @Nullable String issuer;

  @Option(names = "--token-algorithm", defaultValue = "${env:KEYWARD_TOKEN_ALGORITHM:-EdDSA}", description = "Signature algorithm of new signing keys: EdDSA, ES256 or RS256 (KEYWARD_TOKEN_ALGORITHM; default ${DEFAULT-VALUE}).")
  String algorithm = "EdDSA";

  @Option(names = "--access-token-ttl", defaultValue = "${env:KEYWARD_ACCESS_TOKEN_TTL:-3600}", description = "Access-token lifetime in seconds (KEYWARD_ACCESS_TOKEN_TTL; default ${DEFAULT-VALUE}).")
  long accessTtlSeconds = 3600;

  @Option(names = "--refresh-reuse-leeway", defaultValue = "${env:KEYWARD_REFRESH_REUSE_LEEWAY:-0}", description = "Seconds after its use during which a refresh token presented again still gives a new pair, for clients that retry after a lost answer (KEYWARD_REFRESH_REUSE_LEEWAY; default ${DEFAULT-VALUE}: off, a reuse revokes the login).")
  long reuseLeewaySeconds;

  @Option(names = "--refresh-race-window", defaultValue = "${env:KEYWARD_REFRESH_RACE_WINDOW:-2}", description = "Seconds after its use during which a spent refresh token presented again is taken for a concurrent refresh: refused, its login kept; 0 is strict: it revokes the login (KEYWARD_REFRESH_RACE_WINDOW; default ${DEFAULT-VALUE}).")
  long raceWindowSeconds = 2;

  KeywardConfig.TokenSettings apply(KeywardConfig.TokenSettings base) {
    TokenAlgorithm alg = TokenAlgorithm.parse(algorithm).orElseThrow(() ->
        new IllegalArgumentException("--token-algorithm must be EdDSA, ES256 or RS256"));
    if (accessTtlSeconds < 60 || accessTtlSeconds > 86_400) {
      throw new IllegalArgumentException("--access-token-ttl must be between 60 and 86400 seconds");
    }
    if (reuseLeewaySeconds < 0 || reuseLeewaySeconds > 60) {
      throw new IllegalArgumentException("--refresh-reuse-leeway must be between 0 and 60 seconds");
    }
    if (raceWindowSeconds < 0 || raceWindowSeconds > 60) {
      throw new IllegalArgumentException("--refresh-race-window must be between 0 (strict) and 60 seconds");
    }
    return base.withReuseLeeway(Duration.ofSeconds(reuseLeewaySeconds)).withRaceWindow(Duration.ofSeconds(raceWindowSeconds)).withIssuer(StoreOptions.blankToNull(issuer)).withAlgorithm(alg)
        .withLifetimes(Duration.ofSeconds(accessTtlSeconds), base.refreshTtl(), base.familyTtl());
  }
}
