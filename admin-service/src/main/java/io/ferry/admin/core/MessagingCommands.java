package io.ferry.admin.core;

import io.ferry.contracts.model.PublishRequest;
import io.ferry.contracts.model.PurgeStatus;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.SubscriptionSpec;
import io.vertx.core.Future;

/**
 * The commands admin-service sends messaging-service to keep it in step with the source of truth. Each is
 * awaited before the client gets its answer; a failure is a {@code FerryException} (UNAVAILABLE when
 * messaging-service cannot be reached).
 */
public interface MessagingCommands {

  Future<Void> upsertQueue(QueueInfo queue);

  Future<Void> deleteQueue(String accountId, String queueId);

  Future<Void> upsertSubscription(SubscriptionSpec subscription);

  Future<Void> deleteSubscription(String accountId, String subscriptionId);

  /** Deletes every retained message of the queue whose frame id is {@code key} (Sonya's delete by id). */
  Future<Void> deleteByKey(String queueId, String key);

  /** Starts purging every message of the queue; answers with the purge's status. */
  Future<PurgeStatus> purge(String accountId, String queueId);

  Future<PurgeStatus> purgeStatus(String accountId, String queueId);

  /** Publishes messages into a queue (an event subscription's deliveries). */
  Future<Void> publish(PublishRequest request);
}
