package dev.keyward.server.cli;

import dev.keyward.server.http.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** What commands print on standard output: JSON documents, and plain tables for people. */
final class Output {
  private Output() {}

  static void json(Object value) {
    System.out.println(new String(Json.write(value), StandardCharsets.UTF_8));
  }

  /** Columns padded to their widest cell, two spaces apart; the last column is not padded. */
  static void table(List<String> headers, List<List<String>> rows) {
    int[] width = new int[headers.size()];
    List<List<String>> all = new ArrayList<>();
    all.add(headers);
    all.addAll(rows);
    for (List<String> row : all) {
      for (int i = 0; i < row.size(); i++) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    for (List<String> row : all) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(i == row.size() - 1 ? row.get(i) : String.format("%-" + width[i] + "s  ", row.get(i)));
      }
      System.out.println(line.toString().stripTrailing());
    }
  }

  static String time(@Nullable Instant t) {
    return t == null ? "-" : t.toString();
  }

  static String text(@Nullable String s) {
    return s == null || s.isEmpty() ? "-" : s;
  }

  static String list(@Nullable List<String> items) {
    return items == null ? "(user's)" : items.isEmpty() ? "-" : String.join(",", items);
  }

  /** The line that follows every secret printed: it cannot be shown again. */
  static void shownOnce() {
    System.out.println("Shown once: Keyward keeps only a digest. Copy it now; you will not see it again.");
  }
}
