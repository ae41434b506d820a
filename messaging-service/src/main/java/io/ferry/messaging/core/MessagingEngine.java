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
import io.ferry.messaging.store.MessageStore;
import io.ferry.messaging.store.ShardOwnership;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The messaging engine: every operation on messages, sequences and delivery state. Queues are split into
 * shards by a stable hash of their id ({@link ShardMap}); each shard's hot state lives on one event-loop
 * thread and is never locked, and the shards are spread over the process's event loops, so one queue stays
 * single-threaded while many queues use every core. Which shards this instance serves is the store's call
 * ({@link ShardOwnership}): a shard it owns is served here, any other is forwarded to its owner
 * ({@link ShardLinks}; docs/scale-out.md). Each method may be called from any thread; it goes to the shard of
 * its queue and its future completes on the caller's context. The few operations that span queues (topology
 * reconciliation, the sweep, an account's message listing) visit every shard.
 */
public final class MessagingEngine implements ServingState, ShardPeers, ShardOwnership.Listener {

  private static final Logger LOG = LoggerFactory.getLogger(MessagingEngine.class);

  /** Default bound on the bytes of appends waiting for the store before producers get QUEUE_OVERLOADED. */
  public static final long DEFAULT_MAX_QUEUED_APPEND_BYTES = 32L * 1024 * 1024;

  private final Vertx vertx;
  private final MessageStore store;
  private final EngineClock clock;
  private final LiveFeed feed;
  private final EventSink events;
  private final AppendBudget budget;
  private final ShardMap map;
  private final List<Context> contexts;
  private final ShardOwnership ownership;
  private final ShardLinks links;
  private final QueueNames names = new QueueNames();
  // The shards this instance serves now; a shard being loaded, released or lost has none and is forwarded.
  private final AtomicReferenceArray<ShardEngine> local;
  private final List<Future<Void>> loading = new ArrayList<>();
  // Each gained shard's load (with its install), so that a release or loss arriving meanwhile waits for it.
  private final Map<Integer, Future<Void>> loads = new ConcurrentHashMap<>();
  // The addresses of shards handed over, kept until their new owners serve them: a stop waits for them.
  private final Set<Future<Void>> handingOff = ConcurrentHashMap.newKeySet();
  private volatile boolean firstRoundDone;
  private volatile Runnable onResynced = () -> { };

  private MessagingEngine(Vertx vertx, MessageStore store, EngineClock clock, LiveFeed feed, EventSink events,
      long maxQueuedAppendBytes, ShardMap map, List<Context> contexts, ShardOwnership ownership,
      ShardLinks links) {
    this.vertx = vertx;
    this.store = store;
    this.clock = clock;
    this.feed = feed;
    this.events = events;
    this.budget = new AppendBudget(maxQueuedAppendBytes);
    this.map = map;
    this.contexts = List.copyOf(contexts);
    this.ownership = ownership;
    this.links = links;
    this.local = new AtomicReferenceArray<>(map.shards());
  }

  /**
   * One instance with every shard, for good: builds every shard from one read of what the store holds and
   * clears leftovers; shard {@code s} lives on {@code contexts.get(s % contexts.size())}, which must be
   * event-loop contexts. Every deadline is measured on {@code clock}; durable messages go to {@code feed} and
   * events to {@code events}; {@code maxQueuedAppendBytes} bounds the appends of all shards waiting for the
   * store (see {@link #DEFAULT_MAX_QUEUED_APPEND_BYTES}).
   */
  public static Future<MessagingEngine> recover(Vertx vertx, MessageStore store, EngineClock clock, LiveFeed feed,
      EventSink events, long maxQueuedAppendBytes, ShardMap map, List<Context> contexts) {
    return start(vertx, store, clock, feed, events, maxQueuedAppendBytes, map, contexts,
        ShardOwnership.everyShard(map.shards()), ShardLinks.none());
  }

  /**
   * As {@link #recover}, serving the shards {@code ownership} gives this instance and forwarding the others
   * through {@code links}. Must be called on an event-loop context, where ownership's changes then arrive.
   * Completes once the first round of claims is done and the shards it gained serve.
   */
  public static Future<MessagingEngine> start(Vertx vertx, MessageStore store, EngineClock clock, LiveFeed feed,
      EventSink events, long maxQueuedAppendBytes, ShardMap map, List<Context> contexts,
      ShardOwnership ownership, ShardLinks links) {
    MessagingEngine engine = new MessagingEngine(vertx, store, clock, feed, events, maxQueuedAppendBytes, map,
        contexts, ownership, links);
    // A shard another instance gave up is claimed at once by one that may take it, not at its next round.
    links.whenReleased(ownership::claimSoon);
    // A rebalance's next step waits for the last one to serve at its new owner.
    links.whenServed(ownership::takenOver);
    return ownership.start(engine)
        .compose(v -> Future.all(new ArrayList<>(engine.loading)))
        .map(v -> {
          engine.firstRoundDone = true;
          return engine;
        });
  }

