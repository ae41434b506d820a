package io.ferry.dispatcher.core;

import io.ferry.contracts.config.DispatcherConfig;
import io.ferry.dispatcher.bus.AdminClient;
import io.ferry.dispatcher.bus.EventPublisher;
import io.ferry.dispatcher.bus.MessagingClient;
import io.vertx.core.Vertx;

/** What every listener's worker shares: the bus clients, the outbound HTTP client, the schedule and the config. */
public record DispatcherServices(Vertx vertx, DispatcherConfig config, MessagingClient messaging,
    AdminClient admin, EventPublisher events, WebhookSender sender, RetryPolicy retryPolicy) {
}
