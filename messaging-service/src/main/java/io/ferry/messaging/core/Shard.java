package io.ferry.messaging.core;

import io.ferry.contracts.model.AckRequest;
import io.ferry.contracts.model.AckResult;
import io.ferry.contracts.model.HistoryPage;
import io.ferry.contracts.model.HistoryRequest;
import io.ferry.contracts.model.LeaseBatch;
import io.ferry.contracts.model.LeaseRequest;
import io.ferry.contracts.model.PurgeStatus;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueMetrics;
import io.ferry.contracts.model.RedeliverRequest;
import io.ferry.contracts.model.RedeliverResult;
import io.ferry.contracts.model.RetryRequest;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.contracts.model.SubscriptionRef;
import io.ferry.contracts.model.SubscriptionSpec;
import io.ferry.contracts.model.SubscriptionStats;
import io.vertx.core.Future;
import java.util.List;

/**
 * What {@link MessagingEngine} asks of one shard, wherever the shard lives: this process's shard engine, or
 * the owner's over the event bus when another instance owns the shard (docs/scale-out.md). Every future
 * completes on the caller's context. The meaning of each operation is that of the facade's method of the
 * same name.
 */
public interface Shard {

  Future<PublishResult> publish(Publication publication);

  Future<LeaseBatch> pull(String accountId, String queueId, Integer batchSize, Integer visibilityTimeoutMs,
      int waitMs);

  Future<AckResult> ackPulled(String accountId, String queueId, List<String> acks, List<RetryRequest> retries);

  Future<LeaseBatch> lease(LeaseRequest request);

  Future<AckResult> ack(AckRequest request);

  Future<SubscriptionStats> subscriptionStats(SubscriptionRef ref);

  Future<RedeliverResult> redeliver(RedeliverRequest request);

  Future<HistoryPage> history(HistoryRequest request);

  Future<List<QueueHistory.Point>> history(String accountId, String queueId, int minutes);

  Future<QueueMetrics> metrics(String accountId, String queueId);

  Future<List<PeekedMessage>> peek(String accountId, String queueId, int batchSize);

  /** Retained messages of one queue of the shard after the message {@code startAfter} ({@code null}: first). */
  Future<List<MessageSummary>> listMessages(String accountId, String queueId, String startAfter, int limit);

  /** The ids of the account's queues on this shard. */
  Future<List<String>> queueIdsOf(String accountId);

  Future<StoredMessage> message(String accountId, String queueId, String messageId);

  Future<StoredMessage> deleteMessage(String accountId, String queueId, String messageId);

  Future<List<String>> deleteMessages(String accountId, String queueId, List<String> messageIds);

  Future<Void> deleteByKey(String queueId, String key);

  Future<PurgeStatus> purge(String accountId, String queueId);

  Future<PurgeStatus> purgeStatus(String accountId, String queueId);

  Future<Void> upsertQueue(QueueInfo queue);

  Future<Void> deleteQueue(String queueId);

  Future<Void> upsertSubscription(SubscriptionSpec spec);

  /** Deletes the subscription if this shard holds it; an id it does not hold is no error. */
  Future<Void> deleteSubscription(String subscriptionId);

  /** See {@link ShardPeers#appendDeadLetterCopy}. */
  Future<String> appendDeadLetterCopy(String queueId, NewMessage message);
}
