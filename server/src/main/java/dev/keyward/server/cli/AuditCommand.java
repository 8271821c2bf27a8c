package dev.keyward.server.cli;

import dev.keyward.server.api.Views;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keyward audit …}: the tenant's credential events. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Read the audit log.", subcommands = {AuditCommand.Tail.class})
public final class AuditCommand extends CommandGroup {
  @Override
  String example() {
    return "keyward audit tail --event key.revoked --limit 20";
  }

  @Command(name = "tail", mixinStandardHelpOptions = true,
      description = {"Print recent events, oldest first, with filters; --follow keeps printing new ones.",
          "Events: user.created, user.updated, user.removed, user.locked, user.unlocked, user.password_reset, "
              + "key.created, key.updated, key.rolled, key.revoked, key.first_used, auth.failed, role.*, routes.updated, …"})
  static final class Tail extends AdminCommand {
    @Option(names = "--event", description = "Only this event, e.g. key.revoked.")
    @Nullable String event;

    @Option(names = "--actor", paramLabel = "<user>", description = "Only events by this user: id or email.")
    @Nullable String actor;

    @Option(names = "--subject", paramLabel = "<id>", description = "Only events on this user, key or other subject id.")
    @Nullable String subject;

    @Option(names = "--since", paramLabel = "<instant>", description = "Only events at or after this ISO-8601 instant.")
    @Nullable String since;

    @Option(names = "--until", paramLabel = "<instant>", description = "Only events before this ISO-8601 instant.")
    @Nullable String until;

    @Option(names = {"-n", "--limit"}, defaultValue = "50", description = "How many recent events (1-1000; default ${DEFAULT-VALUE}).")
    int limit = 50;

    @Option(names = {"-f", "--follow"}, description = "Keep polling for new events (every --interval) until interrupted.")
    boolean follow;

    @Option(names = "--interval", defaultValue = "2", paramLabel = "<seconds>", converter = Converters.Seconds.class,
        description = "Polling interval for --follow (default ${DEFAULT-VALUE} s).")
    long interval = 2;

    @Option(names = "--json", description = "Print JSON: {\"events\":[…]}; with --follow, one event object per line.")
    boolean json;

    @Override
    int run(Admin admin) {
      if (interval < 1) {
        throw new CliFailure(CliFailure.BAD_ARGUMENTS, "--interval must be at least 1 second");
      }
      if (follow && until != null) {
        throw new CliFailure(CliFailure.BAD_ARGUMENTS, "--follow and --until do not go together");
      }
      List<Views.AuditView> first = oldestFirst(admin.audit(new Admin.AuditQuery(event, actor, subject, since, until, limit)));
      if (json && !follow) {
        Output.json(Map.of("events", first));
        return 0;
      }
      Set<String> seen = new HashSet<>();
      first.forEach(e -> emit(e, seen));
      while (follow) {
        sleep();
        if (!follow) {
          break; // interrupted while waiting: a clean end
        }
        // Events at or after the newest one seen; those already printed are skipped by id.
        String from = first.isEmpty() && seen.isEmpty() ? since : lastAt;
        List<Views.AuditView> next;
        try {
          next = oldestFirst(admin.audit(new Admin.AuditQuery(event, actor, subject, from, null, 1000)));
        } catch (CliFailure e) {
          if (Thread.currentThread().isInterrupted()) {
            break; // interrupted during a call: as clean an end as during the wait
          }
          throw e;
        }
        next.forEach(e -> emit(e, seen));
      }
      return 0;
    }

    private @Nullable String lastAt;

    private void emit(Views.AuditView e, Set<String> seen) {
      if (!seen.add(e.id())) {
        return;
      }
      lastAt = e.at().toString();
      if (json) {
        Output.json(e);
      } else {
        System.out.println(e.at() + "  " + e.event() + "  actor " + Output.text(e.actorId()) + "  " + e.subjectType() + " "
            + Output.text(e.subjectId()) + (e.ip() == null ? "" : "  ip " + e.ip()) + (e.detail() == null ? "" : "  " + e.detail()));
      }
      System.out.flush();
    }

    private static List<Views.AuditView> oldestFirst(List<Views.AuditView> newestFirst) {
      List<Views.AuditView> out = new ArrayList<>(newestFirst);
      java.util.Collections.reverse(out);
      return out;
    }

    private void sleep() {
      try {
        Thread.sleep(interval * 1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        follow = false;
      }
    }
  }
}
