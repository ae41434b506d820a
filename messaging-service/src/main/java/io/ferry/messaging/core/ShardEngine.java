package io.ferry.messaging.core;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.AckRequest;
import io.ferry.contracts.model.AckResult;
import io.ferry.contracts.model.HistoryPage;
import io.ferry.contracts.model.HistoryRequest;
import io.ferry.contracts.model.LeaseBatch;
import io.ferry.contracts.model.LeaseRequest;
import io.ferry.contracts.model.PurgeStatus;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueMetrics;
import io.ferry.contracts.model.RedeliverRequest;
import io.ferry.contracts.model.RedeliverResult;
import io.ferry.contracts.model.RetryRequest;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.contracts.model.SubscriptionRef;
import io.ferry.contracts.model.SubscriptionSpec;
import io.ferry.contracts.model.SubscriptionStats;
import io.ferry.contracts.model.TopologySnapshot;
import io.ferry.messaging.store.HandedLease;
import io.ferry.messaging.store.MessageStore;
import io.ferry.messaging.store.StoreBatch;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine of one shard: every operation on the messages, sequences and delivery state of the shard's
 * queues. Its state lives on one Vert.x event-loop thread and is never locked; each method may be called from
 * any thread and hops onto that thread, and its future completes on the caller's context. After a commit
 * whose outcome is unknown the shard answers UNAVAILABLE until it has reloaded its state from the store
 * ({@link Resync}). {@link MessagingEngine} routes each operation to the shard of its queue.
 */
final class ShardEngine implements Shard, ServingState {

  private static final Logger LOG = LoggerFactory.getLogger(ShardEngine.class);
  private static final int MAX_BATCH_SIZE = 100;
  private static final int MAX_HISTORY_PAGE = 1000;
  private static final int MAX_BUS_WAIT_MS = 60_000;

  private final Context context;
  private final Thread engineThread;
  private final Vertx vertx;
  private final EngineClock clock;
  private final LiveFeed feed;
  private final EventSink events;
  private final AppendBudget appendBudget;
  private final ShardPeers peers;
  private final Resync resync;
  private final MessageStore shardStore;
  private final EngineMeters meters;
  private final int shard;
  // Set once the shard leaves this instance (released or lost); requests then fail ShardMoved, untouched.
  private volatile boolean moved;
  // One generation of the engine: the hot state and the components working on it, replaced on a resync.
  private EngineRuntime runtime;
  private Deliveries deliveries;
  private Publisher publisher;
  private Settlements settlements;
  private Sweeper sweeper;
  private Topology topology;
  private Catalog catalog;
  private Purges purges;
  private Misses misses;
  // Ids of the queues and subscriptions that topology commands changed since the reconciler asked admin for a
  // snapshot (null when none is on its way): the snapshot may have been read before them, so the reconciliation
  // leaves them as the commands made them. Kept across a resync, which asks for a snapshot of its own.
  private Set<String> commandedSinceSnapshot;

  private ShardEngine(Vertx vertx, MessageStore store, EngineClock clock, LiveFeed feed, EventSink events,
      AppendBudget appendBudget, ShardPeers peers, ShardMap shards, int shard, QueueNames names) {
    this.context = vertx.getOrCreateContext();
    this.engineThread = Thread.currentThread();
    this.vertx = vertx;
    this.clock = clock;
    this.feed = feed;
    this.events = events;
    this.appendBudget = appendBudget;
    this.peers = peers;
    // The shard's own commits keep their order among themselves only, so on a store that can, they run beside
    // the other shards' (PostgreSQL: a transaction in flight per shard); a resync reloads through it too.
    MessageStore shardStore = store.forShard(shard);
    this.shardStore = shardStore;
    this.resync = new Resync(vertx, shardStore, clock,
        () -> Recovery.rebuild(shardStore, clock.nowMs(), shards, shard, names), this::install);
    this.meters = EngineMeters.fromDefaultRegistry(clock::nowMs);
    this.shard = shard;
  }

