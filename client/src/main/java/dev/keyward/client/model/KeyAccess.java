package dev.keyward.client.model;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A key's own limits, on top of its owner's rights.
 *
 * @param resources resource patterns such as {@code algo://*} or {@code algo://foo/*} (deny by default)
 * @param ipAllowlist CIDRs the key may be used from; empty: any address
 * @param rateLimit null: none
 * @param quota the number of uses the key started with; null: unlimited
 */
public record KeyAccess(List<String> resources, DataAccess dataAccess, boolean manageAlgorithms, Callers callers,
    List<String> ipAllowlist, @Nullable RateLimit rateLimit, @Nullable Long quota) {
  public KeyAccess {
    resources = List.copyOf(resources);
    ipAllowlist = List.copyOf(ipAllowlist);
  }
}
