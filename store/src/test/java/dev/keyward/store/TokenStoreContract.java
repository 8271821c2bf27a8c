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
import java.util.concurrent.Callable;
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

  /** A successor of {@code old}: the next token of its family. */
  StoredRefresh successorOf(StoredRefresh old) {
    return new StoredRefresh(ids.id("rt"), ids.id("dg"), old.familyId(), old.tenantId(), old.userId(), old.keyId(),
        old.clientId(), old.scope(), old.environment(), old.adminKey(), T0, T0.plusSeconds(60), old.familyCreatedAt(),
        old.familyExpiresAt(), null, null);
  }

  long familySize(String familyId) {
    return db.jdbc().queryOne("SELECT COUNT(*) FROM refresh_tokens WHERE family_id = ?", rs -> rs.getLong(1), familyId).orElseThrow();
  }

  @Nullable Instant usedAt(StoredRefresh r) {
    return db.refreshTokens().findByDigest(r.digest()).orElseThrow().usedAt();
  }

  @Test
  void rotateWhenCalledTwiceThenOnlyFirstWinsAndStoresItsSuccessorAndRevokedNeverWins() {
    StoredRefresh r = refresh("fam_1", "usr_1", null);
    StoredRefresh first = successorOf(r);
    StoredRefresh second = successorOf(r);
    assertThat(db.refreshTokens().rotate(r.id(), T0.plusSeconds(5), first)).isTrue();
    assertThat(db.refreshTokens().rotate(r.id(), T0.plusSeconds(6), second)).isFalse();
    assertThat(usedAt(r)).isEqualTo(T0.plusSeconds(5));
    assertThat(db.refreshTokens().findByDigest(first.digest())).contains(first);
    assertThat(db.refreshTokens().findByDigest(second.digest())).as("a loser's successor is not stored").isEmpty();

    StoredRefresh revoked = refresh("fam_2", "usr_1", null);
    db.refreshTokens().revokeFamily("fam_2", T0);
    StoredRefresh afterRevocation = successorOf(revoked);
    assertThat(db.refreshTokens().rotate(revoked.id(), T0, afterRevocation)).isFalse();
    assertThat(db.refreshTokens().findByDigest(afterRevocation.digest())).isEmpty();
    assertThat(db.refreshTokens().rotate("rt_unknown", T0, successorOf(r))).as("unknown token").isFalse();
  }

  @Test
  void rotateWhenTwentyThreadsRaceOnOneTokenThenExactlyOneWinnerAndOneSuccessor() throws Exception {
    StoredRefresh r = refresh("fam_1", "usr_1", null);
    List<StoredRefresh> successors = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      successors.add(successorOf(r));
    }
    List<@Nullable Object> outcomes = concurrently(rotations(r, successors));
    assertThat(outcomes).filteredOn(Boolean.TRUE::equals).hasSize(1);
    assertThat(outcomes).filteredOn(Boolean.FALSE::equals).hasSize(19);
    assertThat(familySize("fam_1")).as("the old token and one successor").isEqualTo(2);
    StoredRefresh winner = successors.get(outcomes.indexOf(Boolean.TRUE));
    assertThat(db.refreshTokens().findByDigest(winner.digest())).contains(winner);
  }

  @Test
  void rotateWhenTwentyRotationsOfOneTokenShareOneCommitThenExactlyOneWinnerAndOneSuccessor() throws Exception {
    StoredRefresh r = refresh("fam_1", "usr_1", null);
    List<StoredRefresh> successors = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      successors.add(successorOf(r));
    }
    long commitsBefore = db.refreshTokens().writes().commits();
    List<@Nullable Object> outcomes = withWriterBlocked(20, () -> concurrently(rotations(r, successors)));
    // The plug row's commit, then one commit for all twenty: the single UPDATE per row still picks one winner.
    assertThat(db.refreshTokens().writes().commits() - commitsBefore).isEqualTo(2);
    assertThat(outcomes).filteredOn(Boolean.TRUE::equals).hasSize(1);
    assertThat(outcomes).filteredOn(Boolean.FALSE::equals).hasSize(19);
    assertThat(familySize("fam_1")).isEqualTo(2);
    StoredRefresh winner = successors.get(outcomes.indexOf(Boolean.TRUE));
    assertThat(db.refreshTokens().findByDigest(winner.digest())).contains(winner);
  }

  @Test
  void rotateWhenTwoHundredDistinctTokensConcurrentThenAllWinInSharedCommits() throws Exception {
    List<StoredRefresh> olds = new ArrayList<>();
    List<Callable<?>> work = new ArrayList<>();
    List<StoredRefresh> successors = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      StoredRefresh old = newRefresh(ids.id("rt"));
      db.refreshTokens().insert(old);
      olds.add(old);
      successors.add(successorOf(old));
      work.addAll(rotations(old, List.of(successors.get(i))));
    }
    // Plain inserts and rotations share the writer and its commits.
    StoredRefresh plain = newRefresh(ids.id("rt"));
    work.add(() -> {
      db.refreshTokens().insert(plain);
      return Boolean.TRUE;
    });
    long commitsBefore = db.refreshTokens().writes().commits();
    List<@Nullable Object> outcomes = withWriterBlocked(201, () -> concurrently(work));
    assertThat(outcomes).containsOnly(Boolean.TRUE);
    assertThat(db.refreshTokens().writes().commits() - commitsBefore).isEqualTo(2);
    for (int i = 0; i < olds.size(); i++) {
      assertThat(usedAt(olds.get(i))).as(olds.get(i).id()).isEqualTo(T0.plusSeconds(1));
      assertThat(db.refreshTokens().findByDigest(successors.get(i).digest())).contains(successors.get(i));
    }
    assertThat(db.refreshTokens().findByDigest(plain.digest())).contains(plain);
  }

  @Test
  void rotateWhenOneSuccessorOfABatchConflictsThenOnlyItsCallerFailsAndItsTokenStaysUnspent() throws Exception {
    StoredRefresh existing = newRefresh(ids.id("rt"));
    db.refreshTokens().insert(existing);
    List<StoredRefresh> olds = new ArrayList<>();
    List<StoredRefresh> successors = new ArrayList<>();
    List<Callable<?>> work = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      StoredRefresh old = newRefresh(ids.id("rt"));
      db.refreshTokens().insert(old);
      olds.add(old);
      StoredRefresh next = i == 4 ? newRefresh(existing.id()) : successorOf(old); // i = 4: same primary key as existing
      successors.add(next);
      work.addAll(rotations(old, List.of(next)));
    }
    List<@Nullable Object> outcomes = withWriterBlocked(work.size(), () -> concurrently(work));
    for (int i = 0; i < olds.size(); i++) {
      if (i == 4) {
        assertThat(outcomes.get(i)).isInstanceOfSatisfying(KeywardException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
        assertThat(usedAt(olds.get(i))).as("rolled back with its successor").isNull();
        assertThat(db.refreshTokens().findByDigest(successors.get(i).digest())).isEmpty();
      } else {
        assertThat(outcomes.get(i)).as(olds.get(i).id()).isEqualTo(Boolean.TRUE);
        assertThat(usedAt(olds.get(i))).isEqualTo(T0.plusSeconds(1));
        assertThat(db.refreshTokens().findByDigest(successors.get(i).digest())).contains(successors.get(i));
      }
    }
  }

  @Test
  void rotateWhenStoreFailsThenEveryCallerGetsUnavailableAndNothingIsSpent() throws Exception {
    List<StoredRefresh> olds = new ArrayList<>();
    List<Callable<?>> work = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      StoredRefresh old = newRefresh(ids.id("rt"));
      db.refreshTokens().insert(old);
      olds.add(old);
      work.addAll(rotations(old, List.of(successorOf(old))));
    }
    db.jdbc().update("ALTER TABLE refresh_tokens RENAME TO refresh_tokens_away");
    List<@Nullable Object> outcomes = concurrently(work);
    db.jdbc().update("ALTER TABLE refresh_tokens_away RENAME TO refresh_tokens");
    assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOfSatisfying(KeywardException.class,
        e -> assertThat(e.code().status()).isEqualTo(503)));
    for (StoredRefresh old : olds) {
      assertThat(usedAt(old)).isNull();
    }
  }

  @Test
  void rotateWhenInsideATransactionThenJoinsItAndRollsBackWithIt() {
    StoredRefresh r = refresh("fam_1", "usr_1", null);
    StoredRefresh next = successorOf(r);
    long commitsBefore = db.refreshTokens().writes().commits();
    assertThatThrownBy(() -> db.jdbc().inTransaction(() -> {
      assertThat(db.refreshTokens().rotate(r.id(), T0, next)).isTrue();
      throw new IllegalStateException("abort");
    })).hasMessage("abort");
    assertThat(usedAt(r)).isNull();
    assertThat(db.refreshTokens().findByDigest(next.digest())).isEmpty();
    assertThat(db.refreshTokens().writes().commits()).as("not through the group commit").isEqualTo(commitsBefore);
  }

  /** One task per successor, each rotating {@code old} into it at T0 + 1 s. */
  List<Callable<?>> rotations(StoredRefresh old, List<StoredRefresh> successors) {
    List<Callable<?>> work = new ArrayList<>();
    for (StoredRefresh next : successors) {
      work.add(() -> db.refreshTokens().rotate(old.id(), T0.plusSeconds(1), next));
    }
    return work;
  }

  StoredRefresh newRefresh(String id) {
    return new StoredRefresh(id, ids.id("dg"), "fam_" + id, "tnt_1", "usr_1", null, "client", Set.of("reader"),
        null, false, T0, T0.plusSeconds(60), T0, T0.plusSeconds(600), null, null);
  }

  /** Inserts each row from its own thread at once; the outcome per row: null when stored, else the failure. */
  List<@Nullable KeywardException> insertConcurrently(List<StoredRefresh> rows) throws Exception {
    List<Callable<?>> work = new ArrayList<>();
    for (StoredRefresh r : rows) {
      work.add(() -> {
        db.refreshTokens().insert(r);
        return null;
      });
    }
    List<@Nullable KeywardException> outcomes = new ArrayList<>();
    concurrently(work).forEach(o -> outcomes.add((KeywardException) o));
    return outcomes;
  }

  /** Runs each task from its own thread at once; the outcome per task: its result, or the KeywardException it threw. */
  List<@Nullable Object> concurrently(List<Callable<?>> work) throws Exception {
    try (ExecutorService pool = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().factory())) {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<@Nullable Object>> results = new ArrayList<>();
      for (Callable<?> task : work) {
        results.add(pool.submit(() -> {
          start.await();
          try {
            return task.call();
          } catch (KeywardException e) {
            return e;
          }
        }));
      }
      start.countDown();
      List<@Nullable Object> outcomes = new ArrayList<>();
      for (Future<@Nullable Object> f : results) {
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
    while (db.refreshTokens().writes().pending() < n && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
    assertThat(db.refreshTokens().writes().pending()).as("rows waiting for their commit").isEqualTo(n);
  }

  @Test
  void insertWhenTwoHundredConcurrentThenAllStoredAndCommitsShared() throws Exception {
    List<StoredRefresh> rows = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      rows.add(newRefresh(ids.id("rt")));
    }
    long commitsBefore = db.refreshTokens().writes().commits();
    List<@Nullable KeywardException> outcomes = withWriterBlocked(200, () -> insertConcurrently(rows));
    assertThat(outcomes).containsOnlyNulls();
    for (StoredRefresh r : rows) {
      assertThat(db.refreshTokens().findByDigest(r.digest())).as(r.id()).contains(r);
    }
    // The plug row's commit waited for the lock while the 200 queued: they share the next commit.
    assertThat(db.refreshTokens().writes().commits() - commitsBefore).isEqualTo(2);
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
    long commitsBefore = db.refreshTokens().writes().commits();
    assertThatThrownBy(() -> db.jdbc().inTransaction(() -> {
      db.refreshTokens().insert(r);
      throw new IllegalStateException("abort");
    })).hasMessage("abort");
    assertThat(db.refreshTokens().findByDigest(r.digest())).isEmpty();
    assertThat(db.refreshTokens().writes().commits()).as("not through the group commit").isEqualTo(commitsBefore);
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
