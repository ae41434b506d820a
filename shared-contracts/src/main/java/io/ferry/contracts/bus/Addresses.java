package io.ferry.contracts.bus;

/**
 * Every event-bus address Ferry uses. Services never spell an address themselves. The comment on each
 * names the request and reply payloads.
 */
public final class Addresses {

  private Addresses() {
  }

  // --- served by admin-service ---------------------------------------------------------------

  /** {@code AuthRequest} → {@code Principal}; fails UNAUTHENTICATED / FORBIDDEN / TOO_MANY_REQUESTS. */
  public static final String AUTH_AUTHENTICATE = "ferry.admin.auth.authenticate";
  /**
   * no body → {@code TokenSecret}: the HS256 secret of generate_jwt tokens, for services that verify them
   * and have no {@code auth.token-secret} configured. Only ever asked over the mutually authenticated bus.
   */
  public static final String AUTH_TOKEN_SECRET = "ferry.admin.auth.token-secret";
  /** {@code QueueLookup} → {@code QueueInfo}; fails QUEUE_NOT_FOUND. */
  public static final String QUEUE_LOOKUP = "ferry.admin.queue.lookup";
  /** no body → {@code TopologySnapshot}: every queue and subscription, for reconciliation on start. */
  public static final String TOPOLOGY_SNAPSHOT = "ferry.admin.topology.snapshot";
  /** {@code ResourceRef} → {@code ListenerInfo} (with its signing secret); fails NOT_FOUND. */
  public static final String LISTENER_GET = "ferry.admin.listener.get";
  /** no body → {@code ListenerList}: every listener, for the dispatcher on start. */
  public static final String LISTENERS_ALL = "ferry.admin.listeners.all";
  /**
   * {@code ListenerLiveness} → {@code Ack}, sent by a dispatcher whenever a listener's liveness check ran; admin
   * keeps the latest for the listener object.
   */
  public static final String LISTENER_LIVENESS_REPORT = "ferry.admin.listener.liveness";
  /**
   * {@code ResourceRef} (listener id) → {@code Ack}: a receiver answered 410 Gone; admin marks the listener
   * disabled (durably) and announces {@code listener.disabled}.
   */
  public static final String LISTENER_DISABLE = "ferry.admin.listener.disable";

  // --- served by messaging-service: commands from admin (awaited before admin answers) ---------

  /** {@code QueueInfo} → {@code Ack}. */
  public static final String MESSAGING_QUEUE_UPSERT = "ferry.messaging.queue.upsert";
  /** {@code ResourceRef} (queue id) → {@code Ack}; removes messages and subscriptions. */
  public static final String MESSAGING_QUEUE_DELETE = "ferry.messaging.queue.delete";
  /**
   * {@code ResourceRef} (queue id) → {@code PurgeStatus}: removes every message of the queue and every
   * subscription's state for them; answers once the purge has started.
   */
  public static final String MESSAGING_QUEUE_PURGE = "ferry.messaging.queue.purge";
  /** {@code ResourceRef} (queue id) → {@code PurgeStatus} of the queue's last purge. */
  public static final String MESSAGING_PURGE_STATUS = "ferry.messaging.queue.purge-status";
  /**
   * {@code KeyRef} → {@code Ack}: deletes every retained message of the queue with that frame id (Sonya
   * {@code POST /queue/delete/{queue}/{id}}), including every subscription's state for them.
   */
  public static final String MESSAGING_DELETE_BY_KEY = "ferry.messaging.messages.delete-by-key";
  /** {@code SubscriptionSpec} → {@code Ack}. */
  public static final String MESSAGING_SUBSCRIPTION_UPSERT = "ferry.messaging.subscription.upsert";
  /** {@code ResourceRef} (subscription id) → {@code Ack}. */
  public static final String MESSAGING_SUBSCRIPTION_DELETE = "ferry.messaging.subscription.delete";

  // --- served by messaging-service: delivery and history for the other services ---------------

  /** {@code LeaseRequest} → {@code LeaseBatch}; holds up to {@code waitMs} when nothing is ready. */
  public static final String MESSAGING_LEASE = "ferry.messaging.lease";
  /** {@code AckRequest} → {@code AckResult}. */
  public static final String MESSAGING_ACK = "ferry.messaging.ack";
  /** {@code HistoryRequest} → {@code HistoryPage}: retained messages by sequence, for replay. */
  public static final String MESSAGING_HISTORY = "ferry.messaging.history";
  /** {@code PublishRequest} → {@code Ack} once durable; fails QUEUE_NOT_FOUND. */
  public static final String MESSAGING_PUBLISH = "ferry.messaging.publish";
  /** {@code SubscriptionRef} → {@code SubscriptionStats}; fails NOT_FOUND. */
  public static final String MESSAGING_SUBSCRIPTION_STATS = "ferry.messaging.subscription.stats";
  /** {@code RedeliverRequest} → {@code RedeliverResult}; fails NOT_FOUND. */
  public static final String MESSAGING_REDELIVER = "ferry.messaging.subscription.redeliver";

  // --- published ------------------------------------------------------------------------------

  /** {@code FerryEvent}, published by whoever performed the action (docs/webhooks.md). */
  public static final String EVENTS = "ferry.events";

  private static final String PUBLISHED_PREFIX = "ferry.queue.";
  private static final String PUBLISHED_SUFFIX = ".published";

  /**
   * {@code PublishedBatch}, published by messaging-service after each durable append. One address per
   * queue, so a gateway only receives the queues its clients follow.
   */
  public static String published(String queueId) {
    return PUBLISHED_PREFIX + queueId + PUBLISHED_SUFFIX;
  }
}
