package dev.keyward.server.routes;

import dev.keyward.core.authz.RoleSeed;
import dev.keyward.core.authz.RouteTable;
import dev.keyward.core.authz.RouteTableStore;
import dev.keyward.server.http.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The deployment's route table: loaded from the routes file given at start (which then replaces
 * the stored one), else from the store; replaced through the admin API; and re-read from the
 * store every {@code poll} so that every node decides with the same table within that bound.
 */
public final class RouteTables implements Supplier<RouteTable>, AutoCloseable {
  private static final Logger LOG = Logger.getLogger(RouteTables.class.getName());

  private final RouteTableStore store;
  private final Consumer<List<RoleSeed>> seeder;
  private final Clock clock;
  private final ScheduledExecutorService poller;
  private volatile Current current = new Current(new RouteFile(RouteTable.EMPTY, List.of()), Instant.EPOCH);

  /** The table in use and the stored version it came from. */
  private record Current(RouteFile file, Instant version) {}

  private RouteTables(RouteTableStore store, Consumer<List<RoleSeed>> seeder, Clock clock) {
    this.store = store;
    this.seeder = seeder;
    this.clock = clock;
    this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "keyward-routes");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Loads the table: from {@code file} when given (stored for the other nodes, its roles seeded
   * into every tenant that lacks them), else from the store; then follows the store.
   *
   * @throws RouteFileException when the file is invalid (naming line and column)
   */
  public static RouteTables start(RouteTableStore store, @Nullable Path file, Consumer<List<RoleSeed>> seeder, Clock clock, Duration poll) {
    RouteTables tables = new RouteTables(store, seeder, clock);
    if (file != null) {
      RouteFile loaded = RouteFiles.load(file);
      tables.save(loaded, "file " + file.getFileName());
    } else {
      tables.refresh();
    }
    tables.poller.scheduleWithFixedDelay(tables::refreshQuietly, poll.toMillis(), poll.toMillis(), TimeUnit.MILLISECONDS);
    return tables;
  }

  @Override
  public RouteTable get() {
    return current.file().routes();
  }

  /** The table and roles in use, in the routes-file wire form. */
  public RoutesDocument document() {
    return RouteFiles.describe(current.file());
  }

  /** Replaces the table with a JSON routes document (a request body). */
  public RoutesDocument replace(byte[] json, String by) {
    RouteFile parsed = RouteFiles.parse(json, "body", RouteFiles.Format.JSON);
    save(parsed, by);
    return document();
  }

  private void save(RouteFile file, String by) {
    Instant now = clock.instant();
    String document = new String(Json.write(RouteFiles.describe(file)), StandardCharsets.UTF_8);
    store.save(new RouteTableStore.Stored(document, now, by));
    seeder.accept(file.roles());
    current = new Current(file, now);
  }

  private void refresh() {
    Optional<RouteTableStore.Stored> stored = store.load();
    if (stored.isEmpty() || stored.get().updatedAt().equals(current.version())) {
      return;
    }
    RouteFile file = RouteFiles.parse(stored.get().document(), "stored route table", RouteFiles.Format.JSON);
    current = new Current(file, stored.get().updatedAt());
  }

  private void refreshQuietly() {
    try {
      refresh();
    } catch (RuntimeException e) {
      // Keep deciding with the table in hand; the store being away is seen by every decision anyway.
      LOG.log(Level.WARNING, "route table not refreshed: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}
