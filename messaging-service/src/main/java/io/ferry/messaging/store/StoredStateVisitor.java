package io.ferry.messaging.store;

import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.SubscriptionSpec;
import java.util.Set;

/**
 * Receives everything a store holds apart from message bodies, once, at start, to rebuild the in-memory
 * state without first materialising it: a backlog of millions of messages must not need a list of millions
 * of records. Calls come from one store thread in this order: queues, sequence heads, subscriptions,
 * acknowledged counters, purges, messages (by queue, then sequence), handed-over leases of {@link #handedShards}
 * (by subscription, then sequence), pending entries (by subscription, then sequence). A load of some shards
 * only ({@link #loadsEveryQueue} false) gets the entries of the queues {@link #loadsQueue} names and of their
 * subscriptions; a store may hand over others too (an embedded one reads everything anyway).
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

  /** Whether every queue's entries are wanted (a start with every shard): then a store reads whole tables. */
  default boolean loadsEveryQueue() {
    return true;
  }

  /**
   * Whether the entries of the queue with this id, stored or gone, are wanted: those of the shards being gained.
   * Asked only when not {@link #loadsEveryQueue}, so that a store reads only their rows of the large tables.
   */
  default boolean loadsQueue(String queueId) {
    return true;
  }

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
