package io.ferry.contracts.net;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A webhook or liveness URL split into what a request needs, parsed alike by admin (at listener creation) and the
 * dispatcher (at every connect), so that both judge the same host and port. Built on {@link URI}: an authority
 * URI reads as host and port is used as it reads it; an authority URI only accepts as a registry name (hosts
 * such as {@code 127.1} or {@code a_b.example}, which HTTP clients still connect to) must be exactly
 * {@code [user-info@]host[:port]} with a plain host, so that {@code http://127.0.0.2:19188:19187/} is refused
 * rather than read differently by different readers. Ports are 1 to 65535; an empty port means the default.
 *
 * @param host the host as written, an IPv6 literal with its brackets
 * @param requestUri the raw path (at least {@code /}) and query; the fragment is never sent
 */
public record WebhookUrl(boolean ssl, String host, int port, String requestUri) {

  /** Why a text is not a usable webhook URL; the message is a predicate such as "must name a host". */
  public static final class Invalid extends IllegalArgumentException {
    Invalid(String message) {
      super(message, null);
    }
  }

  /** Parses {@code url}; fails with {@link Invalid} saying why it is not an absolute http(s) URL with a host. */
  public static WebhookUrl parse(String url) {
    URI uri;
    try {
      uri = new URI(url == null ? "" : url);
    } catch (URISyntaxException e) {
      throw new Invalid("is not a valid URL (" + e.getReason() + ")");
    }
    if (!uri.isAbsolute()) {
      throw new Invalid("must be an absolute URL such as https://example.com/webhook");
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new Invalid("must use http or https, not " + uri.getScheme());
    }
    boolean ssl = scheme.equals("https");
    String host;
    int port;
    if (uri.getHost() != null) {
      host = uri.getHost();
      port = uri.getPort();
    } else {
      String authority = uri.getRawAuthority();
      if (authority == null || authority.isEmpty()) {
        throw new Invalid("must name a host");
      }
      String hostAndPort = authority.substring(authority.lastIndexOf('@') + 1);
      int colon = hostAndPort.indexOf(':');
      host = colon < 0 ? hostAndPort : hostAndPort.substring(0, colon);
      port = colon < 0 ? -1 : portOf(hostAndPort.substring(colon + 1));
      if (!plainHost(host)) {
        throw new Invalid(host.isEmpty() ? "must name a host" : "has an invalid host or port");
      }
    }
    if (port == 0 || port > 65_535) {
      throw new Invalid("has an invalid port (1 to 65535)");
    }
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String requestUri = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    return new WebhookUrl(ssl, host, port < 0 ? (ssl ? 443 : 80) : port, requestUri);
  }

  // -1 for an empty port (the scheme's default); anything but 1 to 5 ASCII digits is refused.
  private static int portOf(String digits) {
    if (digits.isEmpty()) {
      return -1;
    }
    if (digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new Invalid("has an invalid host or port");
    }
    return Integer.parseInt(digits);
  }

  // What resolvers and HTTP clients read alike: letters, digits, '-', '.', '_' and '~' (no escapes, no ':').
  private static boolean plainHost(String host) {
    if (host.isEmpty()) {
      return false;
    }
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      boolean plain = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
          || c == '-' || c == '.' || c == '_' || c == '~';
      if (!plain) {
        return false;
      }
    }
    return true;
  }
}
