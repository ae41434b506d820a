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
import io.ferry.contracts.model.RetryRequest;
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

/**
 * Stands in for messaging-service: hands out the messages a test queues, records leases and settlements.
 * Like messaging, it makes a retried message available again after the delay asked for (attempts + 1) and a
 * released one at once (same attempts); a held lease request is answered as soon as a message arrives.
 */
final class StandInMessaging {

  private static final QueueMetrics NO_METRICS = new QueueMetrics(0, 0, 0);

  private final Vertx vertx;
  private final Map<String, Queue<LeasedMessage>> available = new ConcurrentHashMap<>();
  private final Map<String, LeasedMessage> leased = new ConcurrentHashMap<>();
  private final List<Runnable> heldLeases = new CopyOnWriteArrayList<>();
  final List<LeaseRequest> leases = new CopyOnWriteArrayList<>();
  final List<Long> leaseTimesNanos = new CopyOnWriteArrayList<>();
  final List<AckRequest> settlements = new CopyOnWriteArrayList<>();
  /** Lease requests to fail before answering normally, to exercise the bus back-off. */
  final AtomicInteger leaseFailuresToInject = new AtomicInteger();
  /** How long an ack request takes to be answered, like a slow durable write. */
  volatile long ackDelayMs;

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
    LeasedMessage next = new LeasedMessage(message, Ids.newId(), attempts);
    offer(subscriptionId, next);
    return next;
  }

  long leaseCount(String subscriptionId) {
    return leases.stream().filter(l -> l.subscriptionId().equals(subscriptionId)).count();
  }

  int acked() {
    return settlements.stream().mapToInt(s -> s.acks().size()).sum();
  }

  List<String> released() {
    return settlements.stream().flatMap(s -> s.releases().stream()).toList();
  }

  List<String> missed() {
    return settlements.stream().flatMap(s -> s.misses().stream()).toList();
  }

  List<RetryRequest> retried() {
    return settlements.stream().flatMap(s -> s.retries().stream()).toList();
  }

  private void offer(String subscriptionId, LeasedMessage message) {
    available.computeIfAbsent(subscriptionId, id -> new ConcurrentLinkedQueue<>()).add(message);
    heldLeases.forEach(Runnable::run);
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
    Runnable wake = new Runnable() {
      @Override
      public void run() {
        vertx.runOnContext(v -> {
          List<LeasedMessage> arrived = take(request);
          if (!arrived.isEmpty() && held.tryComplete(new LeaseBatch(arrived, NO_METRICS))) {
            heldLeases.remove(this);
          } else {
            giveBack(request.subscriptionId(), arrived);
          }
        });
      }
    };
    heldLeases.add(wake);
    vertx.setTimer(request.waitMs(), id -> {
      heldLeases.remove(wake);
      List<LeasedMessage> last = take(request);
      if (!held.tryComplete(new LeaseBatch(last, NO_METRICS))) {
        giveBack(request.subscriptionId(), last);
      }
    });
    return held.future();
  }

  private void giveBack(String subscriptionId, List<LeasedMessage> messages) {
    messages.forEach(m -> {
      leased.remove(m.leaseId());
      available.get(subscriptionId).add(m);
    });
  }

  private List<LeasedMessage> take(LeaseRequest request) {
    Queue<LeasedMessage> queue = available.getOrDefault(request.subscriptionId(), new ConcurrentLinkedQueue<>());
    List<LeasedMessage> batch = new ArrayList<>();
    LeasedMessage next;
    while (batch.size() < request.batchSize() && (next = queue.poll()) != null) {
      batch.add(next);
      leased.put(next.leaseId(), next);
    }
    return batch;
  }

  private Future<AckResult> ack(AckRequest request) {
    settlements.add(request);
    for (RetryRequest retry : request.retries()) {
      LeasedMessage before = leased.remove(retry.leaseId());
      if (before != null) {
        LeasedMessage again = new LeasedMessage(before.message(), Ids.newId(), before.attempts() + 1);
        long delayMs = retry.requestedDelayMs() == null ? 0 : retry.requestedDelayMs();
        vertx.setTimer(Math.max(1, delayMs), id -> offer(request.subscriptionId(), again));
      }
    }
    for (String release : request.releases()) {
      LeasedMessage before = leased.remove(release);
      if (before != null) {
        offer(request.subscriptionId(), new LeasedMessage(before.message(), Ids.newId(), before.attempts()));
      }
    }
    request.acks().forEach(leased::remove);
    request.misses().forEach(leased::remove);
    AckResult result = new AckResult(request.acks().size(), request.retries().size(), Map.of());
    if (ackDelayMs == 0) {
      return Future.succeededFuture(result);
    }
    Promise<AckResult> slow = Promise.promise();
    vertx.setTimer(ackDelayMs, id -> slow.complete(result));
    return slow.future();
  }
}
