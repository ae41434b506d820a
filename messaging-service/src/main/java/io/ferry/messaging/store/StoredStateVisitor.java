package io.ferry.messaging.store;

import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.SubscriptionSpec;
import java.util.Set;

/**
 * Receives everything a store holds apart from message bodies, once, at start, to rebuild the in-memory
 * state without first materialising it: a backlog of millions of messages must not need a list of millions
 * of records. Calls come from one store thread in this order: queues, sequence heads, subscriptions,
 * acknowledged counters, purges, messages (by queue, then sequence), handed-over leases of {@link #handedShards}
 * (by subscription, then sequence), pending entries (by subscription, then sequence).
 */
public interface StoredStateVisitor {

  void queue(QueueInfo queue);

  /** The queue's highest sequence ever appended, kept even when those messages are gone. */
  void sequenceHead(String queueId, long sequence);

  void subscription(SubscriptionSpec subscription);

  /** How many messages the subscription acknowledged since it was created (absent: none). */
  void acknowledged(String subscriptionId, long count);

  void purge(PurgeRecord purge);

  void message(MessageMeta message);

  /**
   * The shards whose handed-over leases the store hands to {@link #handedLease}: those being gained. A store reads
   * no other shard's, as they may belong to a hand-over another instance is to restore.
   */
  default Set<Integer> handedShards() {
    return Set.of();
  }

  /** A lease out when the lease's shard was given up gracefully, to restore (see {@link HandedLease}). */
  void handedLease(HandedLease lease);

  void pending(PendingRecord pending);
}
