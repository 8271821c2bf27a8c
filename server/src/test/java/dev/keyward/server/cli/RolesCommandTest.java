package dev.keyward.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyward.server.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code keyward roles …} against a store made by a first server start. */
class RolesCommandTest {
  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int exit = Main.execute(args);
      return new Run(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void createListUpdateDeleteWhenValidThenStoreChangesAndJsonListing(@TempDir Path dir) {
    TestServer.startIn(dir, UnaryOperator.identity()).close();
    String d = dir.toString();
    Run created = run("roles", "create", "CFO", "-p", "invoices:*", "-p", "bank_accounts:read", "--description", "Money", "--data-dir", d);
    assertThat(created.exit()).as(created.err()).isZero();
    assertThat(created.out()).contains("CFO: invoices:*, bank_accounts:read");
    Run listed = run("roles", "list", "--json", "--data-dir", d);
    assertThat(listed.exit()).isZero();
    assertThat(listed.out()).contains("\"name\":\"CFO\"", "\"builtIn\":true", "\"permissions\":[\"*\"]");
    Run updated = run("roles", "update", "CFO", "-p", "*:read", "--data-dir", d);
    assertThat(updated.out()).contains("CFO: *:read  — Money");
    assertThat(run("roles", "delete", "CFO", "--data-dir", d).exit()).isZero();
    assertThat(run("roles", "list", "--data-dir", d).out()).doesNotContain("CFO").contains("owner (built-in): *");
  }

  @Test
  void badArgumentsOrRefusalsThenClearMessageAndNonZeroExit(@TempDir Path dir) {
    TestServer.startIn(dir, UnaryOperator.identity()).close();
    String d = dir.toString();
    Run badPermission = run("roles", "create", "x", "-p", "invoices", "--data-dir", d);
    assertThat(badPermission.exit()).isEqualTo(2);
    assertThat(badPermission.err()).contains("resource:action");
    assertThat(run("roles", "create", "bad name", "--data-dir", d).exit()).isEqualTo(2);
    Run builtIn = run("roles", "delete", "owner", "--data-dir", d);
    assertThat(builtIn.exit()).isEqualTo(1);
    assertThat(builtIn.err()).contains("built-in");
    assertThat(run("roles", "update", "nope", "-p", "a:b", "--data-dir", d).exit()).isEqualTo(1);
    Run noTenant = run("roles", "list", "--tenant", "nope", "--data-dir", d);
    assertThat(noTenant.exit()).isEqualTo(1);
    assertThat(noTenant.err()).contains("no tenant");
    assertThat(run("roles").exit()).isEqualTo(2);
    assertThat(run("roles", "create").exit()).isEqualTo(2);
  }
}
