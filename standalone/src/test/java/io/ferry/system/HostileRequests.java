package io.ferry.system;

import io.ferry.contracts.testkit.OpenApiContract;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Seeded hostile requests for one route of the served contract: a valid request (real ids, a body that
 * would be accepted) with one to three things broken: a path parameter (another account's id, wrong shape,
 * very long, unicode, percent-encoded, dot segments), the body (see {@link HostileJson}), its content type
 * or size, the credentials, the query string, or the method.
 */
final class HostileRequests {

  /** A route as {@code /openapi.yaml} lists it. */
  record Route(String method, String template) {

    String dialect() {
      return dialectOf(template);
    }

    @Override
    public String toString() {
      return method + " " + template;
    }
  }

  /** One request to send, and what must hold for its answer. */
  record Hostile(Route route, String method, String target, List<String[]> headers, byte[] body, String kind,
      boolean oversized, boolean closeAfter, boolean oddHeaders) {

    /** Requests that may remove the fixtures the others need: sent last. */
    boolean destructive() {
      return method.equals("DELETE") || target.startsWith("/queue/close/") || target.startsWith("/queue/delete/");
    }

    String dialect() {
      return dialectOf(target.startsWith(ABSOLUTE) ? target.substring(ABSOLUTE.length()) : target);
    }

    byte[] head() {
      StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1");
      for (String[] header : headers) {
        head.append("\r\n").append(header[0]).append(": ").append(header[1]);
      }
      // Raw unicode in the request line and header values goes out as UTF-8 bytes.
      return head.toString().getBytes(StandardCharsets.UTF_8);
    }
  }

  /** Real ids of the caller's account ({@code own}) and of another account ({@code foreign}), by parameter. */
  record Fixtures(String keyA, String keyB, Map<String, String> own, Map<String, String> foreign) {
  }

