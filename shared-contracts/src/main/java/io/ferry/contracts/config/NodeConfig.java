package io.ferry.contracts.config;

import io.ferry.contracts.net.TrustedProxies;
import java.util.List;

/**
 * What every service process needs regardless of its role: HTTP, cluster membership, logging, which
 * proxies may name the client ({@code auth.trusted-proxies}), how to verify bearer JWTs where they
 * arrive ({@code auth.jwt.*}, {@code auth.token-secret}), and whether sockets use Netty's epoll transport
 * where it loads ({@code net.native-transport}).
 */
public record NodeConfig(HttpConfig http, ClusterConfig cluster, LogConfig log, TrustedProxies trustedProxies,
    TokenConfig tokens, boolean nativeTransport) {

  public static NodeConfig from(ConfigReader r, int defaultPort) {
    return new NodeConfig(HttpConfig.from(r, defaultPort), ClusterConfig.from(r), LogConfig.from(r),
        TrustedProxies.parse(r.list("auth.trusted-proxies", List.of()), "auth.trusted-proxies"),
        TokenConfig.from(r), r.bool("net.native-transport", true));
  }
}
