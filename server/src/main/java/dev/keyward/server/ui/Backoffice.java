package dev.keyward.server.ui;

import dev.keyward.server.Services;
import dev.keyward.server.http.Authn;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.HttpRouting;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The backoffice, under {@code /ui/}: registers its pages and its two static files (a stylesheet
 * and a small script for copy buttons; every page works without it). {@code GET /} leads to it
 * unless Keyward runs as a gateway, where {@code /} belongs to the upstream API.
 */
public final class Backoffice {
  private static final Header CACHE = HeaderValues.create(HeaderNames.CACHE_CONTROL, "public, max-age=3600");

  private final Web web;
  private final Services services;

  public Backoffice(Services services, Authn authn) {
    this.services = services;
    this.web = new Web(services.sessions(), authn);
  }

  public void register(HttpRouting.Builder routing, boolean ownRoot) {
    if (ownRoot) {
      routing.get("/", (req, res) -> Web.redirect(res, KeyPages.MY_KEYS));
    }
    routing.get(Web.BASE, (req, res) -> Web.redirect(res, KeyPages.MY_KEYS))
        .get(Web.BASE + "/", (req, res) -> Web.redirect(res, KeyPages.MY_KEYS));
    asset(routing, "app.css", "text/css; charset=utf-8");
    asset(routing, "app.js", "text/javascript; charset=utf-8");
    new SignInPages(web, services.sessions(), services.signUps()).register(routing);
    KeyPages keyPages = new KeyPages(web, services.keys());
    keyPages.register(routing);
    new SignUpPages(web, services.sessions(), services.signUps(), keyPages).register(routing);
    new AdminPages(web, services.users(), services.lockout(), services.keys(), services.roles(), services.rolePermissions(),
        services.routes(), new dev.keyward.core.audit.AuditReader(services.database().audit())).register(routing);
  }

  private static void asset(HttpRouting.Builder routing, String name, String type) {
    byte[] bytes;
    try (InputStream in = Backoffice.class.getResourceAsStream("/backoffice/" + name)) {
      if (in == null) {
        throw new IllegalStateException("backoffice asset missing: " + name);
      }
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Header contentType = HeaderValues.create(HeaderNames.CONTENT_TYPE, type);
    routing.get(Web.BASE + "/static/" + name, (req, res) -> {
      res.header(contentType);
      res.header(CACHE);
      res.send(bytes);
    });
  }
}
