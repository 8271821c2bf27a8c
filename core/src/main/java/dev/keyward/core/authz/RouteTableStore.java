package dev.keyward.core.authz;

import java.time.Instant;
import java.util.Optional;

/**
 * Where the deployment's route table is kept, so that every node decides with the same one. The
 * document is kept as given (a JSON routes file); nodes parse it themselves.
 */
public interface RouteTableStore {
  Optional<Stored> load();

  /** Replaces the table. */
  void save(Stored routes);

  /** The stored document, with when and by whom it was last replaced. */
  record Stored(String document, Instant updatedAt, String updatedBy) {}
}
