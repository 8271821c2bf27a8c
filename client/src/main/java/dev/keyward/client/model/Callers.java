package dev.keyward.client.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Who may use a key: native clients (calls without {@code Origin}) and browsers from the listed
 * host names ({@code app.example.com}, {@code *.example.com}, or a full origin such as
 * {@code http://localhost:3000}).
 */
public record Callers(@JsonProperty("native") boolean nativeClients, boolean browser, List<String> hostnames) {
  public Callers {
    hostnames = List.copyOf(hostnames);
  }

  /** Native clients only (the default). */
  public static Callers nativeOnly() {
    return new Callers(true, false, List.of());
  }

  /** Browsers from these host names, and native clients too when {@code alsoNative}. */
  public static Callers browsers(boolean alsoNative, String... hostnames) {
    return new Callers(alsoNative, true, List.of(hostnames));
  }
}
