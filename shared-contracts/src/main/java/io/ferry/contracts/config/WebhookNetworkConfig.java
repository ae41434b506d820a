package io.ferry.contracts.config;

import java.util.List;

/**
 * Which addresses webhook and liveness URLs may reach (SSRF protection, docs/webhooks.md). By default
 * loopback, private, link-local, multicast, unspecified and metadata addresses are refused; {@code allowList}
 * ({@code webhooks.allow-list}, comma-separated CIDRs such as {@code 127.0.0.0/8,::1/128}) opens chosen
 * ranges. Read by admin (checked at creation) and the dispatcher (checked at every connect).
 */
public record WebhookNetworkConfig(List<String> allowList) {

  public WebhookNetworkConfig {
    allowList = List.copyOf(allowList);
  }

  public static WebhookNetworkConfig from(ConfigReader r) {
    List<String> cidrs = r.list("webhooks.allow-list", List.of());
    for (String cidr : cidrs) {
      if (!io.ferry.contracts.net.AddressPolicy.isCidr(cidr)) {
        throw new ConfigException("invalid configuration: webhooks.allow-list (FERRY_WEBHOOKS_ALLOW_LIST) "
            + "entry '" + cidr + "' is not a CIDR like 10.0.0.0/8 or ::1/128");
      }
    }
    return new WebhookNetworkConfig(cidrs);
  }
}
