package dev.keyward.bench;

import dev.keyward.core.Transactor;
import dev.keyward.core.key.Environment;
import dev.keyward.core.secret.SecretGenerator;
import dev.keyward.core.token.AccessTokens;
import dev.keyward.core.token.Sealer;
import dev.keyward.core.token.SigningKeyStore;
import dev.keyward.core.token.SigningKeys;
import dev.keyward.core.token.TokenAlgorithm;
import dev.keyward.core.token.TokenClaims;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Access tokens: issuing (claims + signature), checking a token never seen before (signature and
 * claims), and checking a token seen before (the verified-token cache), per algorithm.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@SuppressWarnings("NullAway.Init") // JMH fills the state in setUp()
public class TokenBenchmark {
  @Param({"EDDSA", "ES256", "RS256"})
  public String algorithm;

  private AccessTokens tokens;
  private AccessTokens.Grant grant;
  private String cachedToken;

  @Setup(Level.Trial)
  public void setUp() {
    SecretGenerator ids = new SecretGenerator();
    SigningKeys keys = new SigningKeys(new MemoryStore(), new Sealer(new byte[32], new SecureRandom()), new Inline(), ids,
        TokenAlgorithm.valueOf(algorithm), Duration.ofHours(2), Clock.systemUTC());
    keys.load();
    tokens = new AccessTokens(keys, "https://kw.example", Duration.ofHours(1), Duration.ofSeconds(30), Clock.systemUTC(), ids);
    grant = new AccessTokens.Grant("usr_1", "a@example.com", "tnt_1", "default", Set.of("admin"), "key_1", "key_1",
        Environment.PRODUCTION, false, "fam_1");
    cachedToken = tokens.issue(grant).token();
    this.keys = keys;
    this.ids = ids;
  }

  private SigningKeys keys;
  private SecretGenerator ids;

  @Benchmark
  public String issue() {
    return tokens.issue(grant).token();
  }

  @Benchmark
  public Optional<TokenClaims> verifyCached() {
    return tokens.verify(cachedToken);
  }

  /** A checker that has never seen the token (includes building its empty cache, ~1 µs). */
  @Benchmark
  public Optional<TokenClaims> verifyFirstSight() {
    return new AccessTokens(keys, "https://kw.example", Duration.ofHours(1), Duration.ofSeconds(30), Clock.systemUTC(), ids)
        .verify(cachedToken);
  }

  private static final class Inline implements Transactor {
    @Override
    public <T> T inTransaction(Supplier<T> work) {
      return work.get();
    }
  }

  private static final class MemoryStore implements SigningKeyStore {
    private final List<StoredKey> keys = new ArrayList<>();

    @Override
    public synchronized void insert(StoredKey key) {
      keys.add(0, key);
    }

    @Override
    public synchronized List<StoredKey> list() {
      return List.copyOf(keys);
    }

    @Override
    public synchronized void retireAllBut(String keepKid, Instant at) {
      keys.replaceAll(k -> k.kid().equals(keepKid) || k.retiredAt() != null ? k
          : new StoredKey(k.kid(), k.algorithm(), k.publicJwk(), k.sealedPrivateJwk(), k.createdAt(), at));
    }
  }
}