  @Override
  public void gained(Set<Integer> shards) {
    long started = System.nanoTime();
    Future<Void> loaded = Recovery.rebuild(store, clock.nowMs(), map, shards, names, true).compose(states -> {
      List<Future<Void>> installed = new ArrayList<>(states.size());
      states.forEach((shard, state) -> installed.add(install(shard, state)));
      return Future.all(installed).map(v -> {
        LOG.info("recovered {} queues, {} subscriptions and {} retained messages in {} ms ({} shards on {} event"
                + " loops)", states.values().stream().mapToInt(st -> st.queues().size()).sum(),
            states.values().stream().mapToInt(st -> st.subscriptions().size()).sum(),
            states.values().stream().flatMap(st -> st.queues().stream()).mapToLong(q -> q.log.size()).sum(),
            (System.nanoTime() - started) / 1_000_000, states.size(), Math.min(states.size(), contexts.size()));
        return null;
      });
    });
    loaded.onFailure(e -> {
      // Owned but not loaded: give the shards back, so that an instance that can load them takes them over.
      LOG.error("loading shards {} failed; releasing them", shards, e);
      shards.forEach(ownership::release);
    });
    shards.forEach(shard -> loads.put(shard, loaded));
    if (!firstRoundDone) {
      loading.add(loaded);
    } else {
      // Topology may have changed while no instance served these shards.
      loaded.onSuccess(v -> onResynced.run());
    }
  }

  private Future<Void> install(int shard, EngineState state) {
    Promise<ShardEngine> started = Promise.promise();
    contexts.get(shard % contexts.size()).runOnContext(v -> {
      ShardEngine engine = ShardEngine.start(vertx, store, clock, feed, events, budget, this, map, shard, names,
          state);
      engine.whenResynced(() -> onResynced.run());
      started.complete(engine);
    });
    return started.future().compose(engine -> {
      local.set(shard, engine);
      return links.serve(shard, engine).onSuccess(served -> links.served(shard));
    });
  }

  @Override
  public void releasing(Set<Integer> shards) {
    shards.forEach(shard -> giveUp(shard, true));
  }

  // A planned move's end on this side: drained, released (drained or not), and the release told to the others.
  // `taken`: another instance will take the shard over, and say so; else (stopping alone) its address goes at once.
  private Future<Void> giveUp(int shard, boolean taken) {
    return leave(shard, false, taken).eventually(() -> ownership.release(shard))
        .andThen(done -> links.released(shard));
  }

  @Override
  public void lost(Set<Integer> shards) {
    for (int shard : shards) {
      leave(shard, true, false);
    }
  }

  // From then on the facade forwards the shard's requests; the engine refuses what reaches it late, untouched.
  // A lost shard's address goes at once. A shard handed over keeps its address here until the new owner serves
  // it, refusing what reaches it, since the clustered bus drops without a word a call on its way to an address
  // that went; the engine drains meanwhile.
  private Future<Void> leave(int shard, boolean lost, boolean taken) {
    Future<Void> loaded = loads.remove(shard);
    if (loaded != null && !loaded.isComplete()) {
      return loaded.otherwiseEmpty().compose(v -> leave(shard, lost, taken));
    }
    ShardEngine engine = local.getAndSet(shard, null);
    Future<Void> unserved;
    if (!taken) {
      unserved = links.unserve(shard);
    } else {
      unserved = Future.succeededFuture();
      Future<Void> handedOff = links.handOff(shard);
      handingOff.add(handedOff);
      handedOff.onComplete(done -> handingOff.remove(handedOff));
    }
    if (engine == null) {
      return unserved;
    }
    Future<Void> left = engine.leave(lost);
    return Future.join(unserved, left).mapEmpty();
  }

  /**
   * Gives every shard up gracefully (requests in flight end, parked polls are answered) and stops claiming,
   * so that other instances take the shards over at once.
   */
  public Future<Void> stop() {
    // Out of the others' count first, so that their share grows to take what this instance gives up; then a
    // step at a time, each once the last serves elsewhere, so that no taker loads more at once than a rebalance
    // hands it (docs/scale-out.md).
    return ownership.retire()
        .compose(v -> handOver(servedShards(), ownership.stopStep()))
        // The shards' addresses stay until the others serve them (bounded), for what is still on its way here.
        .eventually(() -> Future.join(List.copyOf(handingOff)))
        .compose(v -> ownership.stop(), v -> ownership.stop())
        .andThen(stopped -> links.released(-1));
  }