  private static final String ABSOLUTE = "http://127.0.0.1";
  private static final Pattern PARAM = Pattern.compile("\\{([a-z_]+)}");
  private static final String HEX32 = "0123456789abcdef0123456789abcdef";
  private static final List<String> WRONG_SHAPES = List.of("abc", "0", "-1", "null", "undefined", "*",
      HEX32.substring(1), HEX32 + "0", HEX32.toUpperCase(Locale.ROOT), "0".repeat(32), "g".repeat(32),
      "%00", "%2F", "%252F", "%E2%82%AC", "%ff%fe", "%zz", "%", "a%20b", "%2e%2e", "..", ".", "../..",
      "..%2f..%2fv1", "ü", "😀", "名前", "\u202e", "<script>", "'%20OR%201=1--", "{queue_id}", ";x=1",
      "a".repeat(300), "f".repeat(2000), "a".repeat(5000), "fz-main%2Fx", "~", "a.b", "-");
  private static final List<String> QUERIES = List.of("page=-1", "page=0", "page=abc", "page=99999999999",
      "per_page=1e9", "per_page=0", "per_page=-5", "per_page=1000000", "wait_ms=abc", "sequence=abc",
      "sequence=-1", "sequence=first", "sequence=last", "sequence=99999999999999999999", "sequence=1.5",
      "sequence=", "timeout_ms=abc", "timeout_ms=-1", "timeout_ms=1e9", "timeout_ms=99999999999999999999",
      "timeout_ms=", "limit=-1", "limit=0", "limit=abc", "limit=100000", "startAfterId=garbage",
      "startAfterId=" + "0".repeat(32), "direction=sideways", "order=nope", "order=created_at", "pretty=true",
      "pretty=maybe", "access_token=garbage", "%zz=1", "a=%zz", "page=%00", "page=1&page=2", "=", "&&&",
      "x=" + "a".repeat(3000), "sequence=%F0%9F%98%80", "per_page=2147483648", "page=1.5");
  private static final List<String> CONTENT_TYPES = List.of("text/plain", "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=xyz", "multipart/form-data", "application/json; charset=utf-16",
      "application/xml", "", "*/*", "application/json, text/plain", "application/" + "j".repeat(5000),
      "application/json; boundary=\"", "ü/ü");
  private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
      "TRACE", "FOO", "get");

  private final Random rnd;
  private final Fixtures fixtures;
  private final int maxBodyBytes;
  private final List<String> ids;

  HostileRequests(Random rnd, Fixtures fixtures, int maxBodyBytes) {
    this.rnd = rnd;
    this.fixtures = fixtures;
    this.maxBodyBytes = maxBodyBytes;
    List<String> known = new ArrayList<>(new java.util.TreeSet<>(fixtures.own().values()));
    known.addAll(new java.util.TreeSet<>(fixtures.foreign().values()));
    this.ids = List.copyOf(known);
  }

  /** Every operation of the process's {@code /openapi.yaml}, under each server prefix it is served at. */
  static List<Route> routesOf(String openApiYaml) {
    List<Route> routes = new ArrayList<>();
    for (OpenApiContract.Operation operation : OpenApiContract.parse(openApiYaml).operations()) {
      if (!operation.method().equals("HEAD")) {
        routes.add(new Route(operation.method(), operation.servedPath()));
      }
    }
    return routes;
  }

  static String dialectOf(String path) {
    if (path.startsWith("/client/v4/") || path.equals("/client/v4") || path.startsWith("/accounts")) {
      return "cloudflare";
    }
    if (path.startsWith("/v1/") || path.equals("/v1")) {
      return "discue";
    }
    if (path.startsWith("/queue/") || path.equals("/queue")) {
      return "sonya";
    }
    return "ferry";
  }

  /** One hostile request for {@code route}. */
  Hostile next(Route route) {
    Object template = BodyTemplates.forRoute(route, fixtures);
    List<String> kinds = new ArrayList<>();
    int mutations = 1 + rnd.nextInt(rnd.nextInt(4) == 0 ? 3 : 1);
    boolean pathHostile = false;
    boolean bodyHostile = false;
    boolean headersHostile = false;
    boolean queryHostile = false;
    boolean typeHostile = false;
    boolean methodHostile = false;
    for (int i = 0; i < mutations; i++) {
      int pick = rnd.nextInt(100);
      if (pick < 22) {
        pathHostile = true;
      } else if (pick < 55) {
        bodyHostile = true;
      } else if (pick < 70) {
        headersHostile = true;
      } else if (pick < 82) {
        queryHostile = true;
      } else if (pick < 92) {
        typeHostile = true;
      } else {
        methodHostile = true;
      }
    }
    String method = methodHostile ? METHODS.get(rnd.nextInt(METHODS.size())) : route.method();
    String path = fillPath(route.template(), pathHostile, kinds);
    if (pathHostile && rnd.nextInt(8) == 0) {
      path = ABSOLUTE + path;
      kinds.add("absolute-form target");
    }
    String query = query(route, queryHostile, kinds);

    List<String[]> headers = new ArrayList<>();
    HostileHeaders.credentials(rnd, fixtures, headers, headersHostile, kinds);
    byte[] body = null;
    if (bodyHostile) {
      body = hostileBody(template, kinds);
    } else if (template != null) {
      body = HostileJson.encode(template);
    }
    if (typeHostile) {
      String type = CONTENT_TYPES.get(rnd.nextInt(CONTENT_TYPES.size()));
      kinds.add("content-type " + abbreviate(type));
      headers.add(new String[] {"Content-Type", type});
      if (type.startsWith("application/x-www") && rnd.nextBoolean()) {
        body = HostileJson.utf8("a=1&b=%zz&c");
      } else if (type.startsWith("multipart") && rnd.nextBoolean()) {
        body = HostileJson.utf8("--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--xy");
      }
    } else if (body != null || rnd.nextInt(4) != 0) {
      headers.add(new String[] {"Content-Type", "application/json"});
    }
    if (body != null) {
      if (rnd.nextInt(8) == 0) {
        kinds.add("chunked");
        headers.add(new String[] {"Transfer-Encoding", "chunked"});
        body = chunked(body);
      } else {
        headers.add(new String[] {"Content-Length", Integer.toString(body.length)});
      }
    } else if (!methodHostile && rnd.nextInt(6) == 0) {
      kinds.add("empty body");
      headers.add(new String[] {"Content-Length", "0"});
    }
    if (kinds.isEmpty()) {
      kinds.add("valid");
    }
    return new Hostile(route, method, path + query, headers, body, String.join(", ", kinds), false, false,
        headersHostile);
  }

  /** A body just over the limit (or one that only says it is), which must be refused with 413. */
  Hostile oversized(Route route) {
    String path = fillPath(route.template(), false, new ArrayList<>());
    List<String[]> headers = new ArrayList<>();
    headers.add(new String[] {"Authorization", "Bearer " + fixtures.keyA()});
    headers.add(new String[] {"Content-Type", "application/json"});
    String method = route.method().equals("GET") || route.method().equals("DELETE") ? "POST" : route.method();
    switch (rnd.nextInt(3)) {
      case 0 -> {
        byte[] body = bigJson(maxBodyBytes + 1 + rnd.nextInt(4096));
        headers.add(new String[] {"Content-Length", Integer.toString(body.length)});
        return new Hostile(route, method, path, headers, body, "oversized body", true, true, false);
      }
      case 1 -> {
        headers.add(new String[] {"Transfer-Encoding", "chunked"});
        return new Hostile(route, method, path, headers, chunked(bigJson(maxBodyBytes + 4096)),
            "oversized chunked body", true, true, false);
      }
      default -> {
        headers.add(new String[] {"Content-Length", "1099511627776"});
        return new Hostile(route, method, path, headers, HostileJson.utf8("{}"), "Content-Length 1 TiB", true,
            true, false);
      }
    }
  }

  private static byte[] bigJson(int size) {
    String prefix = "{\"queue_name\":\"";
    return HostileJson.utf8(prefix + "a".repeat(size - prefix.length() - 2) + "\"}");
  }

  private String fillPath(String template, boolean hostile, List<String> kinds) {
    List<String> params = new ArrayList<>();
    Matcher m = PARAM.matcher(template);
    while (m.find()) {
      params.add(m.group(1));
    }
    String victim = hostile && !params.isEmpty() ? params.get(rnd.nextInt(params.size())) : null;
    StringBuilder out = new StringBuilder();
    m = PARAM.matcher(template);
    while (m.find()) {
      String param = m.group(1);
      String value = fixtures.own().getOrDefault(param, "fz-main");
      if (rnd.nextInt(4) == 0 && fixtures.own().containsKey("schema_" + param)) {
        // The queue whose messages must match a schema: what is pushed there is checked against it.
        value = fixtures.own().get("schema_" + param);
      }
      if (param.equals(victim)) {
        if (rnd.nextInt(4) == 0) {
          value = fixtures.foreign().getOrDefault(param, value);
          kinds.add(param + "=another account's");
        } else {
          value = WRONG_SHAPES.get(rnd.nextInt(WRONG_SHAPES.size()));
          kinds.add(param + "=" + abbreviate(value));
        }
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    if (hostile && params.isEmpty()) {
      out.append(List.of("/", "/..", "/%2e%2e/x", "//", "/ü").get(rnd.nextInt(5)));
      kinds.add("path suffix");
    }
    return out.toString();
  }

  private String query(Route route, boolean hostile, List<String> kinds) {
    List<String> params = new ArrayList<>();
    if (hostile) {
      int count = 1 + rnd.nextInt(3);
      for (int i = 0; i < count; i++) {
        params.add(QUERIES.get(rnd.nextInt(QUERIES.size())));
      }
      kinds.add("query " + abbreviate(String.join("&", params)));
    }
    if (route.template().startsWith("/queue/listen/")) {
      // Listening waits 30 s by default; a hostile timeout above comes first and wins.
      params.add("timeout_ms=0");
    }
    return params.isEmpty() ? "" : "?" + String.join("&", params);
  }

  private byte[] hostileBody(Object template, List<String> kinds) {
    int pick = rnd.nextInt(10);
    if (template == null || pick < 2) {
      kinds.add("not a JSON object");
      return HostileJson.notAnObject(rnd);
    }
    if (pick == 2) {
      kinds.add("empty object");
      return HostileJson.utf8("{}");
    }
    if (pick == 3) {
      kinds.add("empty body");
      return new byte[0];
    }
    kinds.add("mutated body");
    return HostileJson.encode(HostileJson.mutate(template, rnd, ids));
  }

  private static byte[] chunked(byte[] body) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    int chunk = 64 * 1024;
    for (int offset = 0; offset < body.length; offset += chunk) {
      int length = Math.min(chunk, body.length - offset);
      out.writeBytes(HostileJson.utf8(Integer.toHexString(length) + "\r\n"));
      out.write(body, offset, length);
      out.writeBytes(HostileJson.utf8("\r\n"));
    }
    // The request's head ends with CRLF CRLF already; the last chunk closes the body.
    out.writeBytes(HostileJson.utf8("0\r\n\r\n"));
    return out.toByteArray();
  }

  static String abbreviate(String text) {
    return text.length() > 40 ? text.substring(0, 37) + "…(" + text.length() + ")" : text;
  }
}
