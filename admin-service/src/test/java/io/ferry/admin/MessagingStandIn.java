package io.ferry.admin;

import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.Ack;
import io.ferry.contracts.model.PurgeStatus;
import io.ferry.contracts.model.RedeliverRequest;
import io.ferry.contracts.model.RedeliverResult;
import io.ferry.contracts.model.SubscriptionRef;
import io.ferry.contracts.model.SubscriptionStats;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** Stands in for messaging-service's command addresses: records what it got, acks or fails on demand. */
final class MessagingStandIn {

  static final List<String> ADDRESSES = List.of(Addresses.MESSAGING_QUEUE_UPSERT,
      Addresses.MESSAGING_QUEUE_DELETE, Addresses.MESSAGING_SUBSCRIPTION_UPSERT,
      Addresses.MESSAGING_SUBSCRIPTION_DELETE, Addresses.MESSAGING_QUEUE_PURGE, Addresses.MESSAGING_PURGE_STATUS,
      Addresses.MESSAGING_SUBSCRIPTION_STATS, Addresses.MESSAGING_REDELIVER,
      Addresses.MESSAGING_PUBLISH); // publish: event subscriptions' deliveries, recorded and acked

  record Command(String address, Object payload) {
  }

  final List<Command> received = new CopyOnWriteArrayList<>();
  private final Vertx vertx;
  private final List<MessageConsumer<Object>> consumers = new ArrayList<>();
  private volatile String failingAddress;
  private volatile long purgeStartedAtMs;
  /** What SUBSCRIPTION_STATS answers per subscription id; an id not here is NOT_FOUND. */
  final Map<String, SubscriptionStats> stats = new ConcurrentHashMap<>();
  /** What REDELIVER answers when no ids are named (every missed message). */
  volatile int missedCount;

  MessagingStandIn(Vertx vertx) {
    this.vertx = vertx;
  }

  MessagingStandIn register() throws Exception {
    for (String address : ADDRESSES) {
      MessageConsumer<Object> consumer = vertx.eventBus().consumer(address, message -> {
        received.add(new Command(address, message.body()));
        if (address.equals(failingAddress)) {
          new FerryException(ErrorCode.INTERNAL, "stand-in failure").replyTo(message);
        } else if (message.body() instanceof SubscriptionRef ref && !stats.containsKey(ref.subscriptionId())) {
          new FerryException(ErrorCode.NOT_FOUND, "no subscription " + ref.subscriptionId()).replyTo(message);
        } else {
          message.reply(reply(address, message.body()));
        }
      });
      consumer.completion().await(5, TimeUnit.SECONDS);
      consumers.add(consumer);
    }
    return this;
  }

  // Purges complete at once here; the real purge is tested in messaging-service.
  private Object reply(String address, Object payload) {
    if (address.equals(Addresses.MESSAGING_QUEUE_PURGE)) {
      purgeStartedAtMs = System.currentTimeMillis();
      return new PurgeStatus(true, purgeStartedAtMs);
    }
    if (address.equals(Addresses.MESSAGING_PURGE_STATUS)) {
      return new PurgeStatus(purgeStartedAtMs != 0, purgeStartedAtMs);
    }
    if (payload instanceof SubscriptionRef ref) {
      return stats.get(ref.subscriptionId());
    }
    if (payload instanceof RedeliverRequest request) {
      return new RedeliverResult(request.messageIds().isEmpty() ? missedCount : request.messageIds().size());
    }
    return Ack.INSTANCE;
  }

  /** Makes messaging unreachable: nothing listens on its addresses any more. */
  void unregister() throws Exception {
    for (MessageConsumer<Object> consumer : consumers) {
      consumer.unregister().await(5, TimeUnit.SECONDS);
    }
    consumers.clear();
  }

  boolean registered() {
    return !consumers.isEmpty();
  }

  /** Makes the command on {@code address} fail (reachable but refusing); {@code null} heals. */
  void failOn(String address) {
    this.failingAddress = address;
  }

  <T> List<T> payloads(String address, Class<T> type) {
    return received.stream().filter(c -> c.address().equals(address)).map(c -> type.cast(c.payload())).toList();
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.await(10, TimeUnit.SECONDS);
  }
}
