package dev.keyward.server.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.keyward.server.testing.TestHttp;
import dev.keyward.server.testing.TestHttp.Auth;
import dev.keyward.server.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The backoffice end to end, in Debian's headless Chromium driven through its chromedriver, against
 * a real Keyward server: every step is what a person does with the pages, and what the pages
 * promise is checked over HTTP too (a password shown once signs in, a key shown once calls the
 * API, a revoked key stops).
 *
 * <p>Without Chromium or chromedriver the class is skipped with the reason, unless {@code CI} is
 * set: then it fails. With {@code -Dkeyward.screenshots=<folder>} the main pages are also saved
 * as PNG files there (the README shows those of {@code docs/screenshots}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackofficeBrowserIT {
  static final Path CHROMIUM = Path.of(System.getProperty("keyward.chromium", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER = Path.of(System.getProperty("keyward.chromedriver", "/usr/bin/chromedriver"));
  private static final Duration WAIT = Duration.ofSeconds(10);

  private TestServer server;
  private TestHttp http;
  private String base;
  private ChromeDriver browser;
  private Path profile;
  private final Path screenshots = System.getProperty("keyward.screenshots") == null ? null : Path.of(System.getProperty("keyward.screenshots"));

  @BeforeAll
  void start() throws IOException {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!present) {
      String reason = "Chromium (" + CHROMIUM + ") or chromedriver (" + CHROMEDRIVER + ") is not installed: "
          + "apt-get install chromium chromium-driver (.ci/run does it)";
      if (System.getenv("CI") != null && !System.getenv("CI").isEmpty()) {
        fail("CI is set, so the browser tests must run. " + reason);
      }
      System.err.println("SKIPPED backoffice browser tests: " + reason + " (set CI=true to make this a failure)");
      assumeTrue(false, "Skipping the backoffice browser tests. " + reason);
    }
    server = TestServer.start(c -> c.withRoutes(Path.of("..", "examples", "routes", "invoicing.yaml")));
    http = server.http();
    base = http.base();
    profile = Files.createTempDirectory("keyward-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // Root in a container has no user namespace for Chromium's sandbox; the profile is a fresh folder.
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
        "--user-data-dir=" + profile, "--window-size=1280,900", "--lang=en-US", "--no-first-run",
        "--disable-extensions", "--disable-background-networking", "--disable-sync");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
    browser.manage().timeouts().pageLoadTimeout(WAIT);
    if (screenshots != null) {
      Files.createDirectories(screenshots);
    }
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
    if (profile != null) {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException ignored) {
        // a temp folder left behind is harmless
      }
    }
  }

  @BeforeEach
  void freshBrowser() {
    browser.get(base + "/ui/sign-in");
    browser.manage().deleteAllCookies();
  }

  // ---- helpers ----

  private void open(String path) {
    browser.get(base + path);
  }

  private WebElement find(String css) {
    return browser.findElement(By.cssSelector(css));
  }

  private List<WebElement> all(String css) {
    return browser.findElements(By.cssSelector(css));
  }

  private String text(String css) {
    return find(css).getText();
  }

  private void type(String css, String value) {
    WebElement e = find(css);
    e.clear();
    e.sendKeys(value);
  }

  /** Clicks and waits for the next page (the old one gone stale). */
  private void clickAndWait(WebElement e) {
    WebElement html = find("html");
    e.click();
    new WebDriverWait(browser, WAIT).until(d -> isStale(html));
  }

  private static boolean isStale(WebElement e) {
    try {
      e.isEnabled();
      return false;
    } catch (org.openqa.selenium.StaleElementReferenceException gone) {
      return true;
    } catch (org.openqa.selenium.WebDriverException navigating) {
      // While the next page replaces the old one, Chromium may answer for the old node with
      // "Node with given id does not belong to the document": the old page is gone all the same.
      // Anything else is not a sign of a new page: asked again until the wait ends.
      String m = String.valueOf(navigating.getMessage());
      return m.contains("does not belong to the document");
    }
  }

  private void button(String label) {
    WebElement b = browser.findElements(By.cssSelector("main button, main a.button")).stream()
        .filter(x -> x.getText().strip().equals(label)).findFirst()
        .orElseThrow(() -> new AssertionError("no button '" + label + "' on " + browser.getCurrentUrl() + ": " + find("main").getText()));
    clickAndWait(b);
  }

  private String path() {
    return java.net.URI.create(browser.getCurrentUrl()).getPath();
  }

  private void signIn(String email, String password) {
    open("/ui/sign-in");
    type("#email", email);
    type("#password", password);
    clickAndWait(find("main button[type=submit]"));
  }

  private void signInAsOwner() {
    signIn(TestServer.ADMIN_EMAIL, TestServer.ADMIN_PASSWORD);
    assertThat(path()).isEqualTo("/ui/keys");
  }

  /** Saves the page as a PNG when screenshots were asked for (-Dkeyward.screenshots=folder). */
  private void screenshot(String name) {
    if (screenshots == null) {
      return;
    }
    Dimension before = browser.manage().window().getSize();
    long height = ((Number) ((JavascriptExecutor) browser).executeScript("return document.documentElement.scrollHeight")).longValue();
    browser.manage().window().setSize(new Dimension(1280, (int) Math.min(Math.max(height + 160, 700), 2400)));
    ((JavascriptExecutor) browser).executeScript("document.documentElement.style.overflow = 'hidden'");
    try {
      Files.write(screenshots.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      ((JavascriptExecutor) browser).executeScript("document.documentElement.style.overflow = ''");
      browser.manage().window().setSize(before);
    }
  }

  private TestHttp.Response createPerson(String email, String password) {
    TestHttp.Response r = http.post("/api/v1/users", server.owner(), Map.of("email", email, "name", "Pat Person", "password", password));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r;
  }

  // ---- the flows ----

  @Test
  void signInWhenWrongPasswordThenMessageSaysWhatToDoAndWhenRightThenMyKeys() {
    open("/ui/sign-in");
    assertThat(browser.getTitle()).isEqualTo("Sign in · Keyward");
    screenshot("sign-in");
    signIn(TestServer.ADMIN_EMAIL, "not the password");
    assertThat(text("#signin-error")).contains("Check your email and password");
    assertThat(find("#email").getAttribute("value")).isEqualTo(TestServer.ADMIN_EMAIL);
    signInAsOwner();
    assertThat(text("h1")).isEqualTo("My API keys");
    assertThat(find("tr[data-key='default-key']").getText()).contains("sandbox");
  }

  @Test
  void newApiUserThenPasswordShownOnceWorksAndRolesEdited() {
    signInAsOwner();
    clickAndWait(browser.findElement(By.linkText("Users")));
    type("#email", "robot@example.com");
    type("#name", "Billing robot");
    button("Create API user");
    assertThat(text("h1")).isEqualTo("API user robot@example.com created");
    assertThat(text("main")).contains("You will not see this again");
    String password = find("input#password").getAttribute("value");
    String key = find("input#default-key").getAttribute("value");
    assertThat(key).startsWith("kw_test_");
    assertThat(find("button.copy[data-copy=password]").isDisplayed()).as("the script shows copy buttons").isTrue();

    TestHttp.Response me = http.get("/api/v1/me", Auth.basic("robot@example.com", password));
    assertThat(me.status()).as("the password shown once works: " + me.body()).isEqualTo(200);
    assertThat(http.get("/api/v1/me", Auth.bearer(key)).status()).isEqualTo(200);

    button("Give it roles");
    assertThat(browser.getPageSource()).doesNotContain(password).doesNotContain(key);
    WebElement accountant = find("input[name=roles][value=Accountant]");
    assertThat(accountant.isSelected()).isFalse();
    accountant.click();
    button("Save");
    assertThat(path()).as("back to the list").isEqualTo("/ui/admin/users");
    TestHttp.Response user = http.get("/api/v1/users/" + me.json().path("userId").asText(), server.owner());
    assertThat(user.json().path("roles").toString()).isEqualTo("[\"Accountant\"]");

    assertThat(find("tr[data-user='robot@example.com']").getText()).contains("API user").contains("Accountant");
    assertThat(browser.getPageSource()).doesNotContain(password);
    screenshot("users");
  }

  @Test
  void createKeyWithPatternsThenWarningThenUseItThenLastUsedThenRevoke() {
    signInAsOwner();
    clickAndWait(browser.findElement(By.linkText("Create new key")));
    type("#name", "resizer");
    type("#resources", "algo://acme/*\nalgo://acme/resize/*");
    button("Check options");
    assertThat(text("#warnings")).contains("'algo://acme/resize/*' is already covered by 'algo://acme/*'");
    assertThat(find("#resources").getAttribute("value")).contains("algo://acme/resize/*");
    screenshot("create-key-warning");
    button("Create key");
    assertThat(text("h1")).isEqualTo("Key \"resizer\" (sandbox)");
    String key = find("input#secret").getAttribute("value");
    assertThat(text("main")).contains("curl").contains(key);
    screenshot("key-shown-once");

    TestHttp.Response me = http.get("/api/v1/me", Auth.bearer(key));
    assertThat(me.status()).as(me.body()).isEqualTo(200);
    assertThat(me.json().path("credential").path("type").asText()).isEqualTo("api_key");

    button("Done: back to my keys");
    String row = "tr[data-key='resizer']";
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (find(row + " td.last-used").getText().equals("never") && System.nanoTime() < deadline) {
      sleep(200);
      browser.navigate().refresh();
    }
    assertThat(find(row + " td.last-used").getText()).as("last used, after the call").isNotEqualTo("never");
    assertThat(browser.getPageSource()).doesNotContain(key);
    screenshot("my-keys");

    clickAndWait(find(row + " a.danger"));
    assertThat(text("main")).contains("This cannot be undone");
    button("Revoke the key");
    assertThat(path()).isEqualTo("/ui/keys");
    assertThat(find(row).getText()).contains("Revoked");
    assertThat(all(row + " a.danger")).isEmpty();
    assertThat(http.get("/api/v1/me", Auth.bearer(key)).status()).as("revoked").isEqualTo(401);
  }

  @Test
  void lockedUserWhenAdminUnlocksThenPasswordWorksAgain() {
    createPerson("locked@example.com", "locked person pass");
    for (int i = 0; i < 10; i++) {
      http.get("/api/v1/me", Auth.basic("locked@example.com", "wrong password " + i));
    }
    assertThat(http.get("/api/v1/me", Auth.basic("locked@example.com", "locked person pass")).status()).as("locked").isEqualTo(423);
    signIn("locked@example.com", "locked person pass");
    assertThat(text("#signin-error")).contains("ask an admin of your tenant to unlock");

    signInAsOwner();
    open("/ui/admin/users");
    WebElement row = find("tr[data-user='locked@example.com']");
    assertThat(row.getText()).contains("Locked");
    clickAndWait(row.findElement(By.linkText("✎ Edit")));
    button("Unlock");
    assertThat(all("main button").stream().map(WebElement::getText)).doesNotContain("Unlock");
    open("/ui/admin/users");
    assertThat(find("tr[data-user='locked@example.com']").getText()).doesNotContain("Locked").contains("Active");
    assertThat(http.get("/api/v1/me", Auth.basic("locked@example.com", "locked person pass")).status()).isEqualTo(200);
  }

  @Test
  void formWhenCsrfTokenRemovedOrPostedFromAnotherOriginThenRefusedAndNothingSaved() {
    signInAsOwner();
    open("/ui/keys/new");
    type("#name", "no-token");
    ((JavascriptExecutor) browser).executeScript("document.querySelector('main form input[name=csrf]').remove()");
    button("Create key");
    assertThat(browser.getTitle()).isEqualTo("Error · Keyward");
    assertThat(text("main")).contains("This form has expired or did not come from this site").contains("Nothing was changed");

    open("/ui/keys/new");
    String token = find("main form input[name=csrf]").getAttribute("value");
    // Another origin (an opaque data: page) posting the form with a valid token: refused.
    String evil = "<form method='post' action='" + base + "/ui/keys/new'><input name='csrf' value='" + token + "'>"
        + "<input name='name' value='from-elsewhere'><input name='action' value='create'></form>";
    browser.get("data:text/html;charset=utf-8," + java.net.URLEncoder.encode(evil, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
    WebElement html = find("html");
    ((JavascriptExecutor) browser).executeScript("document.forms[0].submit()");
    new WebDriverWait(browser, WAIT).until(d -> isStale(html));
    assertThat(browser.getTitle()).as("no key was shown").isNotEqualTo("Your new API key · Keyward");

    open("/ui/keys");
    assertThat(all("tr[data-key='no-token']")).isEmpty();
    assertThat(all("tr[data-key='from-elsewhere']")).isEmpty();
  }

  @Test
  void adminPagesShowRolesMatrixAndAudit() {
    signInAsOwner();
    clickAndWait(browser.findElement(By.linkText("Roles")));
    assertThat(text("main")).contains("Accountant");
    assertThat(all("main table").size()).as("roles and the role x route x method matrix").isGreaterThanOrEqualTo(2);
    assertThat(text("main")).contains("/sales_invoices");
    screenshot("roles");
    clickAndWait(browser.findElement(By.linkText("Audit log")));
    assertThat(text("main")).contains("auth.signed_in");
    screenshot("audit");
  }

  @Test
  void signOutThenPagesNeedSignInAgain() {
    signInAsOwner();
    clickAndWait(find("form.who button"));
    assertThat(path()).isEqualTo("/ui/sign-in");
    open("/ui/keys");
    assertThat(path()).as("the session ended").isEqualTo("/ui/sign-in");
    open("/ui/admin/users");
    assertThat(path()).isEqualTo("/ui/sign-in");
  }

  @Test
  void signUpWhenOpenThenSignedInWithDefaultKeyShownOnce() {
    assertThat(http.patch("/api/v1/tenants/default/settings", server.owner(), Map.of("openRegistration", true)).status()).isEqualTo(200);
    try {
      open("/ui/sign-in");
      clickAndWait(find("#sign-up-link"));
      assertThat(path()).isEqualTo("/ui/sign-up");
      type("#email", "newcomer@example.com");
      type("#name", "New Comer");
      type("#password", "short");
      button("Create account");
      assertThat(text("#password-error")).contains("8 to 256");
      screenshot("sign-up");
      assertThat(find("#email").getAttribute("value")).isEqualTo("newcomer@example.com");
      type("#password", "newcomer passphrase");
      button("Create account");
      assertThat(text("main")).contains("You will not see this again").contains("default-key");
      String key = find("input#secret").getAttribute("value");
      assertThat(http.get("/api/v1/me", Auth.bearer(key)).text("email")).isEqualTo("newcomer@example.com");
      button("Done: back to my keys");
      assertThat(text("header")).contains("newcomer@example.com");
      assertThat(find("tr[data-key='default-key']").getText()).contains("sandbox");
      assertThat(browser.getPageSource()).doesNotContain(key);
    } finally {
      http.patch("/api/v1/tenants/default/settings", server.owner(), Map.of("openRegistration", false));
    }
    open("/ui/sign-in");
    assertThat(all("#sign-up-link")).as("no link once closed").isEmpty();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
