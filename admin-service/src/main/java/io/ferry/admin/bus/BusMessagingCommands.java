package io.ferry.admin.bus;

import io.ferry.admin.core.MessagingCommands;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.bus.Endpoint;
import io.ferry.contracts.bus.Endpoints;
import io.ferry.contracts.model.KeyRef;
import io.ferry.contracts.model.PublishRequest;
import io.ferry.contracts.model.PurgeStatus;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.ResourceRef;
import io.ferry.contracts.model.SubscriptionSpec;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** {@link MessagingCommands} as event-bus requests to messaging-service. */
public final class BusMessagingCommands implements MessagingCommands {

  // Long enough for a durable write on a busy node, short enough that a client is not left hanging.
  static final long TIMEOUT_MS = 10_000;

  private final Vertx vertx;

  public BusMessagingCommands(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Future<Void> upsertQueue(QueueInfo queue) {
    return send(Endpoints.MESSAGING_QUEUE_UPSERT, queue);
  }

  @Override
  public Future<Void> deleteQueue(String accountId, String queueId) {
    return send(Endpoints.MESSAGING_QUEUE_DELETE, new ResourceRef(accountId, queueId));
  }

  @Override
  public Future<Void> upsertSubscription(SubscriptionSpec subscription) {
    return send(Endpoints.MESSAGING_SUBSCRIPTION_UPSERT, subscription);
  }

  @Override
  public Future<Void> deleteSubscription(String accountId, String subscriptionId) {
    return send(Endpoints.MESSAGING_SUBSCRIPTION_DELETE, new ResourceRef(accountId, subscriptionId));
  }

  @Override
  public Future<Void> deleteByKey(String queueId, String key) {
    return send(Endpoints.MESSAGING_DELETE_BY_KEY, new KeyRef(queueId, key));
  }

  @Override
  public Future<PurgeStatus> purge(String accountId, String queueId) {
    return Bus.request(vertx, Endpoints.MESSAGING_QUEUE_PURGE, new ResourceRef(accountId, queueId), TIMEOUT_MS);
  }

  @Override
  public Future<PurgeStatus> purgeStatus(String accountId, String queueId) {
    return Bus.request(vertx, Endpoints.MESSAGING_PURGE_STATUS, new ResourceRef(accountId, queueId), TIMEOUT_MS);
  }

  @Override
  public Future<Void> publish(PublishRequest request) {
    return send(Endpoints.MESSAGING_PUBLISH, request);
  }

  private <Q> Future<Void> send(Endpoint<Q, ?> endpoint, Q payload) {
    return Bus.request(vertx, endpoint, payload, TIMEOUT_MS).mapEmpty();
  }
}
