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
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The messaging engine: every operation on messages, sequences and delivery state. Queues are split into
 * shards by a stable hash of their id ({@link ShardMap}); each shard's hot state lives on one event-loop
 * thread and is never locked, and the shards are spread over the process's event loops, so one queue stays
 * single-threaded while many queues use every core. Each method may be called from any thread; it goes to
 * the shard of its queue and its future completes on the caller's context. The few operations that span
 * queues (topology reconciliation, the sweep, an account's message listing) visit every shard.
 */
public final class MessagingEngine implements ServingState, ShardPeers {

  private static final Logger LOG = LoggerFactory.getLogger(MessagingEngine.class);

  /** Default bound on the bytes of appends waiting for the store before producers get QUEUE_OVERLOADED. */
  public static final long DEFAULT_MAX_QUEUED_APPEND_BYTES = 32L * 1024 * 1024;

  private final ShardMap map;
  private final ShardEngine[] shards;
  private final QueueNames names;

  private MessagingEngine(ShardMap map, QueueNames names) {
    this.map = map;
    this.shards = new ShardEngine[map.shards()];
    this.names = names;
  }

  /**
   * Builds every shard from one read of what the store holds and clears leftovers; shard {@code s} lives on
   * {@code contexts.get(s % contexts.size())}, which must be event-loop contexts. Every deadline is measured
   * on {@code clock}; durable messages go to {@code feed} and events to {@code events};
   * {@code maxQueuedAppendBytes} bounds the appends of all shards waiting for the store (see
   * {@link #DEFAULT_MAX_QUEUED_APPEND_BYTES}).
   */
  public static Future<MessagingEngine> recover(Vertx vertx, MessageStore store, EngineClock clock, LiveFeed feed,
      EventSink events, long maxQueuedAppendBytes, ShardMap map, List<Context> contexts) {
    long started = System.nanoTime();
    QueueNames names = new QueueNames();
    MessagingEngine engine = new MessagingEngine(map, names);
    AppendBudget budget = new AppendBudget(maxQueuedAppendBytes);
    return Recovery.rebuildAll(store, clock.nowMs(), map, names).compose(states -> {
      List<Future<Void>> installed = new ArrayList<>(states.size());
      for (int s = 0; s < states.size(); s++) {
        int shard = s;
        EngineState state = states.get(s);
        Promise<Void> done = Promise.promise();
        contexts.get(s % contexts.size()).runOnContext(v -> {
          engine.shards[shard] = ShardEngine.start(vertx, store, clock, feed, events, budget, engine, map, shard,
              names, state);
          done.complete();
        });
        installed.add(done.future());
      }
      return Future.all(installed).map(v -> {
        LOG.info("recovered {} queues, {} subscriptions and {} retained messages in {} ms ({} shards on {} event"
                + " loops)", states.stream().mapToInt(st -> st.queues().size()).sum(),
            states.stream().mapToInt(st -> st.subscriptions().size()).sum(),
            states.stream().flatMap(st -> st.queues().stream()).mapToLong(q -> q.log.size()).sum(),
            (System.nanoTime() - started) / 1_000_000, map.shards(), Math.min(map.shards(), contexts.size()));
        return engine;
      });
    });
  }

  /** How the engine's queues are split into shards. */
  public ShardMap shardMap() {
    return map;
  }

  /**
   * Whether every shard serves requests: a shard does not while it reloads its state from the store after a
   * commit whose outcome is unknown (its requests then fail UNAVAILABLE). Any thread.
   */
  @Override
  public boolean serving() {
    for (ShardEngine shard : shards) {
      if (!shard.serving()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Runs {@code action} on the caller's context each time a shard serves again after reloading its state
   * from the store; changes it was sent while it could not serve were refused and may need asking again.
   */
  public void whenResynced(Runnable action) {
    Context caller = Vertx.currentContext();
    Runnable onCaller = caller == null ? action : () -> caller.runOnContext(v -> action.run());
    for (ShardEngine shard : shards) {
      shard.whenResynced(onCaller);
    }
  }

  public Future<PublishResult> publish(Publication publication) {
    if (publication.queueId() != null) {
      return shardOf(publication.queueId()).publish(publication);
    }
    String queueId = names.idOf(publication.accountId(), publication.queueName());
    if (queueId == null) {
      return Future.failedFuture(new FerryException(ErrorCode.QUEUE_NOT_FOUND,
          "queue " + publication.queueName() + " does not exist"));
    }
    return shardOf(queueId).publish(publication);
  }

  /** Leases messages of the queue's http_pull consumer; {@code null} options take the defaults. */
  public Future<LeaseBatch> pull(String accountId, String queueId, Integer batchSize, Integer visibilityTimeoutMs,
      int waitMs) {
    return shardOf(queueId).pull(accountId, queueId, batchSize, visibilityTimeoutMs, waitMs);
  }

  /** Acks and retries leases of the queue's http_pull consumer. */
  public Future<AckResult> ackPulled(String accountId, String queueId, List<String> acks,
      List<RetryRequest> retries) {
    return shardOf(queueId).ackPulled(accountId, queueId, acks, retries);
  }

  /** Leases messages of any subscription, for the other services. */
  public Future<LeaseBatch> lease(LeaseRequest request) {
    return shardOf(request.queueId()).lease(request);
  }

  public Future<AckResult> ack(AckRequest request) {
    return shardOf(request.queueId()).ack(request);
  }

  /** A subscription's acknowledged count and missed messages; fails NOT_FOUND. */
  public Future<SubscriptionStats> subscriptionStats(SubscriptionRef ref) {
    return shardOf(ref.queueId()).subscriptionStats(ref);
  }

  /** Makes missed messages of a subscription available again, durably before completing; fails NOT_FOUND. */
  public Future<RedeliverResult> redeliver(RedeliverRequest request) {
    return shardOf(request.queueId()).redeliver(request);
  }

  /**
   * Retained, published messages from a sequence on (settled ones included: history is the log), with the
   * published head and the oldest retained sequence at the time of the read.
   */
  public Future<HistoryPage> history(HistoryRequest request) {
    return shardOf(request.queueId()).history(request);
  }

  public Future<QueueMetrics> metrics(String accountId, String queueId) {
    return shardOf(queueId).metrics(accountId, queueId);
  }

  /** The queue's first retained messages, without leasing them. */
  public Future<List<PeekedMessage>> peek(String accountId, String queueId, int batchSize) {
    return shardOf(queueId).peek(accountId, queueId, batchSize);
  }

  /**
   * Retained messages of a queue, or of every queue of the account when {@code queueId} is {@code null}
   * (ordered by queue id, then sequence), after the message {@code startAfter} (a cursor).
   */
  public Future<List<MessageSummary>> listMessages(String accountId, String queueId, String startAfter,
      int limit) {
    if (queueId != null) {
      return shardOf(queueId).listMessages(accountId, queueId, startAfter, limit);
    }
    List<Future<List<String>>> perShard = new ArrayList<>(shards.length);
    for (ShardEngine shard : shards) {
      perShard.add(shard.queueIdsOf(accountId));
    }
    return Future.all(perShard).compose(all -> {
      List<String> queueIds = new ArrayList<>();
      for (int s = 0; s < shards.length; s++) {
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
    return shardOf(queueId).listMessages(accountId, queueId, cursor, limit - listed.size())
        .recover(failure -> failure instanceof FerryException e && e.code() == ErrorCode.QUEUE_NOT_FOUND
            ? Future.succeededFuture(List.of()) : Future.failedFuture(failure))
        .compose(page -> {
          listed.addAll(page);
          return listFrom(accountId, queueIds, index + 1, null, limit, listed);
        });
  }

  /** A retained message by id; fails NOT_FOUND. */
  public Future<StoredMessage> message(String accountId, String queueId, String messageId) {
    return shardOf(queueId).message(accountId, queueId, messageId);
  }

  /** Deletes a retained message for every subscription; completes with it, fails NOT_FOUND. */
  public Future<StoredMessage> deleteMessage(String accountId, String queueId, String messageId) {
    return shardOf(queueId).deleteMessage(accountId, queueId, messageId);
  }

  /** Deletes messages by id; completes with the ids that named no retained message. */
  public Future<List<String>> deleteMessages(String accountId, String queueId, List<String> messageIds) {
    return shardOf(queueId).deleteMessages(accountId, queueId, messageIds);
  }

  /** Deletes every retained message of the queue whose frame id is {@code key}. */
  public Future<Void> deleteByKey(String queueId, String key) {
    return shardOf(queueId).deleteByKey(queueId, key);
  }

  /** Starts purging the queue; completes once the start is durable. */
  public Future<PurgeStatus> purge(String accountId, String queueId) {
    return shardOf(queueId).purge(accountId, queueId);
  }

  public Future<PurgeStatus> purgeStatus(String accountId, String queueId) {
    return shardOf(queueId).purgeStatus(accountId, queueId);
  }

  public Future<Void> upsertQueue(QueueInfo queue) {
    return shardOf(queue == null ? null : queue.id()).upsertQueue(queue);
  }

  public Future<Void> deleteQueue(String queueId) {
    return shardOf(queueId).deleteQueue(queueId);
  }

  public Future<Void> upsertSubscription(SubscriptionSpec spec) {
    return shardOf(spec == null ? null : spec.queueId()).upsertSubscription(spec);
  }

  /** Deletes the subscription wherever it is (a subscription is named by its id only). */
  public Future<Void> deleteSubscription(String subscriptionId) {
    return everyShard(shard -> shard.deleteSubscription(subscriptionId));
  }

  /** Makes the queues and subscriptions exactly those of {@code snapshot}, each shard its own. */
  public Future<Void> reconcile(TopologySnapshot snapshot) {
    List<List<QueueInfo>> queues = new ArrayList<>(shards.length);
    List<List<SubscriptionSpec>> subscriptions = new ArrayList<>(shards.length);
    for (int s = 0; s < shards.length; s++) {
      queues.add(new ArrayList<>());
      subscriptions.add(new ArrayList<>());
    }
    snapshot.queues().forEach(queue -> queues.get(map.shardOf(queue.id())).add(queue));
    snapshot.subscriptions().forEach(spec -> subscriptions.get(map.shardOf(spec.queueId())).add(spec));
    List<Future<Void>> work = new ArrayList<>(shards.length);
    for (int s = 0; s < shards.length; s++) {
      work.add(shards[s].reconcile(new TopologySnapshot(queues.get(s), subscriptions.get(s))));
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
    for (ShardEngine shard : shards) {
      shard.refreshMeters();
    }
  }

  /** The queue's history points taken in the last {@code minutes}, oldest first; fails QUEUE_NOT_FOUND. */
  public Future<List<QueueHistory.Point>> history(String accountId, String queueId, int minutes) {
    return shardOf(queueId).history(accountId, queueId, minutes);
  }

  @Override
  public Future<String> appendDeadLetterCopy(String queueId, NewMessage message) {
    return shardOf(queueId).appendDeadLetterCopy(queueId, message);
  }

  // An id that names no queue still goes to some shard, which answers as for any unknown queue.
  private ShardEngine shardOf(String queueId) {
    return shards[queueId == null ? 0 : map.shardOf(queueId)];
  }

  private Future<Void> everyShard(Function<ShardEngine, Future<Void>> operation) {
    List<Future<Void>> work = new ArrayList<>(shards.length);
    for (ShardEngine shard : shards) {
      work.add(operation.apply(shard));
    }
    return Future.join(work).mapEmpty();
  }
}
