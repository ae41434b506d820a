package io.ferry.dispatcher;

import io.ferry.contracts.bus.Addresses;
import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.AckRequest;
import io.ferry.contracts.model.AckResult;
import io.ferry.contracts.model.ContentType;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.LeaseBatch;
import io.ferry.contracts.model.LeaseRequest;
import io.ferry.contracts.model.LeasedMessage;
import io.ferry.contracts.model.QueueMetrics;
import io.ferry.contracts.model.StoredMessage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Stands in for messaging-service: hands out the messages a test queues, records leases and settlements. */
final class StandInMessaging {

  private static final QueueMetrics NO_METRICS = new QueueMetrics(0, 0, 0);

  private final Vertx vertx;
  private final Map<String, Queue<LeasedMessage>> available = new ConcurrentHashMap<>();
  final List<LeaseRequest> leases = new CopyOnWriteArrayList<>();
  final List<Long> leaseTimesNanos = new CopyOnWriteArrayList<>();
  final List<AckRequest> settlements = new CopyOnWriteArrayList<>();
  /** Lease requests to fail before answering normally, to exercise the bus back-off. */
  final AtomicInteger leaseFailuresToInject = new AtomicInteger();

  StandInMessaging(Vertx vertx) {
    this.vertx = vertx;
  }

  Future<Void> serve() {
    return Future.all(
        Bus.<LeaseRequest, LeaseBatch>serve(vertx, Addresses.MESSAGING_LEASE, this::lease),
        Bus.<AckRequest, AckResult>serve(vertx, Addresses.MESSAGING_ACK, this::ack)).mapEmpty();
  }

  /** Queues a JSON message for a subscription and returns it as it will be leased. */
  LeasedMessage offerJson(String queueId, String subscriptionId, String json, int attempts) {
    StoredMessage message = new StoredMessage(Ids.newId(), queueId, 7, "order-7", ContentType.JSON,
        json.getBytes(StandardCharsets.UTF_8), 1_700_000_000_123L, 1_700_000_000_123L);
    LeasedMessage leased = new LeasedMessage(message, Ids.newId(), attempts);
    available.computeIfAbsent(subscriptionId, id -> new ConcurrentLinkedQueue<>()).add(leased);
    return leased;
  }

  long leaseCount(String subscriptionId) {
    return leases.stream().filter(l -> l.subscriptionId().equals(subscriptionId)).count();
  }

  private Future<LeaseBatch> lease(LeaseRequest request) {
    leaseTimesNanos.add(System.nanoTime());
    leases.add(request);
    if (leaseFailuresToInject.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return Future.failedFuture(new FerryException(ErrorCode.UNAVAILABLE, "messaging is restarting"));
    }
    List<LeasedMessage> batch = take(request);
    if (!batch.isEmpty() || request.waitMs() == 0) {
      return Future.succeededFuture(new LeaseBatch(batch, NO_METRICS));
    }
    Promise<LeaseBatch> held = Promise.promise();
    vertx.setTimer(request.waitMs(), id -> held.complete(new LeaseBatch(take(request), NO_METRICS)));
    return held.future();
  }

  private List<LeasedMessage> take(LeaseRequest request) {
    Queue<LeasedMessage> queue = available.getOrDefault(request.subscriptionId(), new ConcurrentLinkedQueue<>());
    List<LeasedMessage> batch = new ArrayList<>();
    LeasedMessage next;
    while (batch.size() < request.batchSize() && (next = queue.poll()) != null) {
      batch.add(next);
    }
    return batch;
  }

  private Future<AckResult> ack(AckRequest request) {
    settlements.add(request);
    return Future.succeededFuture(new AckResult(request.acks().size(), request.retries().size(), List.of()));
  }
}
