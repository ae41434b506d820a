package io.ferry.messaging.core;

import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.SubscriptionSpec;
import io.ferry.messaging.store.HandedLease;
import io.ferry.messaging.store.MessageMeta;
import io.ferry.messaging.store.MessageStore;
import io.ferry.messaging.store.PendingRecord;
import io.ferry.messaging.store.PurgeRecord;
import io.ferry.messaging.store.StoreBatch;
import io.ferry.messaging.store.StoredStateVisitor;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rebuilds a shard's hot state from what the store holds, entry by entry as the store reads it: queues with their
 * sequence heads, subscriptions with their acknowledged counters, the retained-message index and every
 * subscription's unresolved deliveries (all available again, as leases do not survive a restart, except
 * missed ones, which stay missed, and those out on a lease the shard's previous owner handed over when it gave
 * the shard up gracefully, which stay leased as they were there) and which retained messages are settled
 * history. A purge that a crash interrupted is finished here. Collects the clean-up of leftovers that belong to
 * nothing (e.g. pending entries of a subscription deleted while an append was in flight). Runs on the store's
 * thread; the state is handed to the engine thread only when complete.
 */
final class Recovery implements StoredStateVisitor {

  private final EngineState state;
  private final long nowMs;
  private final StoreBatch cleanup = new StoreBatch();
  private final Set<String> orphanQueues = new HashSet<>();
  private final Map<String, Long> purgingThrough = new HashMap<>();
  private final SequenceRepair repair = new SequenceRepair();
  // Handed-over leases by subscription and sequence, until their pending entries are read.
  private final Map<String, Map<Long, HandedLease>> handed = new HashMap<>();
  private QueueState lastQueue;

  private Recovery(EngineState state, long nowMs) {
    this.state = state;
    this.nowMs = nowMs;
  }

  /**
   * Builds the hot state of each of {@code owned} from one read of what {@code store} holds and makes the
   * clean-up of their leftovers durable; entries that belong to no known subscription are cleaned up too when
   * {@code cleanLeftovers} and {@code owned} is every shard (one instance starting with the whole store).
   */
  static Future<Map<Integer, EngineState>> rebuild(MessageStore store, long nowMs, ShardMap shards,
      Set<Integer> owned, QueueNames names, boolean cleanLeftovers) {
    Recovery[] recoveries = new Recovery[shards.shards()];
    for (int shard : owned) {
      recoveries[shard] = new Recovery(new EngineState(names), nowMs);
    }
    boolean everyShard = owned.size() == shards.shards();
    return store.load(ShardRouting.to(shards, recoveries, everyShard && cleanLeftovers)).compose(loaded -> {
      List<Integer> order = new ArrayList<>(new java.util.TreeSet<>(owned));
      List<Future<EngineState>> finished = new ArrayList<>(order.size());
      for (int shard : order) {
        // Through the shard's own writer: a commit through the store itself is fenced by every shard, so it
        // fails unless this instance owns them all, and a gained shard's load would fail and be released
        // again and again.
        finished.add(recoveries[shard].finish(store.forShard(shard)));
      }
      return Future.all(finished).map(all -> {
        Map<Integer, EngineState> states = new java.util.TreeMap<>();
        for (int i = 0; i < order.size(); i++) {
          states.put(order.get(i), all.resultAt(i));
        }
        return states;
      });
    });
  }

  /**
   * One shard's state, when it must resynchronise with the store while the others go on (so leftovers stay:
   * see {@link ShardRouting}).
   */
  static Future<EngineState> rebuild(MessageStore store, long nowMs, ShardMap shards, int shard,
      QueueNames names) {
    return rebuild(store, nowMs, shards, Set.of(shard), names, false).map(states -> states.get(shard));
  }

  private Future<EngineState> finish(MessageStore store) {
    return repairSequences(store)
        .compose(repaired -> {
          settleResolved();
          return store.commit(cleanup);
        })
        .map(state);
  }

  /** Renumbers messages stored with sequences out of range; their moves join the clean-up. */
  private Future<Void> repairSequences(MessageStore store) {
    return repair.renumber(store, cleanup, this::restore);
  }

  /**
   * Once every entry is read: in a queue with subscriptions, a message none of them still has to resolve
   * was settled before the restart (every subscription resolved it) and stays history only. The store
   * does not mark settled messages, so this is where they are told apart from backlog.
   */
  private void settleResolved() {
    for (QueueState queue : state.queues()) {
      if (queue.subscriptions.isEmpty()) {
        continue;
      }
      RetainedLog log = queue.log;
      for (int i = log.start(); i < log.end(); i++) {
        if (log.isRetained(i) && log.unresolved(i) <= 0) {
          log.setSettled(i, true);
        }
      }
    }
  }

  @Override
  public void queue(QueueInfo queue) {
    state.putQueue(queue, 0);
  }

