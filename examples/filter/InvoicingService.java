import dev.keyward.filter.KeywardFilter;
import dev.keyward.filter.KeywardRequest;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;

/**
 * A tiny invoicing service behind the Keyward filter, in embedded Jetty. Every request is decided
 * by the Keyward server at KEYWARD_URL (routes from examples/routes/invoicing.yaml); the
 * application only runs for allowed calls, and knows who is calling.
 *
 * <p>Run it with examples/filter/run (see the README's "Java filter" section).
 */
public class InvoicingService {
  public static void main(String[] args) throws Exception {
    String keyward = System.getenv().getOrDefault("KEYWARD_URL", "http://127.0.0.1:8080");
    int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8081"));

    ServletContextHandler app = new ServletContextHandler();
    FilterHolder filter = new FilterHolder(KeywardFilter.class);
    filter.setInitParameter(KeywardFilter.URL_PARAM, keyward);
    filter.setInitParameter(KeywardFilter.CREDENTIAL_ENV_PARAM, "KEYWARD_SERVICE_KEY");
    app.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
    app.addServlet(new ServletHolder(new Invoices()), "/*");

    Server jetty = new Server(new InetSocketAddress("127.0.0.1", port));
    jetty.setHandler(app);
    jetty.start();
    System.out.println("Invoicing service on http://127.0.0.1:" + port + ", decided by Keyward at " + keyward);
    jetty.join();
  }

  /** The application: it never checks a credential itself. */
  static final class Invoices extends HttpServlet {
    @Override
    protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
      KeywardRequest.KeywardUser user = (KeywardRequest.KeywardUser) req.getUserPrincipal();
      String text = req.getMethod() + " " + req.getRequestURI() + " by " + user.principal().email()
          + " (" + req.getRemoteUser() + ", tenant " + user.principal().tenantSlug() + ")"
          + (req.isUserInRole("CFO") ? ", who is the CFO" : "") + "\n";
      res.setContentType("text/plain; charset=utf-8");
      res.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    }
  }
}
