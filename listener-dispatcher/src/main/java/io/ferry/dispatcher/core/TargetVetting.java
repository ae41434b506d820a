package io.ferry.dispatcher.core;

import io.ferry.contracts.net.AddressPolicy;
import io.ferry.contracts.net.UrlRedaction;
import io.ferry.contracts.net.WebhookUrl;
import io.vertx.core.Future;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connect-time SSRF check: parses a webhook or liveness URL, resolves its host (a literal in any
 * encoding is used as is), refuses it when any address it resolves to is refused by the policy, and names
 * the vetted address to connect to, so that a second lookup cannot swap it for another (DNS rebinding).
 */
public final class TargetVetting {

  /** Listeners' URLs are few and parsing is pure, so each is parsed once; resolution is not cached here. */
  private static final int PARSED_URLS_KEPT = 1_024;

  private final AddressPolicy policy;
  private final HostResolver resolver;
  private final Map<String, Target> parsedUrls = new ConcurrentHashMap<>();

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
      parsed = parsedUrls.get(url);
      if (parsed == null) {
        parsed = withLiteral(parse(url));
        if (parsedUrls.size() >= PARSED_URLS_KEPT) {
          parsedUrls.clear();
        }
        parsedUrls.put(url, parsed);
      }
    } catch (Refused invalid) {
      return Future.failedFuture(invalid);
    }
    if (parsed.address() != null) {
      String refusal = policy.refusal(parsed.address());
      return refusal != null
          ? Future.failedFuture(new Refused("refused by the SSRF policy: " + refusal))
          : Future.succeededFuture(parsed);
    }
    return resolve(parsed);
  }

  private Future<Target> resolve(Target parsed) {
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

  /** A host that is an address literal needs no lookup: it is its own (and only) address. */
  private static Target withLiteral(Target parsed) {
    InetAddress literal = AddressPolicy.literal(parsed.host());
    return literal == null ? parsed : withAddress(parsed, literal);
  }

  private static Target withAddress(Target parsed, InetAddress address) {
    return new Target(parsed.ssl(), parsed.host(), parsed.port(), parsed.requestUri(), address);
  }

  /** An absolute http(s) URL split into its parts; the address is still to be found. */
  static Target parse(String url) {
    try {
      WebhookUrl parsed = WebhookUrl.parse(url);
      return new Target(parsed.ssl(), parsed.host(), parsed.port(), parsed.requestUri(), null);
    } catch (WebhookUrl.Invalid invalid) {
      throw new Refused("'" + UrlRedaction.redact(url) + "' " + invalid.getMessage());
    }
  }

  /** The host as the Host header and TLS want it: an IPv6 literal without its brackets. */
  public static String bareHost(String host) {
    return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
  }
}
