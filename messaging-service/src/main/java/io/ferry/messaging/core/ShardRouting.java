package io.ferry.messaging.core;

import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.SubscriptionSpec;
import io.ferry.messaging.store.HandedLease;
import io.ferry.messaging.store.MessageMeta;
import io.ferry.messaging.store.PendingRecord;
import io.ferry.messaging.store.PurgeRecord;
import io.ferry.messaging.store.StoredStateVisitor;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One read of the store handed out to the shards' recoveries: each entry goes to the recovery of its queue's
 * shard. Entries keyed by subscription (acknowledged counters, pending entries) follow their subscription,
 * which the store reads before them. At start every shard is rebuilt and an entry of no known subscription
 * goes to shard 0, which cleans it up as a leftover; when one shard reloads alone, entries of other shards
 * and of unknown subscriptions are skipped, since the other shards go on writing meanwhile.
 */
final class ShardRouting implements StoredStateVisitor {

  private static final int UNKNOWN = -1;

  private final ShardMap map;
  private final Recovery[] recoveries;
  private final int only;
  private final Map<String, Integer> shardOfSubscription = new HashMap<>();

  private ShardRouting(ShardMap map, Recovery[] recoveries, int only) {
    this.map = map;
    this.recoveries = recoveries;
    this.only = only;
  }

  /**
   * Routes each entry to its shard's recovery ({@code recoveries[s]} rebuilds shard {@code s}); entries of a
   * shard without one are skipped. Leftovers go to shard 0 only when {@code cleanLeftovers} (every shard is
   * being loaded by one instance, as at a full start): otherwise a shard that goes on writing elsewhere, or
   * the reloading shard's own fenced generation, may still own them.
   */
  static ShardRouting to(ShardMap map, Recovery[] recoveries, boolean cleanLeftovers) {
    return new ShardRouting(map, recoveries, cleanLeftovers ? UNKNOWN : 0);
  }

  private Recovery ofQueue(String queueId) {
    return recoveries[map.shardOf(queueId)];
  }

  private Recovery ofSubscription(String subscriptionId) {
    Integer shard = shardOfSubscription.get(subscriptionId);
    if (shard != null) {
      return recoveries[shard];
    }
    return only == UNKNOWN ? recoveries[0] : null;
  }

  @Override
  public void queue(QueueInfo queue) {
    Recovery recovery = ofQueue(queue.id());
    if (recovery != null) {
      recovery.queue(queue);
    }
  }

  @Override
  public void sequenceHead(String queueId, long sequence) {
    Recovery recovery = ofQueue(queueId);
    if (recovery != null) {
      recovery.sequenceHead(queueId, sequence);
    }
  }

  @Override
  public void subscription(SubscriptionSpec subscription) {
    int shard = map.shardOf(subscription.queueId());
    shardOfSubscription.put(subscription.id(), shard);
    if (recoveries[shard] != null) {
      recoveries[shard].subscription(subscription);
    }
  }

  @Override
  public void acknowledged(String subscriptionId, long count) {
    Recovery recovery = ofSubscription(subscriptionId);
    if (recovery != null) {
      recovery.acknowledged(subscriptionId, count);
    }
  }

  @Override
  public void purge(PurgeRecord purge) {
    Recovery recovery = ofQueue(purge.queueId());
    if (recovery != null) {
      recovery.purge(purge);
    }
  }

  @Override
  public void message(MessageMeta message) {
    Recovery recovery = ofQueue(message.queueId());
    if (recovery != null) {
      recovery.message(message);
    }
  }

  @Override
  public boolean loadsEveryQueue() {
    for (Recovery recovery : recoveries) {
      if (recovery == null) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean loadsQueue(String queueId) {
    return ofQueue(queueId) != null;
  }

  @Override
  public Set<Integer> handedShards() {
    Set<Integer> loading = new TreeSet<>();
    for (int shard = 0; shard < recoveries.length; shard++) {
      if (recoveries[shard] != null) {
        loading.add(shard);
      }
    }
    return loading;
  }

  @Override
  public void handedLease(HandedLease lease) {
    if (lease.shard() >= 0 && lease.shard() < recoveries.length && recoveries[lease.shard()] != null) {
      recoveries[lease.shard()].handedLease(lease);
    }
  }

  @Override
  public void pending(PendingRecord pending) {
    Recovery recovery = ofSubscription(pending.subscriptionId());
    if (recovery != null) {
      recovery.pending(pending);
    }
  }
}
