package io.ferry.contracts.bus;

/**
 * The address strings of {@link Endpoints}, for code that still sends by name. New code uses
 * {@link Endpoints}, whose constants also carry the payload types.
 */
public final class Addresses {

  private Addresses() {
  }

  // --- served by admin-service ---------------------------------------------------------------

  /** {@code AuthRequest} → {@code Principal}; fails UNAUTHENTICATED / FORBIDDEN / TOO_MANY_REQUESTS. */
  public static final String AUTH_AUTHENTICATE = Endpoints.AUTH_AUTHENTICATE.address();
  /**
   * no body → {@code TokenSecret}: the HS256 secret of generate_jwt tokens, for services that verify them
   * and have no {@code auth.token-secret} configured. Only ever asked over the mutually authenticated bus.
   */
  public static final String AUTH_TOKEN_SECRET = Endpoints.AUTH_TOKEN_SECRET.address();
  /** {@code QueueLookup} → {@code QueueInfo}; fails QUEUE_NOT_FOUND. */
  public static final String QUEUE_LOOKUP = Endpoints.QUEUE_LOOKUP.address();
  /** no body → {@code TopologySnapshot}: every queue and subscription, for reconciliation on start. */
  public static final String TOPOLOGY_SNAPSHOT = Endpoints.TOPOLOGY_SNAPSHOT.address();
  /** {@code ResourceRef} → {@code ListenerInfo} (with its signing secret); fails NOT_FOUND. */
  public static final String LISTENER_GET = Endpoints.LISTENER_GET.address();
  /** no body → {@code ListenerList}: every listener, for the dispatcher on start. */
  public static final String LISTENERS_ALL = Endpoints.LISTENERS_ALL.address();
  /**
   * {@code ListenerLiveness}, published by a dispatcher whenever a listener's liveness check ran; every admin
   * instance keeps the latest for the listener object.
   */
  public static final String LISTENER_LIVENESS = Endpoints.LISTENER_LIVENESS.address();
  /**
   * {@code ResourceRef} (listener id) → {@code Ack}: a receiver answered 410 Gone; admin marks the listener
   * disabled (durably) and announces {@code listener.disabled}.
   */
  public static final String LISTENER_DISABLE = Endpoints.LISTENER_DISABLE.address();

  // --- served by messaging-service: commands from admin (awaited before admin answers) ---------

  /** {@code QueueInfo} → {@code Ack}. */
  public static final String MESSAGING_QUEUE_UPSERT = Endpoints.MESSAGING_QUEUE_UPSERT.address();
  /** {@code ResourceRef} (queue id) → {@code Ack}; removes messages and subscriptions. */
  public static final String MESSAGING_QUEUE_DELETE = Endpoints.MESSAGING_QUEUE_DELETE.address();
  /**
   * {@code ResourceRef} (queue id) → {@code PurgeStatus}: removes every message of the queue and every
   * subscription's state for them; answers once the purge has started.
   */
  public static final String MESSAGING_QUEUE_PURGE = Endpoints.MESSAGING_QUEUE_PURGE.address();
  /** {@code ResourceRef} (queue id) → {@code PurgeStatus} of the queue's last purge. */
  public static final String MESSAGING_PURGE_STATUS = Endpoints.MESSAGING_PURGE_STATUS.address();
  /** {@code CheckpointRequest} → {@code StoreCheckpoint}: a RocksDB checkpoint of messaging's store. */
  public static final String MESSAGING_CHECKPOINT = Endpoints.MESSAGING_CHECKPOINT.address();
  /**
   * {@code KeyRef} → {@code Ack}: deletes every retained message of the queue with that frame id (Sonya
   * {@code POST /queue/delete/{queue}/{id}}), including every subscription's state for them.
   */
  public static final String MESSAGING_DELETE_BY_KEY = Endpoints.MESSAGING_DELETE_BY_KEY.address();
  /** {@code SubscriptionSpec} → {@code Ack}. */
  public static final String MESSAGING_SUBSCRIPTION_UPSERT = Endpoints.MESSAGING_SUBSCRIPTION_UPSERT.address();
  /** {@code ResourceRef} (subscription id) → {@code Ack}. */
  public static final String MESSAGING_SUBSCRIPTION_DELETE = Endpoints.MESSAGING_SUBSCRIPTION_DELETE.address();

  // --- served by messaging-service: delivery and history for the other services ---------------

  /** {@code LeaseRequest} → {@code LeaseBatch}; holds up to {@code waitMs} when nothing is ready. */
  public static final String MESSAGING_LEASE = Endpoints.MESSAGING_LEASE.address();
  /** {@code AckRequest} → {@code AckResult}. */
  public static final String MESSAGING_ACK = Endpoints.MESSAGING_ACK.address();
  /** {@code HistoryRequest} → {@code HistoryPage}: retained messages by sequence, for replay. */
  public static final String MESSAGING_HISTORY = Endpoints.MESSAGING_HISTORY.address();
  /** {@code PublishRequest} → {@code Ack} once durable; fails QUEUE_NOT_FOUND. */
  public static final String MESSAGING_PUBLISH = Endpoints.MESSAGING_PUBLISH.address();
  /** {@code SubscriptionRef} → {@code SubscriptionStats}; fails NOT_FOUND. */
  public static final String MESSAGING_SUBSCRIPTION_STATS = Endpoints.MESSAGING_SUBSCRIPTION_STATS.address();
  /** {@code RedeliverRequest} → {@code RedeliverResult}; fails NOT_FOUND. */
  public static final String MESSAGING_REDELIVER = Endpoints.MESSAGING_REDELIVER.address();

  // --- published ------------------------------------------------------------------------------

  /** {@code FerryEvent}, published by whoever performed the action (docs/webhooks.md). */
  public static final String EVENTS = Endpoints.EVENTS.address();

  /**
   * {@code PublishedBatch}, published by messaging-service after each durable append. One address per
   * queue, so a gateway only receives the queues its clients follow.
   */
  public static String published(String queueId) {
    return Endpoints.published(queueId).address();
  }
}
