package io.ferry.admin.core;

import io.ferry.contracts.config.WebhookNetworkConfig;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.net.AddressPolicy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The SSRF rule at listener creation and change (docs/webhooks.md): a {@code notify_url} or
 * {@code liveness_url} must be a valid URL ({@link WebhookUrls}) whose host is, or resolves only to, addresses
 * the {@link AddressPolicy} allows. The dispatcher checks again at every connect (DNS may change); this check
 * tells the user at once instead of failing every delivery later.
 */
public final class WebhookTargets {

  /** Resolves a host name to its addresses; blocking. */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private static final String HOW_TO_ALLOW = "; add its range to webhooks.allow-list to allow it";

  private final Vertx vertx;
  private final AddressPolicy policy;
  private final Resolver resolver;

  public WebhookTargets(Vertx vertx, WebhookNetworkConfig network) {
    this(vertx, network, InetAddress::getAllByName);
  }

  public WebhookTargets(Vertx vertx, WebhookNetworkConfig network, Resolver resolver) {
    this.vertx = vertx;
    this.policy = AddressPolicy.create(network.allowList());
    this.resolver = resolver;
  }

  /** Succeeds when {@code url} may be used; else fails UNPROCESSABLE naming {@code field} and saying why. */
  public Future<Void> check(String field, String url) {
    String host;
    InetAddress literal;
    try {
      host = WebhookUrls.host(field, url);
      literal = AddressPolicy.literal(host);
    } catch (FerryException invalid) {
      return Future.failedFuture(invalid);
    }
    if (literal != null) {
      String refusal = policy.refusal(literal);
      return refusal == null ? Future.succeededFuture()
          : Future.failedFuture(WebhookUrls.unprocessable(field, refusal + HOW_TO_ALLOW));
    }
    // Resolution blocks (DNS); unordered so that one slow name does not hold up other requests' checks.
    return vertx.executeBlocking(() -> resolver.resolve(host), false)
        .recover(failure -> Future.failedFuture(WebhookUrls.unprocessable(field,
            "host " + host + " cannot be resolved")))
        .compose(addresses -> {
          for (InetAddress address : addresses) {
            String refusal = policy.refusal(address);
            if (refusal != null) {
              return Future.failedFuture(WebhookUrls.unprocessable(field,
                  host + " resolves to a refused address: " + refusal + HOW_TO_ALLOW));
            }
          }
          return Future.succeededFuture();
        });
  }

  /** Checks both URLs of a listener at once; a {@code null} URL (one a change leaves as it is) passes. */
  public Future<Void> checkListenerUrls(String notifyUrl, String livenessUrl) {
    return Future.all(
            notifyUrl == null ? Future.succeededFuture() : check("notify_url", notifyUrl),
            livenessUrl == null ? Future.succeededFuture() : check("liveness_url", livenessUrl))
        .mapEmpty();
  }
}
