package dev.keyward.filter;

import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Just enough of a servlet request, response and filter configuration for unit tests of the
 * filter, built as dynamic proxies: a method the filter calls and this does not know fails the
 * test loudly instead of answering a default.
 */
final class FakeServlet {
  private FakeServlet() {}

  /** A request: method, raw URI, peer address and headers (names case-insensitive). */
  static final class Request {
    final String method;
    final String uri;
    String remoteAddr = "203.0.113.7";
    final Map<String, List<String>> headers = new LinkedHashMap<>();
    final Map<String, Object> attributes = new HashMap<>();

    Request(String method, String uri) {
      this.method = method;
      this.uri = uri;
    }

    Request header(String name, String value) {
      headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(value);
      return this;
    }

    Request from(String addr) {
      this.remoteAddr = addr;
      return this;
    }

    HttpServletRequest proxy() {
      return (HttpServletRequest) Proxy.newProxyInstance(FakeServlet.class.getClassLoader(),
          new Class<?>[] {HttpServletRequest.class}, (p, m, args) -> switch (m.getName()) {
            case "getMethod" -> method;
            case "getRequestURI" -> uri;
            case "getRemoteAddr" -> remoteAddr;
            case "getHeaders" -> Collections.enumeration(headers.getOrDefault(((String) args[0]).toLowerCase(Locale.ROOT), List.of()));
            case "getHeader" -> {
              List<String> v = headers.getOrDefault(((String) args[0]).toLowerCase(Locale.ROOT), List.of());
              yield v.isEmpty() ? null : v.get(0);
            }
            case "setAttribute" -> attributes.put((String) args[0], args[1]);
            case "getAttribute" -> attributes.get((String) args[0]);
            case "getUserPrincipal", "getRemoteUser", "getAuthType" -> null;
            case "isUserInRole" -> false;
            case "toString" -> "FakeRequest " + method + " " + uri;
            default -> throw new AssertionError("the filter called request." + m.getName());
          });
    }
  }

  /** A response recording status, headers and body. */
  static final class Response {
    int status = 200;
    final Map<String, List<String>> headers = new LinkedHashMap<>();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    boolean flushed;

    String body() {
      return body.toString(StandardCharsets.UTF_8);
    }

    List<String> headers(String name) {
      return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    String header(String name) {
      List<String> v = headers(name);
      return v.isEmpty() ? null : v.get(0);
    }

    HttpServletResponse proxy() {
      ServletOutputStream out = new ServletOutputStream() {
        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setWriteListener(WriteListener writeListener) {
          throw new UnsupportedOperationException();
        }

        @Override
        public void write(int b) {
          body.write(b);
        }
      };
      return (HttpServletResponse) Proxy.newProxyInstance(FakeServlet.class.getClassLoader(),
          new Class<?>[] {HttpServletResponse.class}, (p, m, args) -> switch (m.getName()) {
            case "setStatus" -> {
              status = (Integer) args[0];
              yield null;
            }
            case "getStatus" -> status;
            case "setHeader" -> headers.put(((String) args[0]).toLowerCase(Locale.ROOT), new ArrayList<>(List.of((String) args[1])));
            case "addHeader" -> headers.computeIfAbsent(((String) args[0]).toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add((String) args[1]);
            case "setContentLength" -> null;
            case "getOutputStream" -> out;
            case "flushBuffer" -> {
              flushed = true;
              yield null;
            }
            case "toString" -> "FakeResponse";
            default -> throw new AssertionError("the filter called response." + m.getName());
          });
    }
  }

  /** A filter configuration with the given init parameters. */
  static FilterConfig config(Map<String, String> params) {
    return (FilterConfig) Proxy.newProxyInstance(FakeServlet.class.getClassLoader(),
        new Class<?>[] {FilterConfig.class}, (p, m, args) -> switch (m.getName()) {
          case "getInitParameter" -> params.get((String) args[0]);
          case "getInitParameterNames" -> Collections.enumeration(params.keySet());
          case "getFilterName" -> "keyward";
          case "toString" -> "FakeFilterConfig";
          default -> throw new AssertionError("the filter called config." + m.getName());
        });
  }
}