  /**
   * Makes {@code state}, recovered from {@code store}, shard {@code shard}'s. Must be called on the event-loop
   * context that is to own the shard.
   */
  static ShardEngine start(Vertx vertx, MessageStore store, EngineClock clock, LiveFeed feed, EventSink events,
      AppendBudget appendBudget, ShardPeers peers, ShardMap shards, int shard, QueueNames names,
      EngineState state) {
    Context context = Vertx.currentContext();
    if (context == null || !context.isEventLoopContext()) {
      throw new IllegalStateException("a messaging shard must be started on an event-loop context");
    }
    ShardEngine engine = new ShardEngine(vertx, store, clock, feed, events, appendBudget, peers, shards, shard,
        names);
    engine.install(state);
    return engine;
  }

  private void install(EngineState state) {
    runtime = new EngineRuntime(vertx, resync.watch(state), state, clock, feed, events, meters, appendBudget,
        peers);
    deliveries = new Deliveries(runtime);
    publisher = new Publisher(runtime, deliveries);
    settlements = new Settlements(runtime, publisher, deliveries);
    Removals removals = new Removals(runtime);
    sweeper = new Sweeper(runtime, deliveries, settlements, removals);
    topology = new Topology(runtime, deliveries);
    catalog = new Catalog(runtime, removals);
    purges = new Purges(runtime, removals);
    misses = new Misses(runtime, deliveries);
  }

  /**
   * Whether the engine serves requests: false while it reloads its state from the store after a commit whose
   * outcome is unknown (every request then fails UNAVAILABLE). Any thread.
   */
  @Override
  public boolean serving() {
    return resync.serving();
  }

  /**
   * Runs {@code action} on the engine's context each time the engine serves again after reloading its state
   * from the store; changes it was sent while it could not serve were refused and may need asking again.
   */
  public void whenResynced(Runnable action) {
    context.runOnContext(v -> resync.whenResynced(action));
  }

  @Override
  public Future<PublishResult> publish(Publication publication) {
    return onEngine(() -> publisher.publish(publication));
  }

  /** Leases messages of the queue's http_pull consumer; {@code null} options take the defaults. */
  @Override
  public Future<LeaseBatch> pull(String accountId, String queueId, Integer batchSize, Integer visibilityTimeoutMs,
      int waitMs) {
    return onEngine(() -> {
      SubscriptionState consumer = pullConsumer(accountId, queueId);
      return deliveries.lease(consumer, batchSize != null ? batchSize : consumer.spec.batchSize(),
          visibilityTimeoutMs != null ? visibilityTimeoutMs : consumer.spec.visibilityTimeoutMs(), waitMs);
    });
  }

  /** Acks and retries leases of the queue's http_pull consumer. */
  @Override
  public Future<AckResult> ackPulled(String accountId, String queueId, List<String> acks,
      List<RetryRequest> retries) {
    return onEngine(() -> settlements.ack(pullConsumer(accountId, queueId), acks, retries, List.of(), List.of()));
  }

  /** Leases messages of any subscription, for the other services. */
  @Override
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

  @Override
  public Future<AckResult> ack(AckRequest request) {
    return onEngine(() -> settlements.ack(
        runtime.state.requireSubscription(request.queueId(), request.subscriptionId()),
        Objects.requireNonNullElse(request.acks(), List.of()),
        Objects.requireNonNullElse(request.retries(), List.of()),
        Objects.requireNonNullElse(request.misses(), List.of()),
        Objects.requireNonNullElse(request.releases(), List.of())));
  }

  /** A subscription's acknowledged count and missed messages; fails NOT_FOUND. */
  @Override
  public Future<SubscriptionStats> subscriptionStats(SubscriptionRef ref) {
    return onEngine(() -> misses.stats(runtime.state.requireSubscription(ref.queueId(), ref.subscriptionId())));
  }

  /** Makes missed messages of a subscription available again, durably before completing; fails NOT_FOUND. */
  @Override
  public Future<RedeliverResult> redeliver(RedeliverRequest request) {
    return onEngine(() -> misses.redeliver(
        runtime.state.requireSubscription(request.queueId(), request.subscriptionId()),
        Objects.requireNonNullElse(request.messageIds(), List.of()), request.missedSinceMs()));
  }

  /**
   * Retained, published messages from a sequence on (settled ones included: history is the log), with the
   * published head and the oldest retained sequence at the time of the read.
   */
  @Override
  public Future<HistoryPage> history(HistoryRequest request) {
    return onEngine(() -> {
      QueueState queue = runtime.state.requireQueue(null, request.queueId());
      long head = queue.publishedSequence;
      long oldest = queue.log.oldestSequence();
      long from = Math.max(1, request.fromSequence());
      if (from > head) {
        return Future.succeededFuture(new HistoryPage(List.of(), head, oldest));
      }
      return runtime.store.scan(queue.id(), from, head, request.key(),
              clamp(request.limit(), 1, MAX_HISTORY_PAGE))
          .map(messages -> new HistoryPage(messages, head, oldest));
    });
  }