  private List<Integer> servedShards() {
    List<Integer> served = new ArrayList<>();
    for (int shard = 0; shard < map.shards(); shard++) {
      if (local.get(shard) != null) {
        served.add(shard);
      }
    }
    return served;
  }

  private Future<Void> handOver(List<Integer> shards, int step) {
    if (shards.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Integer> now = shards.subList(0, Math.min(step, shards.size()));
    List<Future<Void>> given = new ArrayList<>(now.size());
    for (int shard : now) {
      // A step of every shard: nobody else would take them (alone, or without lease rounds).
      given.add(giveUp(shard, step != Integer.MAX_VALUE));
    }
    List<Integer> rest = shards.subList(now.size(), shards.size());
    return Future.join(given).otherwiseEmpty()
        .compose(v -> rest.isEmpty() ? Future.succeededFuture() : ownership.takenOverElsewhere(Set.copyOf(now)))
        .compose(v -> handOver(rest, step));
  }

  /** How the engine's queues are split into shards. */
  public ShardMap shardMap() {
    return map;
  }

  /**
   * Whether the first round of claims is done and every shard served here serves requests: a shard does not
   * while it reloads its state from the store after a commit whose outcome is unknown (its requests then fail
   * UNAVAILABLE). Any thread.
   */
  @Override
  public boolean serving() {
    if (!firstRoundDone) {
      return false;
    }
    for (int shard = 0; shard < local.length(); shard++) {
      ShardEngine engine = local.get(shard);
      if (engine != null && !engine.serving()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Runs {@code action} on the caller's context each time a shard serves again after reloading its state
   * from the store, or starts being served here after the first round of claims; changes it was sent while
   * it could not serve were refused and may need asking again.
   */
  public void whenResynced(Runnable action) {
    Context caller = Vertx.currentContext();
    onResynced = caller == null ? action : () -> caller.runOnContext(v -> action.run());
  }

  public Future<PublishResult> publish(Publication publication) {
    if (publication.queueId() != null) {
      return on(publication.queueId(), shard -> shard.publish(publication));
    }
    String known = names.idOf(publication.accountId(), publication.queueName());
    // A queue whose shard is served elsewhere may not be known here yet: admin knows every queue by name. An
    // instance serving every shard knows every queue itself.
    Future<String> queueId = known != null || publication.queueName() == null || servesEveryShard()
        ? Future.succeededFuture(known) : links.queueIdByName(publication.accountId(), publication.queueName());
    return queueId.compose(id -> {
      if (id == null) {
        return Future.failedFuture(new FerryException(ErrorCode.QUEUE_NOT_FOUND,
            "queue " + publication.queueName() + " does not exist"));
      }
      if (known == null) {
        names.put(publication.accountId(), publication.queueName(), id);
      }
      return on(id, shard -> shard.publish(publication));
    });
  }

  /** Leases messages of the queue's http_pull consumer; {@code null} options take the defaults. */
  public Future<LeaseBatch> pull(String accountId, String queueId, Integer batchSize, Integer visibilityTimeoutMs,
      int waitMs) {
    return on(queueId, shard -> shard.pull(accountId, queueId, batchSize, visibilityTimeoutMs, waitMs));
  }

  /** Acks and retries leases of the queue's http_pull consumer. */
  public Future<AckResult> ackPulled(String accountId, String queueId, List<String> acks,
      List<RetryRequest> retries) {
    return on(queueId, shard -> shard.ackPulled(accountId, queueId, acks, retries));
  }

  /** Leases messages of any subscription, for the other services. */
  public Future<LeaseBatch> lease(LeaseRequest request) {
    return on(request.queueId(), shard -> shard.lease(request));
  }

  public Future<AckResult> ack(AckRequest request) {
    return on(request.queueId(), shard -> shard.ack(request));
  }

  /** A subscription's acknowledged count and missed messages; fails NOT_FOUND. */
  public Future<SubscriptionStats> subscriptionStats(SubscriptionRef ref) {
    return on(ref.queueId(), shard -> shard.subscriptionStats(ref));
  }

  /** Makes missed messages of a subscription available again, durably before completing; fails NOT_FOUND. */
  public Future<RedeliverResult> redeliver(RedeliverRequest request) {
    return on(request.queueId(), shard -> shard.redeliver(request));
  }

  /**
   * Retained, published messages from a sequence on (settled ones included: history is the log), with the
   * published head and the oldest retained sequence at the time of the read.
   */
  public Future<HistoryPage> history(HistoryRequest request) {
    return on(request.queueId(), shard -> shard.history(request));
  }

  public Future<QueueMetrics> metrics(String accountId, String queueId) {
    return on(queueId, shard -> shard.metrics(accountId, queueId));
  }

  /** The queue's first retained messages, without leasing them. */
  public Future<List<PeekedMessage>> peek(String accountId, String queueId, int batchSize) {
    return on(queueId, shard -> shard.peek(accountId, queueId, batchSize));
  }

  /**
   * Retained messages of a queue, or of every queue of the account when {@code queueId} is {@code null}
   * (ordered by queue id, then sequence), after the message {@code startAfter} (a cursor).
   */
  public Future<List<MessageSummary>> listMessages(String accountId, String queueId, String startAfter,
      int limit) {
    if (queueId != null) {
      return on(queueId, shard -> shard.listMessages(accountId, queueId, startAfter, limit));
    }
    List<Future<List<String>>> perShard = new ArrayList<>(map.shards());
    for (int s = 0; s < map.shards(); s++) {
      perShard.add(on(s, shard -> shard.queueIdsOf(accountId)));
    }
    return Future.all(perShard).compose(all -> {
      List<String> queueIds = new ArrayList<>();
      for (int s = 0; s < map.shards(); s++) {
        queueIds.addAll(all.<List<String>>resultAt(s));
      }
      queueIds.sort(null);
      int first = 0;
      if (startAfter != null) {
        first = -1;
        for (int i = 0; i < queueIds.size() && first < 0; i++) {
          if (MessageIds.mayBelongTo(startAfter, queueIds.get(i))) {
            first = i;
          }
        }
        if (first < 0) {
          return Future.failedFuture(Catalog.invalidCursor("this account"));
        }
      }
      return listFrom(accountId, queueIds, first, startAfter, limit, new ArrayList<>());
    });
  }

  // A queue deleted since its id was collected has nothing left to list.
  private Future<List<MessageSummary>> listFrom(String accountId, List<String> queueIds, int index, String cursor,
      int limit, List<MessageSummary> listed) {
    if (index >= queueIds.size() || listed.size() >= limit) {
      return Future.succeededFuture(listed);
    }
    String queueId = queueIds.get(index);
    return on(queueId, shard -> shard.listMessages(accountId, queueId, cursor, limit - listed.size()))
        .recover(failure -> failure instanceof FerryException e && e.code() == ErrorCode.QUEUE_NOT_FOUND
            ? Future.succeededFuture(List.of()) : Future.failedFuture(failure))
        .compose(page -> {
          listed.addAll(page);
          return listFrom(accountId, queueIds, index + 1, null, limit, listed);
        });
  }

  /** A retained message by id; fails NOT_FOUND. */
  public Future<StoredMessage> message(String accountId, String queueId, String messageId) {
    return on(queueId, shard -> shard.message(accountId, queueId, messageId));
  }

  /** Deletes a retained message for every subscription; completes with it, fails NOT_FOUND. */
  public Future<StoredMessage> deleteMessage(String accountId, String queueId, String messageId) {
    return on(queueId, shard -> shard.deleteMessage(accountId, queueId, messageId));
  }

  /** Deletes messages by id; completes with the ids that named no retained message. */
  public Future<List<String>> deleteMessages(String accountId, String queueId, List<String> messageIds) {
    return on(queueId, shard -> shard.deleteMessages(accountId, queueId, messageIds));
  }

  /** Deletes every retained message of the queue whose frame id is {@code key}. */
  public Future<Void> deleteByKey(String queueId, String key) {
    return on(queueId, shard -> shard.deleteByKey(queueId, key));
  }

  /** Starts purging the queue; completes once the start is durable. */
  public Future<PurgeStatus> purge(String accountId, String queueId) {
    return on(queueId, shard -> shard.purge(accountId, queueId));
  }

  public Future<PurgeStatus> purgeStatus(String accountId, String queueId) {
    return on(queueId, shard -> shard.purgeStatus(accountId, queueId));
  }

  public Future<Void> upsertQueue(QueueInfo queue) {
    return on(queue == null ? null : queue.id(), shard -> shard.upsertQueue(queue));
  }

  public Future<Void> deleteQueue(String queueId) {
    return on(queueId, shard -> shard.deleteQueue(queueId));
  }

  public Future<Void> upsertSubscription(SubscriptionSpec spec) {
    return on(spec == null ? null : spec.queueId(), shard -> shard.upsertSubscription(spec));
  }

  /** Deletes the subscription wherever it is (a subscription is named by its id only). */
  public Future<Void> deleteSubscription(String subscriptionId) {
    List<Future<Void>> work = new ArrayList<>(map.shards());
    for (int s = 0; s < map.shards(); s++) {
      work.add(on(s, shard -> shard.deleteSubscription(subscriptionId)));
    }
    return Future.join(work).mapEmpty();
  }

  /**
   * Call right before asking admin for the snapshot to {@link #reconcile}: each shard served here notes the
   * topology commands from then on, which the snapshot may predate. A shard that cannot note them now (reloading,
   * or gone) reconciles in full, as before.
   */
  public Future<Void> snapshotAsked() {
    return everyShard(engine -> engine.snapshotAsked().otherwiseEmpty());
  }

  /**
   * Makes the queues and subscriptions exactly those of {@code snapshot}, each shard served here its own (the
   * owners of the others reconcile theirs), except what topology commands changed since {@link #snapshotAsked};
   * every queue's name is learnt, whichever shard holds it.
   */
  public Future<Void> reconcile(TopologySnapshot snapshot) {
    snapshot.queues().forEach(queue -> names.put(queue.accountId(), queue.name(), queue.id()));
    int shards = map.shards();
    List<List<QueueInfo>> queues = new ArrayList<>(shards);
    List<List<SubscriptionSpec>> subscriptions = new ArrayList<>(shards);
    for (int s = 0; s < shards; s++) {
      queues.add(new ArrayList<>());
      subscriptions.add(new ArrayList<>());
    }
    snapshot.queues().forEach(queue -> queues.get(map.shardOf(queue.id())).add(queue));
    snapshot.subscriptions().forEach(spec -> subscriptions.get(map.shardOf(spec.queueId())).add(spec));
    List<Future<Void>> work = new ArrayList<>(shards);
    for (int s = 0; s < shards; s++) {
      ShardEngine engine = local.get(s);
      if (engine != null) {
        work.add(engine.reconcile(new TopologySnapshot(queues.get(s), subscriptions.get(s))));
      }
    }
    return Future.join(work).mapEmpty();
  }

  /**
   * Makes due delayed messages ready, returns or dead-letters expired leases and removes messages past their
   * retention, as of the clock's now, in every shard. A node calls it periodically; completes once what it
   * changed is durable and applied.
   */
  public Future<Void> sweep() {
    return everyShard(ShardEngine::sweep);
  }

  /**
   * Copies every queue's backlog, lease and delay figures for {@code /metrics}, samples the queues' histories
   * (a point per {@link QueueHistory#RESOLUTION_MS} of the engine's clock) and drops the series of queues that
   * are gone. A node calls it about once a second.
   */
  public void refreshMeters() {
    for (int s = 0; s < local.length(); s++) {
      ShardEngine engine = local.get(s);
      if (engine != null) {
        engine.refreshMeters();
      }
    }
  }

  /** The queue's history points taken in the last {@code minutes}, oldest first; fails QUEUE_NOT_FOUND. */
  public Future<List<QueueHistory.Point>> history(String accountId, String queueId, int minutes) {
    return on(queueId, shard -> shard.history(accountId, queueId, minutes));
  }

  @Override
  public Future<String> appendDeadLetterCopy(String queueId, NewMessage message) {
    return on(queueId, shard -> shard.appendDeadLetterCopy(queueId, message));
  }

  private boolean servesEveryShard() {
    for (int s = 0; s < local.length(); s++) {
      if (local.get(s) == null) {
        return false;
      }
    }
    return true;
  }

  // An id that names no queue still goes to some shard, which answers as for any unknown queue.
  private <T> Future<T> on(String queueId, Function<Shard, Future<T>> operation) {
    return on(queueId == null ? 0 : map.shardOf(queueId), operation);
  }

  // A shard that left this instance while the request waited for it refused it untouched: ask its owner.
  private <T> Future<T> on(int shard, Function<Shard, Future<T>> operation) {
    ShardEngine engine = local.get(shard);
    if (engine == null) {
      return operation.apply(links.remote(shard));
    }
    return operation.apply(engine).recover(failure -> failure instanceof ShardMoved
        ? on(shard, operation) : Future.failedFuture(failure));
  }

  private Future<Void> everyShard(Function<ShardEngine, Future<Void>> operation) {
    List<Future<Void>> work = new ArrayList<>();
    for (int s = 0; s < local.length(); s++) {
      ShardEngine engine = local.get(s);
      if (engine != null) {
        work.add(operation.apply(engine));
      }
    }
    return Future.join(work).mapEmpty();
  }
}
