package io.ferry.admin.core;

import io.ferry.admin.model.EventSubscription;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.FerryEvent;
import io.ferry.contracts.model.PublishRequest;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What becomes of every event, whoever published it (admin, messaging, the dispatcher): it goes into the audit
 * trail and, as a JSON message, into the destination queue of each event subscription that wants it. A delivery
 * that fails for a reason that may pass (messaging unreachable or busy) is retried a few times with growing
 * delays, then logged and dropped; nothing here ever holds up admin's requests.
 */
public final class EventSubscriptionDelivery {

  static final long[] RETRY_DELAYS_MS = {500, 2_000, 8_000};
  // Deliveries under way or waiting for a retry; beyond this (messaging down for long) new ones are dropped.
  static final int MAX_IN_FLIGHT = 10_000;
  // OUTCOME_UNKNOWN too: the publish may have been applied, but event delivery is at-least-once, and a retry
  // that duplicates an event is better than one that drops it (a timeout was retried as UNAVAILABLE before).
  private static final Set<ErrorCode> TRANSIENT = Set.of(ErrorCode.UNAVAILABLE, ErrorCode.OUTCOME_UNKNOWN,
      ErrorCode.INTERNAL, ErrorCode.TOO_MANY_REQUESTS, ErrorCode.QUEUE_OVERLOADED, ErrorCode.STORAGE_LIMIT_EXCEEDED);
  private static final Logger LOG = LoggerFactory.getLogger(EventSubscriptionDelivery.class);

  private final Vertx vertx;
  private final MessagingCommands messaging;
  private final EventRecipients recipients;
  private final AuditTrail audit;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean stopped;

  public EventSubscriptionDelivery(Vertx vertx, MessagingCommands messaging, EventRecipients recipients,
      AuditTrail audit) {
    this.vertx = vertx;
    this.messaging = messaging;
    this.recipients = recipients;
    this.audit = audit;
  }

  /** Stops retrying deliveries; the audit trail is flushed by its owner. */
  public void stop() {
    stopped = true;
  }

  /** Records the event and starts delivering it to the subscriptions that want it. */
  public void onEvent(FerryEvent event) {
    audit.record(event);
    recipients.of(event)
        .onSuccess(subscriptions -> subscriptions.forEach(subscription -> deliver(subscription, event)))
        .onFailure(e -> LOG.warn("event {} ({}): finding its subscriptions failed: {}", event.id(), event.type(),
            e.getMessage()));
  }

  private void deliver(EventSubscription subscription, FerryEvent event) {
    if (inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
      inFlight.decrementAndGet();
      LOG.warn("event {} ({}) not delivered to subscription {}: too many deliveries pending", event.id(),
          event.type(), subscription.id());
      return;
    }
    PublishRequest request = new PublishRequest(subscription.destinationQueueId(),
        List.of(EventRecipients.message(subscription, event)));
    attempt(request, subscription, event, 0);
  }

  private void attempt(PublishRequest request, EventSubscription subscription, FerryEvent event, int retries) {
    messaging.publish(request).onComplete(published -> {
      if (published.succeeded()) {
        inFlight.decrementAndGet();
        return;
      }
      FerryException failure = FerryException.from(published.cause());
      if (!stopped && retries < RETRY_DELAYS_MS.length && TRANSIENT.contains(failure.code())) {
        vertx.setTimer(RETRY_DELAYS_MS[retries], t -> {
          if (stopped) {
            inFlight.decrementAndGet();
          } else {
            attempt(request, subscription, event, retries + 1);
          }
        });
        return;
      }
      inFlight.decrementAndGet();
      LOG.warn("event {} ({}) not delivered to queue {} of subscription {} after {} attempts: {}", event.id(),
          event.type(), subscription.destinationQueueId(), subscription.id(), retries + 1, failure.getMessage());
    });
  }
}