  @Override
  public Future<QueueMetrics> metrics(String accountId, String queueId) {
    return onEngine(() -> Future.succeededFuture(catalog.metrics(accountId, queueId)));
  }

  /** The queue's first retained messages, without leasing them. */
  @Override
  public Future<List<PeekedMessage>> peek(String accountId, String queueId, int batchSize) {
    return onEngine(() -> catalog.peek(accountId, queueId, batchSize));
  }

  /** Retained messages of a queue after the message {@code startAfter} ({@code null}: from the first). */
  @Override
  public Future<List<MessageSummary>> listMessages(String accountId, String queueId, String startAfter, int limit) {
    return onEngine(() -> catalog.list(accountId, queueId, startAfter, limit));
  }

  /** The ids of the account's queues on this shard. */
  @Override
  public Future<List<String>> queueIdsOf(String accountId) {
    return onEngine(() -> Future.succeededFuture(runtime.state.queues().stream()
        .filter(queue -> queue.info.accountId().equals(accountId)).map(QueueState::id).toList()));
  }

  /** See {@link ShardPeers#appendDeadLetterCopy}. */
  @Override
  public Future<String> appendDeadLetterCopy(String queueId, NewMessage message) {
    return onEngine(() -> {
      QueueState queue = runtime.state.queue(queueId);
      return queue == null ? Future.succeededFuture() : publisher.appendCopy(queue, message);
    });
  }

  /** A retained message by id; fails NOT_FOUND. */
  @Override
  public Future<StoredMessage> message(String accountId, String queueId, String messageId) {
    return onEngine(() -> catalog.get(accountId, queueId, messageId));
  }

  /** Deletes a retained message for every subscription; completes with it, fails NOT_FOUND. */
  @Override
  public Future<StoredMessage> deleteMessage(String accountId, String queueId, String messageId) {
    return onEngine(() -> catalog.delete(accountId, queueId, messageId));
  }

  /** Deletes messages by id; completes with the ids that named no retained message. */
  @Override
  public Future<List<String>> deleteMessages(String accountId, String queueId, List<String> messageIds) {
    return onEngine(() -> catalog.deleteByIds(accountId, queueId, messageIds));
  }

  /** Deletes every retained message of the queue whose frame id is {@code key}. */
  @Override
  public Future<Void> deleteByKey(String queueId, String key) {
    return onEngine(() -> catalog.deleteByKey(queueId, key));
  }

  /** Starts purging the queue; completes once the start is durable. */
  @Override
  public Future<PurgeStatus> purge(String accountId, String queueId) {
    return onEngine(() -> purges.purge(accountId, queueId));
  }

  @Override
  public Future<PurgeStatus> purgeStatus(String accountId, String queueId) {
    return onEngine(() -> Future.succeededFuture(purges.status(accountId, queueId)));
  }

  @Override
  public Future<Void> upsertQueue(QueueInfo queue) {
    return onEngine(() -> {
      commanded(queue == null ? null : queue.id());
      return topology.upsertQueue(queue);
    });
  }

  @Override
  public Future<Void> deleteQueue(String queueId) {
    return onEngine(() -> {
      commanded(queueId);
      return topology.deleteQueue(queueId);
    });
  }

  @Override
  public Future<Void> upsertSubscription(SubscriptionSpec spec) {
    return onEngine(() -> {
      commanded(spec == null ? null : spec.id());
      return topology.upsertSubscription(spec);
    });
  }

  @Override
  public Future<Void> deleteSubscription(String subscriptionId) {
    return onEngine(() -> {
      commanded(subscriptionId);
      return topology.deleteSubscription(subscriptionId);
    });
  }

  /**
   * The reconciler is about to ask admin for a snapshot: topology commands from now on are newer than it, and
   * the {@link #reconcile} that applies it leaves what they changed alone.
   */
  public Future<Void> snapshotAsked() {
    return onEngine(() -> {
      commandedSinceSnapshot = new HashSet<>();
      return Future.succeededFuture();
    });
  }

