/**
 * The Keyward Java client library: {@link dev.keyward.client.Keyward#client(String)} builds a
 * {@link dev.keyward.client.KeywardClient} that authenticates once (an API key, or a programmatic
 * user's email and password), keeps a short-lived access token fresh without the caller noticing,
 * and offers the admin API as typed calls and an authenticated {@link java.net.http.HttpClient}
 * for an API behind a Keyward gateway. Refusals are {@link dev.keyward.client.KeywardException}s
 * carrying the server's {@code error} code and message. Needs Java 17 or newer.
 */
@NullMarked
package dev.keyward.client;

import org.jspecify.annotations.NullMarked;
