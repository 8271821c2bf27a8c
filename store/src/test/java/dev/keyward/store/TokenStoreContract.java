package dev.keyward.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyward.core.error.ErrorCode;
import dev.keyward.core.error.KeywardException;
import dev.keyward.core.key.Environment;
import dev.keyward.core.secret.SecretGenerator;
import dev.keyward.core.token.RefreshTokenStore.StoredRefresh;
import dev.keyward.core.token.Revocation;
import dev.keyward.core.token.RevocationList;
import dev.keyward.core.token.SigningKeyStore.StoredKey;
import dev.keyward.core.token.TokenAlgorithm;
import dev.keyward.store.jdbc.JdbcRevocationLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The token stores (signing keys, refresh tokens, revocations), run on every engine. */
public abstract class TokenStoreContract {
  static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  final SecretGenerator ids = new SecretGenerator();
  @SuppressWarnings("NullAway.Init")
  Database db;

  protected abstract Database open();

  @BeforeEach
  void openDatabase() {
    db = open();
  }

  @AfterEach
  void disposeDatabase() {
    TestDatabases.dispose(db);
  }

  StoredRefresh refresh(String family, String user, String key) {
    StoredRefresh r = new StoredRefresh(ids.id("rt"), ids.id("dg"), family, "tnt_1", user, key, "client", Set.of("admin", "reader"),
        Environment.SANDBOX, true, T0, T0.plusSeconds(60), T0, T0.plusSeconds(600), null, null);
    db.refreshTokens().insert(r);
    return r;
  }

  @Test
  void signingKeysWhenInsertedAndRetiredThenListedNewestFirstWithRetirement() {
    db.signingKeys().insert(new StoredKey("sk_a", TokenAlgorithm.EDDSA, "{\"kty\":\"OKP\"}", "sealed-a", T0, null));
    db.signingKeys().insert(new StoredKey("sk_b", TokenAlgorithm.ES256, "{\"kty\":\"EC\"}", "sealed-b", T0.plusSeconds(1), null));
    db.signingKeys().retireAllBut("sk_b", T0.plusSeconds(2));
    List<StoredKey> keys = db.signingKeys().list();
    assertThat(keys).extracting(StoredKey::kid).containsExactly("sk_b", "sk_a");
    assertThat(keys.get(0).retiredAt()).isNull();
    assertThat(keys.get(1).retiredAt()).isEqualTo(T0.plusSeconds(2));
    assertThat(keys.get(0).algorithm()).isEqualTo(TokenAlgorithm.ES256);
  }

  @Test
  void refreshWhenInsertedThenFoundByDigestWithEveryField() {
    StoredRefresh r = refresh("fam_1", "usr_1", "key_1");
    assertThat(db.refreshTokens().findByDigest(r.digest())).contains(r);
    assertThat(db.refreshTokens().findByDigest("unknown")).isEmpty();
  }

  @Test
  void markUsedWhenCalledTwiceThenOnlyFirstWinsAndRevokedNeverWins() {
    StoredRefresh r = refresh("fam_1", "usr_1", null);
    assertThat(db.refreshTokens().markUsed(r.id(), T0)).isTrue();
    assertThat(db.refreshTokens().markUsed(r.id(), T0)).isFalse();
    StoredRefresh revoked = refresh("fam_2", "usr_1", null);
    db.refreshTokens().revokeFamily("fam_2", T0);
    assertThat(db.refreshTokens().markUsed(revoked.id(), T0)).isFalse();
  }

