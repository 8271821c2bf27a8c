package dev.keyward.server.ui;

import dev.keyward.core.authz.KeyAccess;
import dev.keyward.core.error.KeywardException;
import dev.keyward.core.key.ApiKey;
import dev.keyward.core.key.Environment;
import dev.keyward.core.key.KeyService;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * "My API keys": list, create (with a check step that shows the access options' warnings before
 * anything is saved), the secret shown once with snippets, roll with a grace period, revoke.
 */
final class KeyPages {
  static final String MY_KEYS = Web.BASE + "/keys";
  static final String ALL_KEYS = Web.BASE + "/admin/keys";

  private final Web web;
  private final KeyService keys;

  KeyPages(Web web, KeyService keys) {
    this.web = web;
    this.keys = keys;
  }

  void register(HttpRouting.Builder routing) {
    routing.get(MY_KEYS, web.page(this::list))
        .get(MY_KEYS + "/new", web.page(this::newForm))
        .post(MY_KEYS + "/new", web.page(this::create))
        .get(MY_KEYS + "/{id}/roll", web.page(this::rollForm))
        .post(MY_KEYS + "/{id}/roll", web.page(this::roll))
        .get(MY_KEYS + "/{id}/revoke", web.page(this::revokeForm))
        .post(MY_KEYS + "/{id}/revoke", web.page(this::revoke));
  }

  private void list(ServerRequest req, ServerResponse res) {
    Web.Signed s = web.require(req);
    List<Models.KeyRow> rows = keys.list(s.actor(), s.principal().userId()).stream()
        .map(k -> Models.KeyRow.of(k, s.principal().email())).toList();
    web.render(res, "keys.jte", Map.of("chrome", Web.chrome(s, "My API keys", "keys"), "keys", rows));
  }

  private void newForm(ServerRequest req, ServerResponse res) {
    Web.Signed s = web.require(req);
    showForm(res, 200, s, Models.KeyForm.EMPTY, Models.Errors.NONE, List.of(), false);
  }

  /** "Check" validates the options and shows their warnings; "Create" issues the key. */
  private void create(ServerRequest req, ServerResponse res) {
    Web.Signed s = web.require(req);
    Form form = web.form(req, s);
    Models.KeyForm values = values(form);
    boolean preview = !"create".equals(form.get("action"));
    try {
      KeyService.CreateKey request = request(values);
      if (preview) {
        showForm(res, 200, s, values, Models.Errors.NONE, request.access().warnings(), true);
        return;
      }
      KeyService.IssuedKey issued = keys.create(s.actor(), request);
      showSecret(req, res, s, issued);
    } catch (KeywardException e) {
      showForm(res, e.code().status(), s, values, errors(e), List.of(), false);
    }
  }

  private void showForm(ServerResponse res, int status, Web.Signed s, Models.KeyForm values, Models.Errors errors,
      List<String> warnings, boolean checked) {
    Map<String, Object> params = new HashMap<>();
    params.put("chrome", Web.chrome(s, "New API key", "keys"));
    params.put("form", values);
    params.put("errors", errors);
    params.put("warnings", warnings);
    params.put("checked", checked);
    params.put("roleOptions", s.principal().roles().stream().sorted().toList());
    params.put("canAdmin", s.principal().isAdmin());
    web.render(res, status, "key-new.jte", params);
  }

  void showSecret(ServerRequest req, ServerResponse res, Web.Signed s, KeyService.IssuedKey issued) {
    ApiKey k = issued.key();
    Models.ShownKey shown = new Models.ShownKey(k.name(), issued.secret().reveal(), k.environment().wireName(), web.baseUrl(req),
        issued.warnings(), k.previousExpiresAt() == null ? null : Models.when(k.previousExpiresAt()));
    web.render(res, 201, "key-shown.jte", Map.of("chrome", Web.chrome(s, "Your new API key", "keys"), "key", shown));
  }

  private void rollForm(ServerRequest req, ServerResponse res) {
    Web.Signed s = web.require(req);
    ApiKey k = keys.get(s.actor(), id(req));
    web.render(res, "key-roll.jte", Map.of("chrome", Web.chrome(s, "Roll " + k.name(), "keys"),
        "key", Models.KeyRow.of(k, s.principal().email()), "error", "", "grace", "3600"));
  }

