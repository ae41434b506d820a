package io.ferry.messaging.core;

import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.AckRequest;
import io.ferry.contracts.model.AckResult;
import io.ferry.contracts.model.ContentType;
import io.ferry.contracts.model.FerryEvent;
import io.ferry.contracts.model.HistoryRequest;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.LeaseBatch;
import io.ferry.contracts.model.LeaseRequest;
import io.ferry.contracts.model.LeasedMessage;
import io.ferry.contracts.model.PublishedBatch;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.model.RetryRequest;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.contracts.model.SubscriptionSpec;
import io.ferry.messaging.store.RocksMessageStore;
import io.ferry.messaging.store.StoreBatch;
import io.vertx.core.Context;
import io.ferry.contracts.testkit.Futures;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The messaging engine alone, for delivery rules: a real RocksDB store in a temp dir, the engine on its own
 * event loop (or, {@link #sharded}, its shards over several), a {@link ManualClock} and an explicit
 * {@link #sweep()}. Nothing runs on its own: a lease expires when a test has moved the clock past it and
 * swept, so rules about time are checked exactly and in milliseconds. Register with
 * {@code @RegisterExtension}; each test gets a fresh store.
 */
final class EngineHarness implements BeforeEachCallback, AfterEachCallback {

  static final String ACCOUNT = "acct-a";
  /** Where the clock starts: any fixed time works, a realistic one keeps timestamps plausible. */
  static final long START_MS = 1_767_225_600_000L;

  final ManualClock clock = new ManualClock(START_MS);
  /** Every event the engine emitted, in order. */
  final List<FerryEvent> events = new CopyOnWriteArrayList<>();
  /** Every batch the engine handed to live subscribers, in order. */
  final List<PublishedBatch> published = new CopyOnWriteArrayList<>();
  private Vertx vertx;
  private Path directory;
  private RocksMessageStore store;
  private FaultyMessageStore faults;
  private final ShardMap shards;
  private final int eventLoops;
  private MessagingEngine engine;

  /** One shard on one event loop. */
  EngineHarness() {
    this(1, 1);
  }

  private EngineHarness(int shards, int eventLoops) {
    this.shards = new ShardMap(shards);
    this.eventLoops = eventLoops;
  }

  /** {@code shards} shards spread over {@code eventLoops} event loops. */
  static EngineHarness sharded(int shards, int eventLoops) {
    return new EngineHarness(shards, eventLoops);
  }

  ShardMap shardMap() {
    return shards;
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    directory = Files.createTempDirectory("ferry-engine-");
    vertx = Vertx.vertx();
    open();
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    await(store.close());
    await(vertx.close());
    try (var paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  MessagingEngine engine() {
    return engine;
  }

  /** The engine's store, which a test can take away and give back as a database outage would. */
  FaultyMessageStore faults() {
    return faults;
  }

  /** Stops the engine as a crash would (leases and parked polls are lost) and recovers it from the store. */
  void restart() {
    restart(new StoreBatch());
  }

  /** Restarts, writing {@code edits} to the store while the engine is down (state no API can produce). */
  void restart(StoreBatch edits) {
    await(store.close());
    clock.clearTimers();
    open(edits);
  }

  private void open() {
    open(new StoreBatch());
  }

  private void open(StoreBatch edits) {
    store = RocksMessageStore.open(directory);
    if (!edits.isEmpty()) {
      await(store.commit(edits));
    }
    faults = new FaultyMessageStore(store);
    // A new context per call, each on the next event loop (getOrCreateContext would return one sticky context).
    List<Context> contexts = new ArrayList<>();
    for (int i = 0; i < eventLoops; i++) {
      contexts.add(((VertxInternal) vertx).createEventLoopContext());
    }
    Promise<MessagingEngine> recovered = Promise.promise();
    contexts.get(0).runOnContext(v -> MessagingEngine.recover(vertx, faults, clock, published::add, events::add,
        MessagingEngine.DEFAULT_MAX_QUEUED_APPEND_BYTES, shards, contexts).onComplete(recovered));
    engine = await(recovered.future());
  }

  /** Moves time forward by {@code ms} and sweeps, as the node's periodic sweep would at that moment. */
  void advance(long ms) {
    clock.advance(ms);
    sweep();
  }

  /** Runs one sweep at the clock's now and waits until what it changed is durable. */
  void sweep() {
    await(engine.sweep());
  }

  QueueInfo queue(QueueSettings settings) {
    String id = Ids.newId();
    return upsert(new QueueInfo(id, ACCOUNT, "q-" + id.substring(0, 8), 1, 1, settings));
  }

  QueueInfo upsert(QueueInfo queue) {
    await(engine.upsertQueue(queue));
    return queue;
  }

  SubscriptionSpec pullConsumer(String queueId, int maxRetries, String deadLetterQueueId) {
    return subscribe(new SubscriptionSpec(Ids.newId(), queueId, SubscriptionSpec.Kind.PULL_CONSUMER, 5, maxRetries,
        0, 30_000, deadLetterQueueId));
  }

  SubscriptionSpec listener(String queueId, int maxRetries, String deadLetterQueueId) {
    return subscribe(new SubscriptionSpec(Ids.newId(), queueId, SubscriptionSpec.Kind.LISTENER, 10, maxRetries, 0,
        30_000, deadLetterQueueId));
  }

  SubscriptionSpec subscribe(SubscriptionSpec spec) {
    await(engine.upsertSubscription(spec));
    return spec;
  }

  /** Pushes text messages as a producer of the account would, without a delay of their own. */
  List<StoredMessage> push(String queueId, String... bodies) {
    return push(queueId, null, Arrays.stream(bodies).map(body -> text(body, null)).toArray(NewMessage[]::new));
  }

  List<StoredMessage> push(String queueId, Integer batchDelaySeconds, NewMessage... messages) {
    return await(engine.publish(Publication.toQueue(ACCOUNT, queueId, List.of(messages), batchDelaySeconds)))
        .messages();
  }

  static NewMessage text(String body, Integer delaySeconds) {
    return new NewMessage(null, ContentType.TEXT, body.getBytes(StandardCharsets.UTF_8), delaySeconds);
  }

  /** Leases up to 10 messages of the queue's http_pull consumer without waiting. */
  List<LeasedMessage> pull(String queueId, int visibilityTimeoutMs) {
    return await(engine.pull(ACCOUNT, queueId, 10, visibilityTimeoutMs, 0)).messages();
  }

  LeasedMessage pullOne(String queueId, int visibilityTimeoutMs) {
    List<LeasedMessage> messages = pull(queueId, visibilityTimeoutMs);
    if (messages.size() != 1) {
      throw new AssertionError("expected one message, got " + messages.size());
    }
    return messages.get(0);
  }

  /**
   * Starts a long poll of the queue's http_pull consumer and returns once the engine has taken it (parked it
   * or answered it), so that time moved afterwards counts against its wait.
   */
  Future<LeaseBatch> longPoll(String queueId, int waitMs) {
    Future<LeaseBatch> poll = engine.pull(ACCOUNT, queueId, null, null, waitMs);
    // The engine runs requests in order: once a later one is answered, the poll has been taken.
    await(engine.metrics(ACCOUNT, queueId));
    return poll;
  }

  List<LeasedMessage> lease(String queueId, String subscriptionId, int visibilityTimeoutMs) {
    return await(engine.lease(new LeaseRequest(queueId, subscriptionId, 10, visibilityTimeoutMs, 0))).messages();
  }

  AckResult ackPulled(String queueId, List<String> acks, List<RetryRequest> retries) {
    return await(engine.ackPulled(ACCOUNT, queueId, acks, retries));
  }

  AckResult settle(String queueId, String subscriptionId, List<String> acks, List<RetryRequest> retries) {
    return await(engine.ack(new AckRequest(queueId, subscriptionId, acks, retries)));
  }

  AckResult release(String queueId, String subscriptionId, String leaseId) {
    return await(engine.ack(new AckRequest(queueId, subscriptionId, List.of(), List.of(), List.of(),
        List.of(leaseId))));
  }

  /** Every retained message of the queue, settled ones included. */
  List<StoredMessage> history(String queueId) {
    return await(engine.history(new HistoryRequest(queueId, 1, null, 1000))).messages();
  }

  long backlog(String queueId) {
    return await(engine.metrics(ACCOUNT, queueId)).backlogCount();
  }

  static String body(StoredMessage message) {
    return new String(message.body(), StandardCharsets.UTF_8);
  }

  static <T> T await(Future<T> future) {
    return Futures.await(future, Duration.ofSeconds(10));
  }

  /** The domain error a future failed with; fails the test if it succeeds. */
  static FerryException failure(Future<?> future) {
    return Futures.failure(future, Duration.ofSeconds(10));
  }
}
