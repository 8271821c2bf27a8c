package dev.keyward.server.cli;

import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * One line per log record on standard error: time, level, logger, message; control characters
 * in messages are escaped so that input can never forge a log line. Helidon's own start-up chatter
 * is kept to warnings.
 */
public final class Logging {
  // JUL holds loggers weakly: keep the configured ones alive or their levels are forgotten.
  private static final java.util.List<Logger> QUIETED = new java.util.ArrayList<>();

  private Logging() {}

  public static void configure() {
    Logger root = Logger.getLogger("");
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    ConsoleHandler handler = new ConsoleHandler();
    handler.setFormatter(new OneLine());
    handler.setLevel(Level.ALL);
    root.addHandler(handler);
    root.setLevel(Level.INFO);
    for (String name : new String[] {"io.helidon", "com.zaxxer.hikari", "org.flywaydb"}) {
      Logger logger = Logger.getLogger(name);
      logger.setLevel(Level.WARNING);
      QUIETED.add(logger);
    }
  }

  /** The one-line format. */
  public static final class OneLine extends Formatter {
    @Override
    public String format(LogRecord r) {
      StringBuilder sb = new StringBuilder(160);
      sb.append(java.time.Instant.ofEpochMilli(r.getMillis())).append(' ')
          .append(r.getLevel().getName()).append(' ')
          .append(shortName(r.getLoggerName())).append(": ");
      escape(sb, formatMessage(r));
      if (r.getThrown() != null) {
        sb.append(" | ");
        escape(sb, r.getThrown().toString());
        for (StackTraceElement e : r.getThrown().getStackTrace()) {
          sb.append(" at ").append(e);
        }
      }
      return sb.append(System.lineSeparator()).toString();
    }

    private static String shortName(String name) {
      if (name == null) {
        return "-";
      }
      int dot = name.lastIndexOf('.');
      return dot < 0 ? name : name.substring(dot + 1);
    }

    private static void escape(StringBuilder sb, String s) {
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '\n') {
          sb.append("\\n");
        } else if (c == '\r') {
          sb.append("\\r");
        } else if (Character.isISOControl(c)) {
          sb.append(String.format("\\u%04x", (int) c));
        } else {
          sb.append(c);
        }
      }
    }
  }
}
