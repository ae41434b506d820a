package io.ferry.contracts.runtime;

import io.ferry.contracts.config.ClusterConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.impl.VertxBootstrapImpl;
import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.transport.Transport;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * The event bus of a clustered process as the trust boundary: every bus connection is TLS in both
 * directions, each member presenting its certificate and accepting only peers whose certificate chains to
 * the cluster CA. Hazelcast itself cannot authenticate members, so a process without a certificate may still
 * join the membership and register consumers; it can neither connect to a member's bus nor be connected to,
 * and {@link TrustedNodeSelector} keeps senders from choosing its registrations.
 */
final class BusTls {

  private BusTls() {
  }

  static void apply(EventBusOptions bus, ClusterConfig cluster) {
    // Vert.x's event bus trusts every server certificate unless told otherwise (trustAll defaults to true):
    // a sender would then complete the handshake with any member and write the message to it.
    bus.setSsl(true)
        .setTrustAll(false)
        .setClientAuth(ClientAuth.REQUIRED)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(cluster.tlsCertFile()).setKeyPath(cluster.tlsKeyFile()))
        .setTrustOptions(new PemTrustOptions().addCertPath(cluster.tlsCaFile()));
  }

  /**
   * A clustered Vert.x instance. With bus TLS, its node selector sends only to members that proved they hold
   * a certificate of the cluster CA; that needs Vert.x's internal bootstrap, the only place a node selector
   * can be given.
   */
  static Future<Vertx> clusteredVertx(VertxOptions options, HazelcastClusterManager clusterManager,
      ClusterConfig cluster) {
    if (!cluster.busTls()) {
      return FerryNode.builder(options).withClusterManager(clusterManager).buildClustered();
    }
    TrustedNodeSelector selector = new TrustedNodeSelector(options.getEventBusOptions());
    VertxBootstrap bootstrap = VertxBootstrap.create()
        .options(options)
        .metricsFactory(NodeMetrics.factory())
        .clusterManager(clusterManager);
    // As Vert.x's own builder chooses: the native transport when preferred and loadable, else NIO.
    Transport preferred = options.getPreferNativeTransport() ? Transport.nativeTransport() : null;
    bootstrap.transport((preferred != null ? preferred : Transport.NIO).implementation());
    ((VertxBootstrapImpl) bootstrap).clusterNodeSelector(selector);
    return bootstrap.init().clusteredVertx().onSuccess(selector::started);
  }
}