  @Override
  public void sequenceHead(String queueId, long sequence) {
    QueueState queue = state.queue(queueId);
    // A head out of range is forgotten: the queue continues after the highest valid sequence it holds.
    if (queue != null && Sequences.inRange(sequence)) {
      queue.lastSequence = Math.max(queue.lastSequence, sequence);
      queue.publishedSequence = queue.lastSequence;
    }
  }

  @Override
  public void subscription(SubscriptionSpec spec) {
    QueueState queue = state.queue(spec.queueId());
    if (queue == null) {
      cleanup.deleteSubscription(spec.id());
    } else {
      state.putSubscription(new SubscriptionState(spec, queue));
    }
  }

  @Override
  public void acknowledged(String subscriptionId, long count) {
    SubscriptionState subscription = state.subscription(subscriptionId);
    if (subscription == null) {
      cleanup.deleteSubscription(subscriptionId);
    } else {
      subscription.acknowledgedCount = count;
    }
  }

  @Override
  public void purge(PurgeRecord purge) {
    QueueState queue = state.queue(purge.queueId());
    if (queue == null) {
      return;
    }
    queue.purge = purge;
    if (!purge.completed()) {
      purgingThrough.put(queue.id(), purge.throughSequence());
      cleanup.deleteMessagesThrough(queue.id(), purge.throughSequence());
      queue.subscriptions.values().forEach(subscription ->
          cleanup.deletePendingThrough(subscription.id(), purge.throughSequence()));
      queue.purge = new PurgeRecord(purge.queueId(), purge.startedAtMs(), purge.throughSequence(), true);
      cleanup.putPurge(queue.purge);
    }
  }

  @Override
  public void message(MessageMeta meta) {
    QueueState queue = lastQueue != null && lastQueue.id().equals(meta.queueId()) ? lastQueue
        : state.queue(meta.queueId());
    if (queue == null) {
      if (orphanQueues.add(meta.queueId())) {
        cleanup.deleteQueue(meta.queueId());
      }
      return;
    }
    lastQueue = queue;
    long purgedThrough = purgingThrough.getOrDefault(queue.id(), 0L);
    if (!Sequences.inRange(meta.sequence())) {
      // A purge through an out-of-range sequence removes every message of the queue, these included.
      if (purgedThrough <= Sequences.MAX_SEQUENCE) {
        repair.message(queue, meta.sequence());
      }
      return;
    }
    if (meta.sequence() <= purgedThrough) {
      return;
    }
    queue.log.append(meta.sequence(), meta.timestampMs(), meta.availableAtMs(), meta.bodyBytes(), 0);
    queue.lastSequence = Math.max(queue.lastSequence, meta.sequence());
    queue.publishedSequence = queue.lastSequence;
  }

  // Restored once: the clean-up, this shard's first commit under its new epoch, deletes the hand-over before
  // the shard serves, so no later load (a resync, the next owner) finds it again.
  @Override
  public void handedLease(HandedLease lease) {
    if (handed.isEmpty()) {
      cleanup.deleteHandedLeases(lease.shard());
    }
    handed.computeIfAbsent(lease.subscriptionId(), id -> new HashMap<>()).put(lease.sequence(), lease);
  }

  @Override
  public void pending(PendingRecord pending) {
    SubscriptionState subscription = state.subscription(pending.subscriptionId());
    if (subscription != null && repair.pending(subscription, pending)) {
      return;
    }
    int index = subscription == null ? -1 : subscription.queue.log.find(pending.sequence());
    if (index < 0) {
      // A purge being finished removes these with a range; single deletes are for true leftovers.
      if (subscription == null
          || pending.sequence() > purgingThrough.getOrDefault(subscription.queue.id(), 0L)) {
        cleanup.deletePending(pending.subscriptionId(), pending.sequence());
      }
      return;
    }
    restore(subscription, index, pending);
  }

  private void restore(SubscriptionState subscription, PendingRecord pending) {
    int index = subscription.queue.log.find(pending.sequence());
    if (index >= 0) {
      restore(subscription, index, pending);
    }
  }

  private void restore(SubscriptionState subscription, int index, PendingRecord pending) {
    subscription.queue.log.addUnresolved(index, 1);
    HandedLease lease = handedLease(subscription.id(), pending.sequence());
    if (pending.missed()) {
      subscription.addMissed(pending.sequence(), pending.availableAtMs());
    } else if (lease != null) {
      subscription.addLeased(new Delivery(pending.sequence(), Math.max(pending.attempts(), lease.attempts()),
          pending.availableAtMs()), lease.leaseId(), lease.expiresAtMs());
    } else if (pending.attempts() == 0) {
      subscription.addFresh(pending.sequence(), pending.availableAtMs(), nowMs);
    } else {
      subscription.addDelivery(new Delivery(pending.sequence(), pending.attempts(), pending.availableAtMs()),
          nowMs);
    }
  }

  private HandedLease handedLease(String subscriptionId, long sequence) {
    Map<Long, HandedLease> leases = handed.get(subscriptionId);
    return leases == null ? null : leases.remove(sequence);
  }
}
