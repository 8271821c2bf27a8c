package dev.keyward.client;

import java.net.URI;

/**
 * Where the client library starts:
 *
 * <pre>{@code
 * KeywardClient keyward = Keyward.client("https://keyward.example.com")
 *     .apiKey(System.getenv("KEYWARD_API_KEY"))
 *     .build();
 * Me me = keyward.me();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class Keyward {
  private Keyward() {}

  /**
   * A client of the Keyward server at {@code baseUrl} ({@code http://} or {@code https://}, with
   * an optional path prefix when Keyward is served under one).
   *
   * @throws IllegalArgumentException when it is not such a URL
   */
  public static KeywardClient.Builder client(String baseUrl) {
    return new KeywardClient.Builder(KeywardClient.Builder.parseBase(baseUrl));
  }

  /** The same, from a URI. */
  public static KeywardClient.Builder client(URI baseUrl) {
    return client(baseUrl.toString());
  }
}
