package io.ferry.dispatcher.core;

import io.ferry.dispatcher.config.DispatcherConfig;
import io.vertx.core.Vertx;

/**
 * What every listener's worker shares: what it calls out through (messaging, admin, the event stream, the
 * receivers), the schedule, the config, the meters attempts are counted on and the log they are reported to.
 */
public record DispatcherServices(Vertx vertx, DispatcherConfig config, Leases messaging,
    ListenerAdmin admin, DeliveryEvents events, WebhookClient sender, RetryPolicy retryPolicy,
    WebhookMeters meters, AttemptLog attempts) {

  /** Services that report attempts nowhere. */
  public DispatcherServices(Vertx vertx, DispatcherConfig config, Leases messaging, ListenerAdmin admin,
      DeliveryEvents events, WebhookClient sender, RetryPolicy retryPolicy, WebhookMeters meters) {
    this(vertx, config, messaging, admin, events, sender, retryPolicy, meters, AttemptLog.NONE);
  }
}