  /** Applies admin's snapshot, except to what topology commands changed since it was asked for. */
  public Future<Void> reconcile(TopologySnapshot snapshot) {
    return onEngine(() -> {
      Set<String> newer = commandedSinceSnapshot == null ? Set.of() : commandedSinceSnapshot;
      commandedSinceSnapshot = null;
      return topology.reconcile(snapshot, newer);
    });
  }

  private void commanded(String id) {
    if (commandedSinceSnapshot != null && id != null) {
      commandedSinceSnapshot.add(id);
    }
  }

  /**
   * Makes due delayed messages ready, returns or dead-letters expired leases and removes messages past their
   * retention, as of the clock's now. A node calls it periodically; completes once what it changed is
   * durable and applied.
   */
  public Future<Void> sweep() {
    return onEngine(sweeper::sweep);
  }

  /**
   * Copies every queue's backlog, lease and delay figures for {@code /metrics}, samples the queues' histories
   * (a point per {@link QueueHistory#RESOLUTION_MS} of the engine's clock) and drops the series of queues that
   * are gone. A node calls it about once a second.
   */
  public void refreshMeters() {
    context.runOnContext(v -> {
      // A refresh queued before the shard left would bring back the meters its leaving removed.
      if (!moved) {
        meters.refresh(runtime.state);
      }
    });
  }

  /** The queue's history points taken in the last {@code minutes}, oldest first; fails QUEUE_NOT_FOUND. */
  @Override
  public Future<List<QueueHistory.Point>> history(String accountId, String queueId, int minutes) {
    return onEngine(() -> Future.succeededFuture(meters.historyOf(runtime.state.requireQueue(accountId, queueId))
        .since(clock.nowMs() - minutes * 60_000L)));
  }

  /**
   * The shard leaves this instance: requests from now on fail {@link ShardMoved} without running, parked polls
   * end (with nothing when {@code lost} is false, the shard being handed over; UNAVAILABLE when it was lost),
   * no commit of the shard reaches the store any more, and its meters go. Handed over (not {@code lost}), the
   * leases out then are written for the next owner, which restores them as they are: a planned move delivers
   * nothing again. Completes on the engine's context once the commits in flight have settled and the leases
   * are written, so that the next owner loads everything this one wrote.
   */
  Future<Void> leave(boolean lost) {
    moved = true;
    Promise<Void> left = Promise.promise();
    context.runOnContext(v -> {
      runtime.state.queues().forEach(queue -> meters.remove(queue.id()));
      // A shard reloading after a failed commit has no leases worth keeping: its reload drops them anyway.
      boolean handing = !lost && resync.serving();
      // A request that began here but asks for its commit only now (after a schema check on a worker thread, a
      // dead-lettered copy written to another shard first) wrote nothing of this shard: it goes on to the new
      // owner (which may write such a copy again, as at-least-once allows).
      resync.stop(lost, () -> new ShardMoved(shard)).compose(settled -> handing ? handOver() : Future.<Void>succeededFuture())
          .onComplete(left);
    });
    return left.future();
  }

  // The shard's last commit here, fenced by its epoch as every commit is: once another instance took the shard,
  // nothing is handed over, and its leases' messages are delivered again there as after a crash.
  private Future<Void> handOver() {
    StoreBatch leases = new StoreBatch();
    for (SubscriptionState subscription : runtime.state.subscriptions()) {
      subscription.forEachLeased(delivery -> leases.handLease(new HandedLease(shard, subscription.id(),
          delivery.sequence, delivery.leaseId, delivery.leaseExpiresAtMs, delivery.attempts)));
    }
    int count = leases.mutations().size();
    return shardStore.commit(leases).transform(written -> {
      if (written.failed()) {
        LOG.warn("could not hand the {} leases out on shard {} over to its next owner, which delivers their"
            + " messages again: {}", count, shard, written.cause().getMessage());
      } else if (count > 0) {
        LOG.info("handed {} leases out on shard {} over to its next owner", count, shard);
      }
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

  private <T> Future<T> run(Supplier<Future<T>> operation) {
    try {
      if (moved) {
        throw new ShardMoved(shard);
      }
      resync.requireServing();
      return operation.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private static int clamp(int value, int min, int max) {
    return Math.max(min, Math.min(max, value));
  }
}