  @Test
  void markUsedWhenTwentyThreadsRaceThenExactlyOneWins() throws Exception {
    StoredRefresh r = refresh("fam_1", "usr_1", null);
    ExecutorService pool = Executors.newFixedThreadPool(20);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Boolean>> results = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      results.add(pool.submit(() -> {
        start.await();
        return db.refreshTokens().markUsed(r.id(), T0);
      }));
    }
    start.countDown();
    int wins = 0;
    for (Future<Boolean> f : results) {
      wins += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
    }
    pool.shutdown();
    assertThat(wins).isEqualTo(1);
  }

  StoredRefresh newRefresh(String id) {
    return new StoredRefresh(id, ids.id("dg"), "fam_" + id, "tnt_1", "usr_1", null, "client", Set.of("reader"),
        null, false, T0, T0.plusSeconds(60), T0, T0.plusSeconds(600), null, null);
  }

  /** Inserts each row from its own thread at once; the outcome per row: null when stored, else the failure. */
  List<@Nullable KeywardException> insertConcurrently(List<StoredRefresh> rows) throws Exception {
    try (ExecutorService pool = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().factory())) {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<@Nullable KeywardException>> results = new ArrayList<>();
      for (StoredRefresh r : rows) {
        results.add(pool.submit(() -> {
          start.await();
          try {
            db.refreshTokens().insert(r);
            return null;
          } catch (KeywardException e) {
            return e;
          }
        }));
      }
      start.countDown();
      List<@Nullable KeywardException> outcomes = new ArrayList<>();
      for (Future<@Nullable KeywardException> f : results) {
        outcomes.add(f.get(60, TimeUnit.SECONDS));
      }
      return outcomes;
    }
  }

  /**
   * Runs {@code work} (which submits {@code rows} inserts) while the group-commit writer is stuck:
   * another connection holds the refresh-token table's write lock and the writer's current batch
   * is one plug row waiting for it. The lock is released once all {@code rows} wait too, so they
   * must all share the next commit.
   */
  <T> T withWriterBlocked(int rows, java.util.concurrent.Callable<T> work) throws Exception {
    try (ExecutorService pool = Executors.newFixedThreadPool(3)) {
      CountDownLatch locked = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Future<?> holder = pool.submit(() -> db.jdbc().inTransaction(() -> {
        db.jdbc().update(db.dialect() == Database.Dialect.POSTGRESQL
            ? "LOCK TABLE refresh_tokens IN EXCLUSIVE MODE"
            : "UPDATE refresh_tokens SET used_at = used_at WHERE id = 'none'");
        locked.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return true;
      }));
      try {
        assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
        StoredRefresh plug = newRefresh(ids.id("rt"));
        Future<?> plugged = pool.submit(() -> db.refreshTokens().insert(plug));
        awaitPending(1);
        Future<T> result = pool.submit(work);
        awaitPending(1 + rows);
        release.countDown();
        holder.get(10, TimeUnit.SECONDS);
        plugged.get(10, TimeUnit.SECONDS);
        return result.get(60, TimeUnit.SECONDS);
      } finally {
        release.countDown();
      }
    }
  }

  private void awaitPending(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    while (db.refreshTokens().inserts().pending() < n && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
    assertThat(db.refreshTokens().inserts().pending()).as("rows waiting for their commit").isEqualTo(n);
  }

  @Test
  void insertWhenTwoHundredConcurrentThenAllStoredAndCommitsShared() throws Exception {
    List<StoredRefresh> rows = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      rows.add(newRefresh(ids.id("rt")));
    }
    long commitsBefore = db.refreshTokens().inserts().commits();
    List<@Nullable KeywardException> outcomes = withWriterBlocked(200, () -> insertConcurrently(rows));
    assertThat(outcomes).containsOnlyNulls();
    for (StoredRefresh r : rows) {
      assertThat(db.refreshTokens().findByDigest(r.digest())).as(r.id()).contains(r);
    }
    // The plug row's commit waited for the lock while the 200 queued: they share the next commit.
    assertThat(db.refreshTokens().inserts().commits() - commitsBefore).isEqualTo(2);
    assertThat(insertConcurrently(List.of(newRefresh(ids.id("rt")), newRefresh(ids.id("rt"))))).containsOnlyNulls();
  }

  @Test
  void insertWhenOneRowOfABatchConflictsThenOnlyItsCallerFails() throws Exception {
    StoredRefresh existing = newRefresh(ids.id("rt"));
    db.refreshTokens().insert(existing);
    List<StoredRefresh> rows = new ArrayList<>();
    rows.add(newRefresh(ids.id("rt")));
    for (int i = 0; i < 9; i++) {
      rows.add(newRefresh(ids.id("rt")));
    }
    StoredRefresh duplicate = newRefresh(existing.id()); // same primary key
    rows.add(5, duplicate);
    List<@Nullable KeywardException> outcomes = withWriterBlocked(rows.size(), () -> insertConcurrently(rows));
    for (int i = 0; i < rows.size(); i++) {
      StoredRefresh r = rows.get(i);
      if (r == duplicate) {
        assertThat(outcomes.get(i)).isNotNull().extracting(KeywardException::code).isEqualTo(ErrorCode.CONFLICT);
        assertThat(db.refreshTokens().findByDigest(r.digest())).isEmpty();
      } else {
        assertThat(outcomes.get(i)).as(r.id()).isNull();
        assertThat(db.refreshTokens().findByDigest(r.digest())).as(r.id()).contains(r);
      }
    }
  }

  @Test
  void insertWhenStoreFailsThenEveryCallerGetsUnavailableAndWriterRecovers() throws Exception {
    db.jdbc().update("ALTER TABLE refresh_tokens RENAME TO refresh_tokens_away");
    List<StoredRefresh> rows = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      rows.add(newRefresh(ids.id("rt")));
    }
    List<@Nullable KeywardException> outcomes = insertConcurrently(rows);
    assertThat(outcomes).allSatisfy(e -> assertThat(e).isNotNull().extracting(KeywardException::code).isEqualTo(ErrorCode.UNAVAILABLE));
    assertThat(outcomes).allSatisfy(e -> assertThat(e.code().status()).isEqualTo(503));

    db.jdbc().update("ALTER TABLE refresh_tokens_away RENAME TO refresh_tokens");
    StoredRefresh after = newRefresh(ids.id("rt"));
    db.refreshTokens().insert(after);
    assertThat(db.refreshTokens().findByDigest(after.digest())).contains(after);
    for (StoredRefresh r : rows) {
      assertThat(db.refreshTokens().findByDigest(r.digest())).as("a failed row is not stored").isEmpty();
    }
  }

  @Test
  void insertWhenInsideATransactionThenJoinsItAndRollsBackWithIt() {
    StoredRefresh r = newRefresh(ids.id("rt"));
    long commitsBefore = db.refreshTokens().inserts().commits();
    assertThatThrownBy(() -> db.jdbc().inTransaction(() -> {
      db.refreshTokens().insert(r);
      throw new IllegalStateException("abort");
    })).hasMessage("abort");
    assertThat(db.refreshTokens().findByDigest(r.digest())).isEmpty();
    assertThat(db.refreshTokens().inserts().commits()).as("not through the group commit").isEqualTo(commitsBefore);
  }

  @Test
  void insertWhenDatabaseClosedThenUnavailable() {
    db.refreshTokens().close();
    assertThatThrownBy(() -> db.refreshTokens().insert(newRefresh(ids.id("rt"))))
        .isInstanceOfSatisfying(KeywardException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
  }

  @Test
  void revokeWhenByFamilyUserOrKeyThenOnlyThoseRevoked() {
    StoredRefresh a = refresh("fam_a", "usr_1", "key_1");
    StoredRefresh b = refresh("fam_b", "usr_2", "key_2");
    StoredRefresh c = refresh("fam_c", "usr_3", null);
    assertThat(db.refreshTokens().revokeFamily("fam_a", T0)).isEqualTo(1);
    assertThat(db.refreshTokens().revokeAllOfKey("key_2", T0)).isEqualTo(1);
    assertThat(db.refreshTokens().revokeAllOfUser("usr_3", T0)).isEqualTo(1);
    assertThat(db.refreshTokens().revokeAllOfUser("usr_3", T0)).as("already revoked").isZero();
    for (StoredRefresh r : List.of(a, b, c)) {
      assertThat(db.refreshTokens().findByDigest(r.digest()).orElseThrow().revokedAt()).isEqualTo(T0);
    }
  }

  @Test
  void revocationLogWhenRecordedThenReadSinceAndPurgedAfterKeepUntil() {
    Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
    JdbcRevocationLog log = new JdbcRevocationLog(db.jdbc(), ids, clock);
    log.record(new Revocation(Revocation.Kind.KEY, "key_1", T0), T0.plusSeconds(10));
    log.record(new Revocation(Revocation.Kind.USER, "usr_1", T0), T0.plusSeconds(100));
    assertThat(log.since(T0.minusSeconds(1))).hasSize(2).contains(new Revocation(Revocation.Kind.KEY, "key_1", T0));
    assertThat(log.since(T0.plusSeconds(1))).isEmpty();
    assertThat(log.purge(T0.plusSeconds(50))).isEqualTo(1);
    assertThat(log.since(T0.minusSeconds(1))).containsExactly(new Revocation(Revocation.Kind.USER, "usr_1", T0));
  }

  @Test
  void pollerWhenAnotherNodeRevokesThenListAppliesItAndStaysFresh() {
    Clock clock = Clock.systemUTC();
    JdbcRevocationLog log = new JdbcRevocationLog(db.jdbc(), ids, clock);
    RevocationList list = new RevocationList(clock, Duration.ofSeconds(1));
    try (RevocationPoller poller = new RevocationPoller(log, list, clock, Duration.ofHours(1), Duration.ofHours(1))) {
      Instant now = clock.instant();
      log.record(new Revocation(Revocation.Kind.TOKEN, "at_1", now), now.plusSeconds(60));
      var claims = new dev.keyward.core.token.TokenClaims("at_1", "usr", "a@b.c", "tnt", "default", Set.of(), "c", null, null,
          false, null, now.minusSeconds(1), now.plusSeconds(60));
      assertThat(list.isRevoked(claims)).isFalse();
      poller.pollOnce();
      assertThat(list.isRevoked(claims)).isTrue();
      assertThat(list.isFresh()).isTrue();
    }
  }
}
