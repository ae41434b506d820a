package io.ferry.messaging.store;

import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.SubscriptionSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** Everything a store's load hands over, collected into lists (in the order received) for assertions. */
final class CollectedState implements StoredStateVisitor {

  final List<QueueInfo> queues = new ArrayList<>();
  final Map<String, Long> sequenceHeads = new HashMap<>();
  final List<SubscriptionSpec> subscriptions = new ArrayList<>();
  final Map<String, Long> acknowledged = new HashMap<>();
  final List<PurgeRecord> purges = new ArrayList<>();
  final List<MessageMeta> messages = new ArrayList<>();
  final List<PendingRecord> pending = new ArrayList<>();
  final List<HandedLease> handed = new ArrayList<>();
  final List<String> order = new ArrayList<>();
  private final Set<Integer> handedShards;
  // Null: every queue's entries (a start with every shard).
  private final Predicate<String> loading;

  CollectedState() {
    this(Set.of());
  }

  /** Collects the leases handed over with {@code handedShards} too. */
  CollectedState(Set<Integer> handedShards) {
    this(handedShards, null);
  }

  /** A load of some shards: collects the entries of the queues {@code loading} names (and their hand-over). */
  CollectedState(Set<Integer> handedShards, Predicate<String> loading) {
    this.handedShards = handedShards;
    this.loading = loading;
  }

  @Override
  public void queue(QueueInfo queue) {
    queues.add(queue);
    note("queue");
  }

  @Override
  public void sequenceHead(String queueId, long sequence) {
    sequenceHeads.put(queueId, sequence);
    note("head");
  }

  @Override
  public void subscription(SubscriptionSpec subscription) {
    subscriptions.add(subscription);
    note("subscription");
  }

  @Override
  public void acknowledged(String subscriptionId, long count) {
    acknowledged.put(subscriptionId, count);
    note("acknowledged");
  }

  @Override
  public void purge(PurgeRecord purge) {
    purges.add(purge);
    note("purge");
  }

  @Override
  public void message(MessageMeta message) {
    messages.add(message);
    note("message");
  }

  @Override
  public boolean loadsEveryQueue() {
    return loading == null;
  }

  @Override
  public boolean loadsQueue(String queueId) {
    return loading == null || loading.test(queueId);
  }

  @Override
  public Set<Integer> handedShards() {
    return handedShards;
  }

  @Override
  public void handedLease(HandedLease lease) {
    handed.add(lease);
    note("handed");
  }

  @Override
  public void pending(PendingRecord record) {
    pending.add(record);
    note("pending");
  }

  private void note(String kind) {
    if (order.isEmpty() || !order.get(order.size() - 1).equals(kind)) {
      order.add(kind);
    }
  }
}
