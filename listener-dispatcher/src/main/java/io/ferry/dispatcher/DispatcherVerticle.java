package io.ferry.dispatcher;

import io.ferry.contracts.config.DispatcherConfig;
import io.ferry.contracts.model.FerryEvent;
import io.ferry.dispatcher.bus.AdminClient;
import io.ferry.dispatcher.bus.EventFeed;
import io.ferry.dispatcher.bus.MessagingClient;
import io.ferry.dispatcher.core.ListenerRegistry;
import io.ferry.dispatcher.core.ListenerWorker;
import io.ferry.dispatcher.core.RetryPolicy;
import io.ferry.dispatcher.core.WebhookSender;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;

/**
 * Hosts the registry, its workers and the webhook client on one event loop, so their state needs no locks.
 */
final class DispatcherVerticle extends VerticleBase {

  /** Beyond the request timeout, for the last attempts' acks to reach messaging. */
  private static final long DRAIN_MARGIN_MS = 5_000;

  private final DispatcherConfig config;
  private final RetryPolicy retryPolicy;
  private volatile ListenerRegistry registry;
  private WebhookSender sender;
  private MessageConsumer<FerryEvent> events;

  DispatcherVerticle(DispatcherConfig config, RetryPolicy retryPolicy) {
    this.config = config;
    this.retryPolicy = retryPolicy;
  }

  boolean listenersLoaded() {
    ListenerRegistry current = registry;
    return current != null && current.loaded();
  }

  ListenerRegistry registry() {
    return registry;
  }

  @Override
  public Future<?> start() {
    sender = WebhookSender.create(vertx, config.requestTimeoutMs(), config.maxInFlightPerListener());
    MessagingClient messaging = new MessagingClient(vertx);
    ListenerRegistry created = new ListenerRegistry(vertx, new AdminClient(vertx),
        listener -> new ListenerWorker(vertx, listener, messaging, sender, retryPolicy, config));
    registry = created;
    return EventFeed.follow(vertx, created::onEvent).onSuccess(consumer -> {
      events = consumer;
      created.start();
    });
  }

  @Override
  public Future<?> stop() {
    Future<Void> unsubscribed = events == null ? Future.succeededFuture() : events.unregister();
    return unsubscribed.otherwiseEmpty()
        .compose(v -> registry.stop(config.requestTimeoutMs() + DRAIN_MARGIN_MS))
        .compose(v -> sender.close());
  }
}
