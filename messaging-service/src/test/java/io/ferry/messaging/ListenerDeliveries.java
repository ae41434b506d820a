package io.ferry.messaging;

import static io.ferry.messaging.TestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.model.Ack;
import io.ferry.contracts.model.AckRequest;
import io.ferry.contracts.model.AckResult;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.LeaseBatch;
import io.ferry.contracts.model.LeaseRequest;
import io.ferry.contracts.model.LeasedMessage;
import io.ferry.contracts.model.PublishRequest;
import io.ferry.contracts.model.RedeliverRequest;
import io.ferry.contracts.model.RedeliverResult;
import io.ferry.contracts.model.RetryRequest;
import io.ferry.contracts.model.SubscriptionRef;
import io.ferry.contracts.model.SubscriptionSpec;
import io.ferry.contracts.model.SubscriptionStats;
import io.vertx.core.Future;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** A webhook listener's subscription driven over the bus as the dispatcher drives it. */
final class ListenerDeliveries {

  final TestNode node;
  final String queueId;
  final SubscriptionSpec subscription;

  private ListenerDeliveries(TestNode node, String queueId, SubscriptionSpec subscription) {
    this.node = node;
    this.queueId = queueId;
    this.subscription = subscription;
  }

  /** A new listener subscription of the queue, as admin creates it (retries unlimited). */
  static ListenerDeliveries create(TestNode node, String queueId) {
    return of(node, node.subscribe(new SubscriptionSpec(Ids.newId(), queueId, SubscriptionSpec.Kind.LISTENER, 10,
        SubscriptionSpec.UNLIMITED_RETRIES, 5, 30_000, null)));
  }

  static ListenerDeliveries of(TestNode node, SubscriptionSpec subscription) {
    return new ListenerDeliveries(node, subscription.queueId(), subscription);
  }

  void publish(Object... jsonBodies) {
    await(Bus.<Ack>request(node.vertx, Addresses.MESSAGING_PUBLISH,
        new PublishRequest(queueId, Arrays.asList(jsonBodies))));
  }

  List<LeasedMessage> lease(int visibilityTimeoutMs) {
    return await(leaseAsync(visibilityTimeoutMs, 0)).messages();
  }

  Future<LeaseBatch> leaseAsync(int visibilityTimeoutMs, int waitMs) {
    return Bus.request(node.vertx, Addresses.MESSAGING_LEASE,
        new LeaseRequest(queueId, subscription.id(), 10, visibilityTimeoutMs, waitMs));
  }

  LeasedMessage leaseOne() {
    List<LeasedMessage> leased = lease(30_000);
    assertEquals(1, leased.size(), "leased " + leased);
    return leased.get(0);
  }

  AckResult ack(String... leaseIds) {
    return settle(List.of(leaseIds), List.of(), List.of(), List.of());
  }

  AckResult miss(String... leaseIds) {
    return settle(List.of(), List.of(), List.of(leaseIds), List.of());
  }

  AckResult release(String... leaseIds) {
    return settle(List.of(), List.of(), List.of(), List.of(leaseIds));
  }

  AckResult retry(RetryRequest retry) {
    return settle(List.of(), List.of(retry), List.of(), List.of());
  }

  AckResult settle(List<String> acks, List<RetryRequest> retries, List<String> misses, List<String> releases) {
    return await(Bus.request(node.vertx, Addresses.MESSAGING_ACK,
        new AckRequest(queueId, subscription.id(), acks, retries, misses, releases)));
  }

  SubscriptionStats stats() {
    return await(Bus.request(node.vertx, Addresses.MESSAGING_SUBSCRIPTION_STATS,
        new SubscriptionRef(queueId, subscription.id())));
  }

  int redeliver(String... messageIds) {
    return await(Bus.<RedeliverResult>request(node.vertx, Addresses.MESSAGING_REDELIVER,
        new RedeliverRequest(queueId, subscription.id(), List.of(messageIds)))).redelivered();
  }

  /** Redelivers the messages missed at or after {@code sinceMs} (with these ids; all when none are given). */
  int redeliverMissedSince(long sinceMs, String... messageIds) {
    return await(Bus.<RedeliverResult>request(node.vertx, Addresses.MESSAGING_REDELIVER,
        new RedeliverRequest(queueId, subscription.id(), List.of(messageIds), sinceMs))).redelivered();
  }

  /** Leases everything available and misses it; returns the missed message ids in sequence order. */
  List<String> missAll() {
    List<LeasedMessage> leased = lease(30_000);
    AckResult result = miss(leased.stream().map(LeasedMessage::leaseId).toArray(String[]::new));
    assertEquals(Map.of(), result.warnings());
    return leased.stream().map(m -> m.message().id()).toList();
  }
}
