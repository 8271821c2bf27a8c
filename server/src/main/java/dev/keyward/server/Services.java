package dev.keyward.server;

import dev.keyward.core.audit.Auditor;
import dev.keyward.core.auth.Authenticator;
import dev.keyward.core.key.KeyService;
import dev.keyward.core.principal.UserService;
import dev.keyward.core.secret.PasswordHasher;
import dev.keyward.core.secret.SecretDigester;
import dev.keyward.core.secret.SecretGenerator;
import dev.keyward.core.tenant.TenantService;
import dev.keyward.store.Database;
import dev.keyward.store.LastUsedRecorder;
import java.time.Clock;

/**
 * The wiring: core services over the store, built once per server. Nothing here is static, so a
 * test can start several servers side by side.
 */
public final class Services implements AutoCloseable {
  private final Database database;
  private final Authenticator authenticator;
  private final KeyService keys;
  private final UserService users;
  private final TenantService tenants;
  private final LastUsedRecorder lastUsed;
  private final Clock clock;

  public Services(KeywardConfig config, Database database, Clock baseClock) {
    this.database = database;
    // Stored times have millisecond precision; answers must show the same instant the store keeps.
    Clock clock = Clock.tick(baseClock, java.time.Duration.ofMillis(1));
    this.clock = clock;
    SecretGenerator generator = new SecretGenerator();
    MasterKey master = MasterKey.load(config.masterKey(), config.dataDir());
    SecretDigester digester = new SecretDigester(master.derive("secret-digest/v1"));
    PasswordHasher hasher = new PasswordHasher(digester, generator.random(), config.argon2());
    Auditor auditor = new Auditor(database.audit(), generator, clock);
    this.lastUsed = new LastUsedRecorder(database.keys(), auditor, config.lastUsedFlush());
    this.authenticator = new Authenticator(database.keys(), database.users(), digester, hasher, lastUsed,
        database.audit(), generator, clock, config.credentialCacheTtl());
    this.keys = new KeyService(database.keys(), database.users(), database.roles(), auditor, database.jdbc(),
        generator, digester, clock, authenticator);
    this.users = new UserService(database.users(), database.roles(), database.keys(), keys, auditor, database.jdbc(),
        generator, hasher, clock, authenticator);
    this.tenants = new TenantService(database.tenants(), database.users(), database.roles(), users, keys, auditor,
        database.jdbc(), generator, clock, authenticator);
  }

  public Database database() {
    return database;
  }

  public Authenticator authenticator() {
    return authenticator;
  }

  public KeyService keys() {
    return keys;
  }

  public UserService users() {
    return users;
  }

  public TenantService tenants() {
    return tenants;
  }

  public LastUsedRecorder lastUsed() {
    return lastUsed;
  }

  public Clock clock() {
    return clock;
  }

  @Override
  public void close() {
    lastUsed.close();
  }
}
