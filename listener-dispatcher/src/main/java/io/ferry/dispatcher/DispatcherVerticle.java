package io.ferry.dispatcher;

import io.ferry.contracts.model.FerryEvent;
import io.ferry.contracts.net.AddressPolicy;
import io.ferry.dispatcher.api.EventFeed;
import io.ferry.dispatcher.bus.AdminClient;
import io.ferry.dispatcher.bus.AttemptReporter;
import io.ferry.dispatcher.bus.EventPublisher;
import io.ferry.dispatcher.bus.MessagingClient;
import io.ferry.dispatcher.bus.PeerBeacon;
import io.ferry.dispatcher.config.DispatcherConfig;
import io.ferry.dispatcher.core.DispatcherPeers;
import io.ferry.dispatcher.core.DispatcherServices;
import io.ferry.dispatcher.core.HostResolver;
import io.ferry.dispatcher.core.ListenerRegistry;
import io.ferry.dispatcher.core.ListenerWorker;
import io.ferry.dispatcher.core.RetryPolicy;
import io.ferry.dispatcher.core.TargetVetting;
import io.ferry.dispatcher.core.WebhookClient;
import io.ferry.dispatcher.core.WebhookMeters;
import io.ferry.dispatcher.http.DeliveryLanes;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hosts the registry and its workers on one event loop, so their state needs no locks; the webhook requests
 * themselves are spread over the delivery lanes.
 */
final class DispatcherVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(DispatcherVerticle.class);
  /** Beyond the request timeout, for the last attempts' acks to reach messaging. */
  private static final long DRAIN_MARGIN_MS = 5_000;

  private final DispatcherConfig config;
  private final RetryPolicy retryPolicy;
  private final Function<Vertx, HostResolver> resolver;
  private volatile ListenerRegistry registry;
  private WebhookClient sender;
  private AttemptReporter attempts;
  private MessageConsumer<FerryEvent> events;
  private PeerBeacon beacon;
  private volatile DispatcherPeers peers;

  DispatcherVerticle(DispatcherConfig config, RetryPolicy retryPolicy, Function<Vertx, HostResolver> resolver) {
    this.config = config;
    this.retryPolicy = retryPolicy;
    this.resolver = resolver;
  }

  boolean listenersLoaded() {
    ListenerRegistry current = registry;
    return current != null && current.loaded();
  }

  ListenerRegistry registry() {
    return registry;
  }

  boolean checksLiveness(String listenerId) {
    DispatcherPeers current = peers;
    return current != null && current.checksLiveness(listenerId);
  }

  @Override
  public Future<?> start() {
    if (!config.webhooks().allowList().isEmpty()) {
      LOG.warn("webhooks may reach the otherwise refused ranges {} (webhooks.allow-list)",
          config.webhooks().allowList());
    }
    TargetVetting vetting = new TargetVetting(AddressPolicy.create(config.webhooks().allowList()),
        resolver.apply(vertx));
    return DeliveryLanes.create(vertx, config, vetting, null).compose(lanes -> {
      sender = lanes;
      AdminClient admin = new AdminClient(vertx);
      attempts = new AttemptReporter(vertx);
      DispatcherServices services = new DispatcherServices(vertx, config, new MessagingClient(vertx), admin,
          new EventPublisher(vertx), sender, retryPolicy, WebhookMeters.fromDefaultRegistry(), attempts);
      peers = PeerBeacon.newPeers(config.peerTimeoutMs());
      ListenerRegistry created = new ListenerRegistry(vertx, admin,
          listener -> new ListenerWorker(services, listener), config.reconcileIntervalMs(), peers::checksLiveness);
      registry = created;
      beacon = PeerBeacon.create(vertx, config.peerHeartbeatMs(), peers, created);
      return EventFeed.follow(vertx, created::onEvent).onSuccess(consumer -> events = consumer)
          .compose(consumer -> beacon.start())
          .onSuccess(v -> created.start());
    });
  }

  @Override
  public Future<?> stop() {
    // The peers take this instance's liveness checks over while it drains its deliveries.
    Future<Void> left = beacon == null ? Future.succeededFuture() : beacon.stop();
    Future<Void> unsubscribed = events == null ? Future.succeededFuture() : events.unregister();
    return Future.join(left, unsubscribed).otherwiseEmpty()
        .compose(v -> registry.stop(config.requestTimeoutMs() + DRAIN_MARGIN_MS))
        .andThen(drained -> attempts.flush())
        .compose(v -> sender.close());
  }
}
