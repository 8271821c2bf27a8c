import dev.keyward.client.ForbiddenException;
import dev.keyward.client.Keyward;
import dev.keyward.client.KeywardClient;
import dev.keyward.client.KeywardException;
import dev.keyward.client.model.AuditEvent;
import dev.keyward.client.model.AuditQuery;
import dev.keyward.client.model.CreatedKey;
import dev.keyward.client.model.Key;
import dev.keyward.client.model.Me;
import dev.keyward.client.model.NewKey;
import dev.keyward.client.model.RateLimit;
import java.time.Duration;
import java.time.Instant;

/**
 * What a Java program does with the Keyward client library: sign in with an API key (exchanged
 * for short-lived tokens, refreshed silently), ask who it is, manage its keys, read the audit log
 * (admin keys only), and handle refusals as typed exceptions.
 *
 * <p>Run it with examples/client/run (see the README's "Java client library" section).
 */
public class KeywardClientExample {
  public static void main(String[] args) {
    String url = System.getenv().getOrDefault("KEYWARD_URL", "http://127.0.0.1:8080");
    KeywardClient keyward = Keyward.client(url)
        .apiKey(System.getenv("KEYWARD_API_KEY"))
        .requestTimeout(Duration.ofSeconds(10))
        .build();
    System.out.println("Client: " + keyward); // never shows the key

    try {
      Me me = keyward.me();
      System.out.println("Signed in as " + me.email() + " (" + me.userId() + ") in tenant " + me.tenant().slug()
          + " with roles " + me.roles());

      // A key of our own, limited to 100 calls a minute; its secret is shown only now.
      CreatedKey created = keyward.keys().create(NewKey.named("example-" + Instant.now().getEpochSecond())
          .withRateLimit(RateLimit.of(100, Duration.ofMinutes(1))));
      System.out.println("Created key " + created.id() + " starting " + created.key().start()
          + " (secret: " + created.secret() + ", call reveal() to use it)");
      for (Key k : keyward.keys().list()) {
        System.out.println("  key " + k.id() + " " + k.name() + " " + k.environment().wireName() + (k.revoked() ? " revoked" : ""));
      }
      keyward.keys().revoke(created.id());
      System.out.println("Revoked " + created.id());

      try {
        for (AuditEvent e : keyward.audit(AuditQuery.all().withLimit(5))) {
          System.out.println("  audit " + e.at() + " " + e.event() + " " + e.subjectId());
        }
      } catch (ForbiddenException e) {
        System.out.println("Audit log: " + e.serverMessage() + " (use an admin key: \"admin\": true at creation)");
      }
    } catch (KeywardException e) {
      System.err.println("Keyward refused: HTTP " + e.status() + " " + e.error() + ": " + e.serverMessage());
      System.exit(1);
    }
  }
}
