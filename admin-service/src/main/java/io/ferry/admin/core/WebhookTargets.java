package io.ferry.admin.core;

import io.ferry.contracts.config.WebhookNetworkConfig;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.net.AddressPolicy;
import io.vertx.core.Future;
import java.net.InetAddress;
import java.util.Locale;

/**
 * The SSRF rule at listener creation and change (docs/webhooks.md): a {@code notify_url} or
 * {@code liveness_url} must be a valid URL ({@link WebhookUrls}), and a host written as an address (or named
 * localhost) must be one the {@link AddressPolicy} allows. Other host names are not resolved here: whether
 * they resolve, and to what, is only known when connecting, and the dispatcher checks every address it
 * resolves at every connect (refusals show in the listener's liveness and missed messages).
 */
public final class WebhookTargets {

  private static final String HOW_TO_ALLOW = "; add its range to webhooks.allow-list to allow it";

  private final AddressPolicy policy;

  public WebhookTargets(WebhookNetworkConfig network) {
    this.policy = AddressPolicy.create(network.allowList());
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
    if (literal == null && isLocalhost(host)) {
      // Resolvers answer these names with loopback without asking DNS (RFC 6761), so they are loopback.
      literal = InetAddress.getLoopbackAddress();
    }
    if (literal != null) {
      String refusal = policy.refusal(literal);
      return refusal == null ? Future.succeededFuture()
          : Future.failedFuture(WebhookUrls.unprocessable(field, refusal + HOW_TO_ALLOW));
    }
    return Future.succeededFuture();
  }

  /** Checks both URLs of a listener at once; a {@code null} URL (one a change leaves as it is) passes. */
  public Future<Void> checkListenerUrls(String notifyUrl, String livenessUrl) {
    return Future.all(
            notifyUrl == null ? Future.succeededFuture() : check("notify_url", notifyUrl),
            livenessUrl == null ? Future.succeededFuture() : check("liveness_url", livenessUrl))
        .mapEmpty();
  }

  private static boolean isLocalhost(String host) {
    String name = host.toLowerCase(Locale.ROOT);
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    return name.equals("localhost") || name.endsWith(".localhost");
  }
}
