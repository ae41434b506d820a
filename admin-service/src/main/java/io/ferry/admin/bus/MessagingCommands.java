package io.ferry.admin.bus;

import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.model.KeyRef;
import io.ferry.contracts.model.PurgeStatus;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.ResourceRef;
import io.ferry.contracts.model.SubscriptionSpec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The commands admin-service sends messaging-service to keep it in step with the source of truth. Each is
 * awaited before the client gets its answer; a failure is a {@code FerryException} (UNAVAILABLE when
 * messaging-service cannot be reached).
 */
public final class MessagingCommands {

  // Long enough for a durable write on a busy node, short enough that a client is not left hanging.
  static final long TIMEOUT_MS = 10_000;

  private final Vertx vertx;

  public MessagingCommands(Vertx vertx) {
    this.vertx = vertx;
  }

  public Future<Void> upsertQueue(QueueInfo queue) {
    return send(Addresses.MESSAGING_QUEUE_UPSERT, queue);
  }

  public Future<Void> deleteQueue(String accountId, String queueId) {
    return send(Addresses.MESSAGING_QUEUE_DELETE, new ResourceRef(accountId, queueId));
  }

  public Future<Void> upsertSubscription(SubscriptionSpec subscription) {
    return send(Addresses.MESSAGING_SUBSCRIPTION_UPSERT, subscription);
  }

  public Future<Void> deleteSubscription(String accountId, String subscriptionId) {
    return send(Addresses.MESSAGING_SUBSCRIPTION_DELETE, new ResourceRef(accountId, subscriptionId));
  }

  /** Deletes every retained message of the queue whose frame id is {@code key} (Sonya's delete by id). */
  public Future<Void> deleteByKey(String queueId, String key) {
    return send(Addresses.MESSAGING_DELETE_BY_KEY, new KeyRef(queueId, key));
  }

  /** Starts purging every message of the queue; answers with the purge's status. */
  public Future<PurgeStatus> purge(String accountId, String queueId) {
    return Bus.request(vertx, Addresses.MESSAGING_QUEUE_PURGE, new ResourceRef(accountId, queueId), TIMEOUT_MS);
  }

  public Future<PurgeStatus> purgeStatus(String accountId, String queueId) {
    return Bus.request(vertx, Addresses.MESSAGING_PURGE_STATUS, new ResourceRef(accountId, queueId), TIMEOUT_MS);
  }

  private Future<Void> send(String address, Object payload) {
    return Bus.request(vertx, address, payload, TIMEOUT_MS).mapEmpty();
  }
}
