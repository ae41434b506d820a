package io.ferry.dispatcher.core;

import io.ferry.contracts.net.AddressPolicy;
import io.vertx.core.Future;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * The connect-time SSRF check: parses a webhook or liveness URL, resolves its host (a literal in any
 * encoding is used as is), refuses it when any address it resolves to is refused by the policy, and names
 * the vetted address to connect to, so that a second lookup cannot swap it for another (DNS rebinding).
 */
public final class TargetVetting {

  private final AddressPolicy policy;
  private final HostResolver resolver;

  public TargetVetting(AddressPolicy policy, HostResolver resolver) {
    this.policy = policy;
    this.resolver = resolver;
  }

  /** Where to send a request for a URL: {@code host} for the Host header and TLS, {@code address} to connect. */
  public record Target(boolean ssl, String host, int port, String requestUri, InetAddress address) {
  }

  /** Why a URL may not be requested; a failed attempt, never a crash. */
  public static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  /** The target to connect to; fails with {@link Refused} for an unusable or refused URL. */
  public Future<Target> vet(String url) {
    Target parsed;
    try {
      parsed = parse(url);
    } catch (Refused invalid) {
      return Future.failedFuture(invalid);
    }
    InetAddress literal = AddressPolicy.literal(parsed.host());
    if (literal != null) {
      String refusal = policy.refusal(literal);
      return refusal != null
          ? Future.failedFuture(new Refused("refused by the SSRF policy: " + refusal))
          : Future.succeededFuture(withAddress(parsed, literal));
    }
    return resolver.resolve(parsed.host())
        .recover(e -> Future.failedFuture(new Refused(parsed.host() + " could not be resolved: " + e.getMessage())))
        .compose(addresses -> {
          if (addresses.isEmpty()) {
            return Future.failedFuture(new Refused(parsed.host() + " resolved to no address"));
          }
          for (InetAddress address : addresses) {
            String refusal = policy.refusal(address);
            if (refusal != null) {
              return Future.failedFuture(new Refused("refused by the SSRF policy: " + parsed.host()
                  + " resolved to " + address.getHostAddress() + ", and " + refusal));
            }
          }
          return Future.succeededFuture(withAddress(parsed, addresses.get(0)));
        });
  }

  private static Target withAddress(Target parsed, InetAddress address) {
    return new Target(parsed.ssl(), parsed.host(), parsed.port(), parsed.requestUri(), address);
  }

  /** An absolute http(s) URL split into its parts; the address is still to be found. */
  static Target parse(String url) {
    URI uri;
    try {
      uri = new URI(url == null ? "" : url.trim());
    } catch (URISyntaxException e) {
      throw new Refused("'" + url + "' is not a valid URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new Refused("'" + url + "' is not an absolute http or https URL");
    }
    String authority = uri.getRawAuthority();
    if (authority == null || authority.isEmpty()) {
      throw new Refused("'" + url + "' has no host");
    }
    authority = authority.substring(authority.lastIndexOf('@') + 1);
    String host;
    String portText;
    if (authority.startsWith("[")) {
      int end = authority.indexOf(']');
      if (end < 0) {
        throw new Refused("'" + url + "' has an unterminated IPv6 host");
      }
      host = authority.substring(0, end + 1);
      portText = authority.substring(end + 1);
    } else {
      int colon = authority.lastIndexOf(':');
      host = colon < 0 ? authority : authority.substring(0, colon);
      portText = colon < 0 ? "" : authority.substring(colon);
    }
    boolean ssl = scheme.equals("https");
    int port = port(url, portText, ssl ? 443 : 80);
    if (host.isEmpty()) {
      throw new Refused("'" + url + "' has no host");
    }
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String requestUri = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    return new Target(ssl, host, port, requestUri, null);
  }

  private static int port(String url, String portText, int defaultPort) {
    if (portText.isEmpty() || portText.equals(":")) {
      return defaultPort;
    }
    String digits = portText.substring(1);
    if (!portText.startsWith(":") || digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new Refused("'" + url + "' has an invalid port");
    }
    int port = Integer.parseInt(digits);
    if (port < 1 || port > 65_535) {
      throw new Refused("'" + url + "' has an invalid port");
    }
    return port;
  }

  /** The host as the Host header and TLS want it: an IPv6 literal without its brackets. */
  static String bareHost(String host) {
    return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
  }
}
