package io.ferry.admin.core;

import io.ferry.admin.model.Listener;
import io.ferry.admin.model.QueueConsumer;
import io.ferry.contracts.model.SubscriptionSpec;

/** How consumers and listeners appear to messaging-service: as subscriptions with delivery settings. */
public final class Subscriptions {

  // Webhook delivery settings. Messaging never gives up on a listener's message by itself: the dispatcher owns
  // the retry schedule and reports a message missed after its last attempt. Listeners have no dead letter queue.
  static final int LISTENER_BATCH_SIZE = 10;
  static final int LISTENER_RETRY_DELAY_SECONDS = 5;
  static final int LISTENER_VISIBILITY_TIMEOUT_MS = 60_000;

  private Subscriptions() {
  }

  public static SubscriptionSpec of(QueueConsumer consumer) {
    return new SubscriptionSpec(consumer.id(), consumer.queueId(), SubscriptionSpec.Kind.PULL_CONSUMER,
        consumer.batchSize(), consumer.maxRetries(), consumer.retryDelaySeconds(), consumer.visibilityTimeoutMs(),
        consumer.deadLetterQueueId());
  }

  public static SubscriptionSpec of(Listener listener) {
    return new SubscriptionSpec(listener.id(), listener.queueId(), SubscriptionSpec.Kind.LISTENER,
        LISTENER_BATCH_SIZE, SubscriptionSpec.UNLIMITED_RETRIES, LISTENER_RETRY_DELAY_SECONDS,
        LISTENER_VISIBILITY_TIMEOUT_MS, null);
  }
}
