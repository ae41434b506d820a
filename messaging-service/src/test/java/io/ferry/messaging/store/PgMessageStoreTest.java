package io.ferry.messaging.store;

import static org.awaitility.Awaitility.waitAtMost;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;


import io.ferry.contracts.config.PostgresConfig;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.ContentType;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.contracts.postgres.PostgresPools;
import io.ferry.contracts.testkit.Futures;
import io.ferry.contracts.testkit.TestPostgres;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class PgMessageStoreTest extends MessageStoreContract {

  private static final Logger LOG = LoggerFactory.getLogger(PgMessageStoreTest.class);
  private static final Duration WAIT = Duration.ofSeconds(30);
  // One for the class: the contract closes its store after this class's own @AfterEach would run.
  private static Vertx vertx;

  // One schema per test, so that reopening sees the same data and tests never see each other's.
  private final PostgresConfig config = TestPostgres.shared().freshSchema();
  // This class's own tests: the contract's store owns the schema above while they run.
  private final PostgresConfig alone = TestPostgres.shared().freshSchema();

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() {
    Futures.await(vertx.close(), WAIT);
  }

  @Override
  protected MessageStore openStore() {
    return PgSchemaUnderTest.owningEveryShard(PgMessageStore.open(vertx, config));
  }

  private MessageStore openAlone() {
    return PgSchemaUnderTest.owningEveryShard(PgMessageStore.open(vertx, alone));
  }

  @Test
  void loadStreamsABacklogLargerThanOneFetchInOrder() {
    MessageStore store = openAlone();
    List<String> queues = List.of(Ids.newId(), Ids.newId());
    String subscription = Ids.newId();
    int perQueue = PgStartupScan.FETCH_ROWS + PgStartupScan.FETCH_ROWS / 2;
    StoreBatch batch = new StoreBatch();
    for (String queue : queues) {
      batch.putQueue(queue(queue));
      for (long sequence = 1; sequence <= perQueue; sequence++) {
        batch.append(message(queue, sequence, "m" + sequence));
      }
    }
    for (long sequence = 1; sequence <= perQueue; sequence++) {
      batch.putPending(subscription, sequence, 1, sequence);
    }
    Futures.await(store.commit(batch), WAIT);

    CollectedState state = new CollectedState();
    Futures.await(store.load(state), WAIT);
    Futures.await(store.close(), WAIT);

    List<String> byQueue = queues.stream().sorted().toList();
    List<MessageMeta> expected = new ArrayList<>();
    for (String queue : byQueue) {
      LongStream.rangeClosed(1, perQueue).forEach(sequence -> expected.add(
          new MessageMeta(queue, sequence, ("m" + sequence).length(), 1_000, 2_000)));
    }
    assertEquals(expected, state.messages);
    assertEquals(LongStream.rangeClosed(1, perQueue).boxed().toList(),
        state.pending.stream().map(PendingRecord::sequence).toList());
    assertEquals((long) perQueue, state.sequenceHeads.get(queues.get(0)));
  }

  @Test
  void concurrentCommitsShareTransactionsAndSucceedOnlyOnceVisibleToOtherSessions() throws Exception {
    MessageStore store = openAlone();
    Pool observer = PostgresPools.create(vertx, alone, "observer");
    String queue = Ids.newId();
    Futures.await(store.commit(new StoreBatch().putQueue(queue(queue))), WAIT);
    long transactionsBefore = store.syncCount();
    int writers = 8;
    int commitsPerWriter = 40;
    List<Future<Long>> seenAtSuccess = Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int writer = w;
      threads.add(new Thread(() -> {
        for (int i = 0; i < commitsPerWriter; i++) {
          long sequence = 1 + (long) writer * commitsPerWriter + i;
          seenAtSuccess.add(store.commit(new StoreBatch().append(message(queue, sequence, "x")))
              .compose(committed -> observer.preparedQuery(
                      "SELECT count(*) FROM messaging_messages WHERE queue_id = $1 AND sequence = $2")
                  .execute(Tuple.of(queue, sequence)))
              .map(rows -> rows.iterator().next().getLong(0)));
        }
      }));
    }
    threads.forEach(Thread::start);
    for (Thread thread : threads) {
      thread.join();
    }
    for (Future<Long> seen : seenAtSuccess) {
      assertEquals(1L, Futures.await(seen, WAIT), "a commit succeeded before its row was visible");
    }
    long transactions = store.syncCount() - transactionsBefore;
    assertTrue(transactions < writers * commitsPerWriter,
        transactions + " transactions for " + writers * commitsPerWriter + " commits");
    Futures.await(observer.close(), WAIT);
    Futures.await(store.close(), WAIT);
  }

  /** Coalescing mutations into multi-row statements must not change what applying them one by one gives. */
  @Test
  void changesToTheSameRowsInOneGroupApplyInCallOrder() {
    MessageStore store = openAlone();
    String queue = Ids.newId();
    String subscription = Ids.newId();
    Future<Void> first = store.commit(new StoreBatch().putQueue(queue(queue))
        .append(message(queue, 1, "first")).append(message(queue, 2, "gone"))
        .putPending(subscription, 1, 0, 10).addAcknowledged(subscription, 1));
    Future<Void> second = store.commit(new StoreBatch().deleteMessage(queue, 1).deleteMessage(queue, 2)
        .putPending(subscription, 1, 5, 50).deletePending(subscription, 1).addAcknowledged(subscription, 2));
    Future<Void> third = store.commit(new StoreBatch().append(message(queue, 1, "replaced"))
        .append(message(queue, 1, "replaced again")).putPending(subscription, 1, 7, 70)
        .putPending(subscription, 1, 8, 80).addAcknowledged(subscription, 4));
    Futures.await(Future.all(first, second, third), WAIT);

    List<StoredMessage> read = Futures.await(store.read(queue, List.of(1L, 2L)), WAIT);
    assertEquals(List.of("replaced again"), read.stream()
        .map(m -> new String(m.body(), java.nio.charset.StandardCharsets.UTF_8)).toList());
    CollectedState state = new CollectedState();
    Futures.await(store.load(state), WAIT);
    assertEquals(List.of(new PendingRecord(subscription, 1, 8, 80)), state.pending);
    assertEquals(7L, state.acknowledged.get(subscription));
    assertEquals(2L, state.sequenceHeads.get(queue));
    Futures.await(store.close(), WAIT);
  }

  @Test
  void aMalformedCommitFailsAloneAndWhollyWhileItsGroupIsWritten() {
    MessageStore store = openAlone();
    String queue = Ids.newId();
    Futures.await(store.commit(new StoreBatch().putQueue(queue(queue))), WAIT);
    StoreBatch large = new StoreBatch();
    for (long sequence = 1; sequence <= 2_000; sequence++) {
      large.append(message(queue, sequence, "m"));
    }
    // While the large commit is written, the next two queue up and are written together.
    Future<Void> first = store.commit(large);
    Future<Void> malformed = store.commit(new StoreBatch().append(message(queue, 5_000, "fine"))
        .append(new StoredMessage(Ids.newId(), queue, 5_001, "no NUL in text\u0000", ContentType.TEXT,
            new byte[] {1}, 1, 1)));
    Future<Void> last = store.commit(new StoreBatch().append(message(queue, 6_000, "last")));

    Futures.await(first, WAIT);
    assertEquals(ErrorCode.INTERNAL, Futures.failure(malformed, WAIT).code());
    Futures.await(last, WAIT);
    assertEquals(List.of(1L, 2_000L, 6_000L), Futures.await(store.read(queue, List.of(1L, 2_000L, 5_000L, 5_001L, 6_000L)),
        WAIT).stream().map(StoredMessage::sequence).toList(), "nothing of the malformed commit is kept");
    Futures.await(store.close(), WAIT);
  }

  @Test
  void aReadOfScatteredSequencesFromTheDatabaseFindsEachInTheOrderAsked() {
    // No body cache: every read goes to the database, in chunks of the sequences (PgSequenceChunks).
    MessageStore store = PgSchemaUnderTest.owningEveryShard(PgMessageStore.open(vertx, alone, 0, 1,
        PgMessageStore.DEFAULT_SHARD_LEASE_MS));
    String queue = Ids.newId();
    StoreBatch batch = new StoreBatch().putQueue(queue(queue));
    List<Long> written = new ArrayList<>();
    for (long sequence = 1; sequence <= 600; sequence++) {
      written.add(sequence);
    }
    written.addAll(List.of(5_000L, 100_000L));
    written.forEach(sequence -> batch.append(message(queue, sequence, "m" + sequence)));
    Futures.await(store.commit(batch), WAIT);
    List<Long> asked = new ArrayList<>(List.of(100_000L, 3L, 7_777L, 5_000L, 600L));
    for (long sequence = 300; sequence >= 1; sequence--) {
      asked.add(sequence);
    }
    List<Long> expected = asked.stream().filter(sequence -> sequence != 7_777L).toList();

    assertEquals(expected, Futures.await(store.read(queue, asked), WAIT).stream().map(StoredMessage::sequence)
        .toList());
    assertEquals("m100000", new String(Futures.await(store.read(queue, List.of(100_000L)), WAIT).get(0).body(),
        StandardCharsets.UTF_8));
    assertEquals(expected, Futures.await(store.headers(queue, asked), WAIT).stream().map(MessageHeader::sequence)
        .toList());
    Futures.await(store.close(), WAIT);
  }

  @Test
  void whileTheDatabaseIsAwayWorkFailsUnavailableAndResumesWhenItIsBack() {
    try (TestPostgres own = TestPostgres.startOwn()) {
      MessageStore store = PgSchemaUnderTest.owningEveryShard(PgMessageStore.open(vertx, own.config("away")));
      String queue = Ids.newId();
      Futures.await(store.commit(new StoreBatch().putQueue(queue(queue)).append(message(queue, 1, "before"))), WAIT);

      own.stop();
      assertEquals(ErrorCode.UNAVAILABLE,
          Futures.failure(store.commit(new StoreBatch().append(message(queue, 2, "lost"))), WAIT).code());
      // A body held in memory is still read; one that must come from the database is not.
      assertEquals(List.of("before"), bodies(store, queue, List.of(1L)));
      assertEquals(ErrorCode.UNAVAILABLE, Futures.failure(store.read(queue, List.of(1L, 2L)), WAIT).code());
      assertEquals(ErrorCode.UNAVAILABLE, Futures.failure(store.probe(), WAIT).code());

      own.start();
      waitAtMost(WAIT).untilAsserted(() -> Futures.await(store.probe(), WAIT));
      // Its shards' leases may have run out meanwhile: it claims them again (under new epochs) first.
      waitAtMost(WAIT).untilAsserted(() ->
          Futures.await(store.commit(new StoreBatch().append(message(queue, 3, "after"))), WAIT));
      assertEquals(List.of(1L, 3L), Futures.await(store.scan(queue, 0, 10, null, 10), WAIT).stream()
          .map(StoredMessage::sequence).toList());
      Futures.await(store.close(), WAIT);
    }
  }

  @Test
  void deletingAQueueTooLargeForTheStatementTimeoutStillSucceeds() {
    PostgresConfig tight = new PostgresConfig(alone.host(), alone.port(), alone.database(), alone.user(),
        alone.password(), alone.schema(), 2, 100, alone.connectTimeoutMs());
    String queue = Ids.newId();
    MessageStore store = PgSchemaUnderTest.owningEveryShard(PgMessageStore.open(vertx, tight));
    Futures.await(store.commit(new StoreBatch().putQueue(queue(queue))), WAIT);
    Pool filler = PostgresPools.create(vertx, alone, "filler");
    try {
      // Far more rows than PostgreSQL deletes within the 100 ms every ordinary statement of this store gets.
      Futures.await(filler.preparedQuery("INSERT INTO messaging_messages SELECT $1, s, 'm' || s, NULL, 'json', 0, 0, "
          + "'\\x7b7d'::bytea FROM generate_series(1, 400000) s").execute(Tuple.of(queue)), WAIT);

      Futures.await(store.commit(new StoreBatch().deleteQueue(queue)), WAIT);

      assertEquals(0L, Futures.await(filler.preparedQuery("SELECT count(*) FROM messaging_messages WHERE queue_id = $1")
          .execute(Tuple.of(queue)), WAIT).iterator().next().getLong(0));
    } finally {
      Futures.await(filler.close(), WAIT);
      Futures.await(store.close(), WAIT);
    }
  }

  /** Not a benchmark: a rough figure of what group commit gives on this machine (the test server runs fsync=off). */
  @Test
  void smallBatchesFromManyClientsShareTransactions() {
    MessageStore store = openAlone();
    String queue = Ids.newId();
    Futures.await(store.commit(new StoreBatch().putQueue(queue(queue))), WAIT);
    int clients = 16;
    int commitsPerClient = 63;
    int perCommit = 10;
    byte[] body = new byte[100];
    long transactionsBefore = store.syncCount();
    long start = System.nanoTime();
    List<Future<Void>> clientsDone = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      clientsDone.add(produce(store, queue, body, c * commitsPerClient * perCommit, commitsPerClient, perCommit));
    }
    Futures.await(Future.all(clientsDone), Duration.ofMinutes(2));
    double seconds = (System.nanoTime() - start) / 1e9;
    int messages = clients * commitsPerClient * perCommit;
    long transactions = store.syncCount() - transactionsBefore;
    LOG.info("{} messages in {} commits of {} from {} clients: {} s, {} msg/s, {} transactions", messages,
        clients * commitsPerClient, perCommit, clients, String.format("%.2f", seconds),
        Math.round(messages / seconds), transactions);
    assertEquals(messages, Futures.await(store.headers(queue, 0, Long.MAX_VALUE, messages + 1), WAIT).size());
    assertTrue(transactions < clients * commitsPerClient, transactions + " transactions");
    Futures.await(store.close(), WAIT);
  }

  // One client: each commit of perCommit messages asked for once its previous one succeeded.
  private static Future<Void> produce(MessageStore store, String queue, byte[] body, long firstSequence,
      int commits, int perCommit) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < commits; i++) {
      long from = firstSequence + (long) i * perCommit + 1;
      chain = chain.compose(previous -> {
        StoreBatch batch = new StoreBatch();
        for (long sequence = from; sequence < from + perCommit; sequence++) {
          batch.append(new StoredMessage(Ids.newId(), queue, sequence, null, ContentType.BYTES, body, 1, 1));
        }
        return store.commit(batch);
      });
    }
    return chain;
  }

  @Test
  void recentAppendsAreReadFromMemoryAndNeverAfterADeleteOfThem() {
    MessageStore store = openAlone();
    Pool behindItsBack = PostgresPools.create(vertx, alone, "observer");
    String queue = Ids.newId();
    StoreBatch appends = new StoreBatch().putQueue(queue(queue));
    LongStream.rangeClosed(1, 4).forEach(sequence -> appends.append(message(queue, sequence, "m" + sequence)));
    Futures.await(store.commit(appends), WAIT);
    Futures.await(behindItsBack.query("DELETE FROM messaging_messages WHERE queue_id = '" + queue + "'").execute(),
        WAIT);

    assertEquals(List.of("m3", "m1", "m2", "m4"), bodies(store, queue, List.of(3L, 1L, 2L, 4L)));
    Futures.await(store.commit(new StoreBatch().deleteMessage(queue, 1)), WAIT);
    assertEquals(List.of("m2", "m3", "m4"), bodies(store, queue, List.of(1L, 2L, 3L, 4L)));
    Futures.await(store.commit(new StoreBatch().deleteMessagesThrough(queue, 3)), WAIT);
    assertEquals(List.of("m4"), bodies(store, queue, List.of(1L, 2L, 3L, 4L)));
    Futures.await(store.commit(new StoreBatch().deleteQueue(queue)), WAIT);
    assertEquals(List.of(), bodies(store, queue, List.of(4L)));
    Futures.await(behindItsBack.close(), WAIT);
    Futures.await(store.close(), WAIT);
  }

  @Test
  void theBodyCacheKeepsToItsBoundAndWhatItDoesNotHoldIsReadFromTheDatabase() {
    long bound = 4096;
    PgMessageStore store = PgSchemaUnderTest.owningEveryShard(PgMessageStore.open(vertx, alone, bound, 2,
        PgMessageStore.DEFAULT_SHARD_LEASE_MS));
    String queue = Ids.newId();
    StoreBatch appends = new StoreBatch().putQueue(queue(queue));
    LongStream.rangeClosed(1, 100).forEach(sequence -> appends.append(message(queue, sequence, "m" + sequence)));
    Futures.await(store.commit(appends), WAIT);
    assertTrue(store.bodyCacheBytes() > 0 && store.bodyCacheBytes() <= bound, store.bodyCacheBytes() + " bytes");

    List<Long> all = LongStream.rangeClosed(1, 100).boxed().toList();
    assertEquals(all.stream().map(sequence -> "m" + sequence).toList(), bodies(store, queue, all));
    StoreBatch acks = new StoreBatch();
    all.forEach(sequence -> acks.deleteMessage(queue, sequence));
    Futures.await(store.commit(acks), WAIT);
    assertEquals(0, store.bodyCacheBytes());
    Futures.await(store.close(), WAIT);
  }

  @Test
  void aHandOverIsLoadedByTheShardsNextOwnerOnlyForTheShardsItGainsInOrderUntilDeleted() {
    MessageStore handing = openAlone();
    String subscription = Ids.newId();
    String queue = Ids.newId();
    HandedLease later = new HandedLease(3, subscription, 7, Ids.newId(), 5_000, 2);
    HandedLease earlier = new HandedLease(3, subscription, 4, Ids.newId(), 6_000, 1);
    HandedLease otherShard = new HandedLease(4, Ids.newId(), 1, Ids.newId(), 7_000, 1);
    Futures.await(handing.forShard(3).commit(new StoreBatch().putQueue(queue(queue))
        .append(message(queue, 4, "m4")).putPending(subscription, 4, 0, 1_000)
        .handLease(later).handLease(earlier)), WAIT);
    Futures.await(handing.forShard(4).commit(new StoreBatch().handLease(otherShard)), WAIT);
    assertEquals(List.of(), load(handing, Set.of(3, 4)).handed, "the shard has not moved");
    Futures.await(handing.close(), WAIT);

    MessageStore next = openAlone();
    CollectedState gaining3 = load(next, Set.of(3));
    assertEquals(List.of(earlier, later), gaining3.handed);
    assertEquals(List.of("queue", "head", "message", "handed", "pending"), gaining3.order);
    assertEquals(List.of(), load(next, Set.of()).handed, "a load gaining no shard reads no hand-over");

    Futures.await(next.forShard(3).commit(new StoreBatch().deleteHandedLeases(3)), WAIT);
    assertEquals(List.of(otherShard), load(next, Set.of(3, 4)).handed);
    Futures.await(next.close(), WAIT);
    MessageStore third = openAlone();
    assertEquals(List.of(), load(third, Set.of(3, 4)).handed,
        "a hand-over its next owner did not restore is stale for the owner after it");
    Futures.await(third.close(), WAIT);
  }

  @Test
  void aHandOverReplacesTheShardsEarlierOne() {
    MessageStore store = openAlone();
    HandedLease first = new HandedLease(3, Ids.newId(), 1, Ids.newId(), 5_000, 1);
    HandedLease second = new HandedLease(3, Ids.newId(), 2, Ids.newId(), 6_000, 1);
    Futures.await(store.forShard(3).commit(new StoreBatch().handLease(first)), WAIT);
    Futures.await(store.forShard(3).commit(new StoreBatch().handLease(second)), WAIT);
    Futures.await(store.close(), WAIT);

    MessageStore next = openAlone();
    assertEquals(List.of(second), load(next, Set.of(3)).handed);
    Futures.await(next.close(), WAIT);
  }

  @Test
  void anOwnerDeposedMeanwhileHandsNoLeasesOver() {
    MessageStore store = openAlone();
    Pool behindItsBack = PostgresPools.create(vertx, alone, "observer");
    // What another instance's claim of shard 3 does, unseen by this one.
    Futures.await(behindItsBack.query("UPDATE messaging_shard_leases SET epoch = epoch + 1, owner = 'another',"
        + " expires_at = now() + interval '1 minute' WHERE shard = 3").execute(), WAIT);

    FerryException fenced = Futures.failure(store.forShard(3).commit(new StoreBatch()
        .handLease(new HandedLease(3, Ids.newId(), 1, Ids.newId(), 5_000, 1))), WAIT);

    assertEquals(ErrorCode.UNAVAILABLE, fenced.code());
    assertEquals(0L, Futures.await(behindItsBack.query("SELECT count(*) FROM messaging_handed_leases").execute(),
        WAIT).iterator().next().getLong(0));
    Futures.await(behindItsBack.close(), WAIT);
    Futures.await(store.close(), WAIT);
  }

  private static CollectedState load(MessageStore store, Set<Integer> gaining) {
    CollectedState state = new CollectedState(gaining);
    Futures.await(store.load(state), WAIT);
    return state;
  }

  private static List<String> bodies(MessageStore store, String queue, List<Long> sequences) {
    return Futures.await(store.read(queue, sequences), WAIT).stream()
        .map(message -> new String(message.body(), java.nio.charset.StandardCharsets.UTF_8)).toList();
  }

  private static QueueInfo queue(String id) {
    return new QueueInfo(id, "acct", "q-" + id, 1, 1, QueueSettings.DEFAULTS);
  }

  private static StoredMessage message(String queue, long sequence, String body) {
    return new StoredMessage(Ids.newId(), queue, sequence, null, ContentType.TEXT,
        body.getBytes(java.nio.charset.StandardCharsets.UTF_8), 1_000, 2_000);
  }
}