  private void roll(ServerRequest req, ServerResponse res) {
    Web.Signed s = web.require(req);
    Form form = web.form(req, s);
    String id = id(req);
    String grace = form.get("grace", "0");
    try {
      long seconds = wholeNumber(grace, "gracePeriodSeconds", 0, KeyService.MAX_GRACE.toSeconds());
      showSecret(req, res, s, keys.roll(s.actor(), id, Duration.ofSeconds(seconds)));
    } catch (KeywardException e) {
      ApiKey k = keys.get(s.actor(), id);
      web.render(res, e.code().status(), "key-roll.jte", Map.of("chrome", Web.chrome(s, "Roll " + k.name(), "keys"),
          "key", Models.KeyRow.of(k, s.principal().email()), "error", e.publicMessage(), "grace", grace));
    }
  }

  private void revokeForm(ServerRequest req, ServerResponse res) {
    Web.Signed s = web.require(req);
    ApiKey k = keys.get(s.actor(), id(req));
    web.render(res, "key-revoke.jte", Map.of("chrome", Web.chrome(s, "Revoke " + k.name(), "keys"),
        "key", Models.KeyRow.of(k, s.principal().email()), "back", back(req)));
  }

  private void revoke(ServerRequest req, ServerResponse res) {
    Web.Signed s = web.require(req);
    web.form(req, s);
    keys.revoke(s.actor(), id(req));
    Web.redirect(res, back(req));
  }

  /** Where to go after a revocation: the admin's list of all keys when it came from there. */
  private static String back(ServerRequest req) {
    return req.query().first("from").filter("all"::equals).isPresent() ? ALL_KEYS : MY_KEYS;
  }

  private static String id(ServerRequest req) {
    return req.path().pathParameters().get("id");
  }

  static Models.KeyForm values(Form f) {
    return new Models.KeyForm(f.get("name", ""), f.get("environment", "sandbox"), new LinkedHashSet<>(f.all("roles")),
        f.get("resources", ""), f.get("dataAccess", "none"), f.checked("manageAlgorithms"), f.checked("native"),
        f.checked("browser"), f.get("hostnames", ""), f.get("ipAllowlist", ""), f.get("expires", ""), f.get("rateLimit", ""),
        f.get("ratePeriod", "60"), f.get("quota", ""), f.checked("admin"));
  }

  /** The form as the core's key request; the core validates every option as it does for the API. */
  static KeyService.CreateKey request(Models.KeyForm v) {
    if (v.name().isEmpty()) {
      throw KeywardException.invalidField("name", "Give the key a name");
    }
    Environment environment = Environment.fromWire(v.environment())
        .orElseThrow(() -> KeywardException.invalidField("environment", "Choose production or sandbox"));
    KeyAccess.RateLimitWire rate = v.rateLimit().isEmpty() ? null
        : new KeyAccess.RateLimitWire(wholeNumber(v.rateLimit(), "rateLimit.limit", 1, Long.MAX_VALUE),
            wholeNumber(v.ratePeriod(), "rateLimit.periodSeconds", 1, Long.MAX_VALUE));
    Long quota = v.quota().isEmpty() ? null : wholeNumber(v.quota(), "quota", 0, Long.MAX_VALUE);
    KeyAccess access = KeyAccess.fromWire(new KeyAccess.Wire(lines(v.resources()), v.dataAccess(), v.manageAlgorithms(),
        new KeyAccess.CallersWire(v.nativeCalls(), v.browser(), lines(v.hostnames())), lines(v.ipAllowlist()), rate, quota));
    Set<String> roles = v.roles().isEmpty() ? null : Set.copyOf(v.roles());
    return new KeyService.CreateKey(v.name(), null, roles, environment, v.admin(), expiry(v.expires()), access);
  }

  /** A date (the key works until the start of that day, UTC) or an ISO instant. */
  private static @Nullable Instant expiry(String text) {
    if (text.isEmpty()) {
      return null;
    }
    try {
      return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw KeywardException.invalidField("expiresAt", "Give the expiry as a date (YYYY-MM-DD)");
    }
  }

  private static List<String> lines(String text) {
    return List.of(text.split("[\\r\\n,]+")).stream().map(String::strip).filter(x -> !x.isEmpty()).toList();
  }

  static long wholeNumber(String text, String field, long min, long max) {
    try {
      long n = Long.parseLong(text.strip());
      if (n < min || n > max) {
        throw KeywardException.invalidField(field, "Give a whole number from " + min + (max == Long.MAX_VALUE ? " up" : " to " + max));
      }
      return n;
    } catch (NumberFormatException e) {
      throw KeywardException.invalidField(field, "Give a whole number");
    }
  }

  static Models.Errors errors(KeywardException e) {
    return e.field() == null ? new Models.Errors(Map.of(), e.publicMessage()) : new Models.Errors(Map.of(e.field(), e.publicMessage()), null);
  }
}
