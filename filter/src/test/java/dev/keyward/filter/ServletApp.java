package dev.keyward.filter;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keyward.core.auth.Principal;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A real servlet container (embedded Jetty 12, Jakarta Servlet 6) on 127.0.0.1 and a free port,
 * the filter in front of a trivial application that answers who it sees: {@code {"user",
 * "principal", "tenant", "roles", "inRole", "method", "path"}}. It counts the calls that reach it.
 */
final class ServletApp implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Server jetty;
  final AtomicInteger reached = new AtomicInteger();

  private ServletApp(FilterHolder filter) throws Exception {
    jetty = new Server(new InetSocketAddress("127.0.0.1", 0));
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new Echo()), "/*");
    jetty.setHandler(context);
    jetty.start();
  }

  /** The filter given as an object (programmatic registration). */
  static ServletApp start(Filter filter) throws Exception {
    return new ServletApp(new FilterHolder(filter));
  }

  /** The filter given by class and init parameters, as a {@code web.xml} declares it. */
  static ServletApp start(Map<String, String> initParameters) throws Exception {
    FilterHolder holder = new FilterHolder(KeywardFilter.class);
    holder.setName("keyward");
    holder.setInitParameters(initParameters);
    return new ServletApp(holder);
  }

  String base() {
    return "http://127.0.0.1:" + ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
  }

  @Override
  public void close() throws Exception {
    jetty.stop();
  }

  /** The application: it answers who the container says the caller is. */
  private final class Echo extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
      reached.incrementAndGet();
      Principal p = (Principal) req.getAttribute(KeywardFilter.PRINCIPAL_ATTRIBUTE);
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("user", req.getRemoteUser());
      body.put("principal", req.getUserPrincipal() == null ? null : req.getUserPrincipal().getName());
      body.put("authType", req.getAuthType());
      body.put("tenant", p == null ? null : p.tenantSlug());
      body.put("email", p == null ? null : p.email());
      body.put("keyId", p == null ? null : p.keyId());
      body.put("roles", p == null ? null : p.roles());
      String role = req.getParameter("role");
      body.put("inRole", role == null ? null : req.isUserInRole(role));
      body.put("method", req.getMethod());
      body.put("path", req.getRequestURI());
      byte[] bytes = JSON.writeValueAsBytes(body);
      res.setStatus(200);
      res.setContentType("application/json");
      res.setContentLength(bytes.length);
      res.getOutputStream().write(bytes);
    }
  }
}
