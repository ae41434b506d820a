package io.ferry.contracts.model;

/** The {@link FerryEvent#type()} values (docs/webhooks.md). Publishers and subscribers use these only. */
public final class EventTypes {

  public static final String QUEUE_CREATED = "queue.created";
  public static final String QUEUE_UPDATED = "queue.updated";
  public static final String QUEUE_DELETED = "queue.deleted";
  public static final String QUEUE_PURGED = "queue.purged";
  public static final String CONSUMER_CREATED = "consumer.created";
  public static final String CONSUMER_DELETED = "consumer.deleted";
  public static final String LISTENER_CREATED = "listener.created";
  public static final String LISTENER_DELETED = "listener.deleted";
  /** A listener's name, URLs, secret or enabled flag changed; payload {@code {queue_id, enabled}}. */
  public static final String LISTENER_UPDATED = "listener.updated";
  /** A receiver answered 410 Gone: the listener is disabled; payload {@code {queue_id, reason}}. */
  public static final String LISTENER_DISABLED = "listener.disabled";
  public static final String LISTENER_INACTIVE = "listener.inactive";
  public static final String LISTENER_STABLE = "listener.stable";
  public static final String DELIVERY_EXHAUSTED = "delivery.exhausted";
  public static final String MESSAGE_DEAD_LETTERED = "message.dead_lettered";
  /**
   * Every message of a queue with one Sonya id was deleted ({@code POST /queue/delete/{queue}/{id}});
   * resourceId is the queue id, payload {@code {queue_id, queue_name, id}}. Per-id subscriptions end.
   */
  public static final String MESSAGES_DELETED_BY_KEY = "messages.deleted_by_key";

  private EventTypes() {
  }
}
