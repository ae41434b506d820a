package io.ferry.messaging.core;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.AckRequest;
import io.ferry.contracts.model.AckResult;
import io.ferry.contracts.model.HistoryPage;
import io.ferry.contracts.model.HistoryRequest;
import io.ferry.contracts.model.LeaseBatch;
import io.ferry.contracts.model.LeaseRequest;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.RetryRequest;
import io.ferry.contracts.model.SubscriptionSpec;
import io.ferry.contracts.model.TopologySnapshot;
import io.ferry.messaging.store.MessageStore;
import io.ferry.messaging.store.StoreBatch;
import io.ferry.messaging.store.StoredState;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The messaging engine: every operation on messages, sequences and delivery state. All state lives on one
 * Vert.x event-loop thread and is never locked; each public method may be called from any thread and hops
 * onto that thread, and its future completes on the caller's context.
 */
public final class MessagingEngine {

  private static final int MAX_BATCH_SIZE = 100;
  private static final int MAX_HISTORY_PAGE = 1000;
  private static final int MAX_BUS_WAIT_MS = 60_000;

  private final Context context;
  private final Thread engineThread;
  private final EngineRuntime runtime;
  private final Deliveries deliveries;
  private final Publisher publisher;
  private final Topology topology;

  private MessagingEngine(Context context, EngineRuntime runtime) {
    this.context = context;
    this.engineThread = Thread.currentThread();
    this.runtime = runtime;
    this.deliveries = new Deliveries(runtime);
    this.publisher = new Publisher(runtime, deliveries);
    this.topology = new Topology(runtime, deliveries);
  }

  /**
   * Builds the engine on the current event-loop context from what the store holds and clears leftovers.
   * Must be called on the context that will own the engine.
   */
  public static Future<MessagingEngine> recover(Vertx vertx, MessageStore store, StoredState stored,
      LongSupplier clock) {
    Context context = Vertx.currentContext();
    if (context == null || !context.isEventLoopContext()) {
      throw new IllegalStateException("the messaging engine must be created on an event-loop context");
    }
    EngineState state = new EngineState();
    StoreBatch cleanup = Recovery.rebuild(stored, state, clock.getAsLong());
    MessagingEngine engine = new MessagingEngine(context, new EngineRuntime(vertx, store, state, clock));
    return store.commit(cleanup).map(engine);
  }

  public Future<PublishResult> publish(Publication publication) {
    return onEngine(() -> publisher.publish(publication));
  }

  /** Leases messages of the queue's http_pull consumer; {@code null} options take the defaults. */
  public Future<LeaseBatch> pull(String accountId, String queueId, Integer batchSize, Integer visibilityTimeoutMs,
      int waitMs) {
    return onEngine(() -> {
      SubscriptionState consumer = pullConsumer(accountId, queueId);
      return deliveries.lease(consumer, batchSize != null ? batchSize : consumer.spec.batchSize(),
          visibilityTimeoutMs != null ? visibilityTimeoutMs : consumer.spec.visibilityTimeoutMs(), waitMs);
    });
  }

  /** Acks and retries leases of the queue's http_pull consumer. */
  public Future<AckResult> ackPulled(String accountId, String queueId, List<String> acks,
      List<RetryRequest> retries) {
    return onEngine(() -> deliveries.ack(pullConsumer(accountId, queueId), acks, retries));
  }

  /** Leases messages of any subscription, for the other services. */
  public Future<LeaseBatch> lease(LeaseRequest request) {
    return onEngine(() -> {
      SubscriptionState subscription = runtime.state.requireSubscription(request.queueId(),
          request.subscriptionId());
      int visibility = request.visibilityTimeoutMs() > 0
          ? request.visibilityTimeoutMs() : subscription.spec.visibilityTimeoutMs();
      return deliveries.lease(subscription, clamp(request.batchSize(), 1, MAX_BATCH_SIZE), visibility,
          clamp(request.waitMs(), 0, MAX_BUS_WAIT_MS));
    });
  }

  public Future<AckResult> ack(AckRequest request) {
    return onEngine(() -> deliveries.ack(
        runtime.state.requireSubscription(request.queueId(), request.subscriptionId()),
        request.acks(), request.retries()));
  }

  /** Retained, published messages from a sequence on, with the published head at the time of the read. */
  public Future<HistoryPage> history(HistoryRequest request) {
    return onEngine(() -> {
      QueueState queue = runtime.state.requireQueue(null, request.queueId());
      long head = queue.publishedSequence;
      long from = Math.max(1, request.fromSequence());
      if (from > head) {
        return Future.succeededFuture(new HistoryPage(List.of(), head));
      }
      return runtime.store.scan(queue.id(), from, head, request.key(),
              clamp(request.limit(), 1, MAX_HISTORY_PAGE))
          .map(messages -> new HistoryPage(messages, head));
    });
  }

  public Future<Void> upsertQueue(QueueInfo queue) {
    return onEngine(() -> topology.upsertQueue(queue));
  }

  public Future<Void> deleteQueue(String queueId) {
    return onEngine(() -> topology.deleteQueue(queueId));
  }

  public Future<Void> upsertSubscription(SubscriptionSpec spec) {
    return onEngine(() -> topology.upsertSubscription(spec));
  }

  public Future<Void> deleteSubscription(String subscriptionId) {
    return onEngine(() -> topology.deleteSubscription(subscriptionId));
  }

  public Future<Void> reconcile(TopologySnapshot snapshot) {
    return onEngine(() -> topology.reconcile(snapshot));
  }

  /** Returns expired leases and due delayed messages to their ready sets (called periodically). */
  public void sweep() {
    onEngine(() -> {
      deliveries.sweep();
      return Future.succeededFuture();
    });
  }

  private SubscriptionState pullConsumer(String accountId, String queueId) {
    QueueState queue = runtime.state.requireQueue(accountId, queueId);
    SubscriptionState consumer = queue.pullConsumer();
    if (consumer == null) {
      throw new FerryException(ErrorCode.NO_PULL_CONSUMER, "queue " + queue.info.name()
          + " has no http_pull consumer; create one with POST .../queues/" + queueId
          + "/consumers {\"type\":\"http_pull\"} before pulling");
    }
    return consumer;
  }

  // Running on the engine's event-loop thread is what keeps the state single-threaded, whichever context
  // (a duplicate for an event-bus handler, say) the caller is on.
  private <T> Future<T> onEngine(Supplier<Future<T>> operation) {
    if (Thread.currentThread() == engineThread) {
      return run(operation);
    }
    Context caller = Vertx.currentContext();
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> run(operation).onComplete(result -> {
      if (caller == null) {
        promise.handle(result);
      } else {
        caller.runOnContext(x -> promise.handle(result));
      }
    }));
    return promise.future();
  }

  private static <T> Future<T> run(Supplier<Future<T>> operation) {
    try {
      return operation.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private static int clamp(int value, int min, int max) {
    return Math.max(min, Math.min(max, value));
  }
}
