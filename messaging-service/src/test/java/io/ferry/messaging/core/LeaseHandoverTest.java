package io.ferry.messaging.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.contracts.model.AckRequest;
import io.ferry.contracts.model.AckResult;
import io.ferry.contracts.model.ContentType;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.LeaseBatch;
import io.ferry.contracts.model.LeaseRequest;
import io.ferry.contracts.model.LeasedMessage;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.model.SubscriptionSpec;
import io.ferry.contracts.testkit.Futures;
import io.ferry.messaging.store.PgMessageStore;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A shard that moves on a planned change (an instance joins and the shards rebalance) hands the leases out on it
 * over to its next owner (docs/scale-out.md): there, nothing leased is delivered again before its lease runs
 * out, the holders of the leases settle them with the ids they hold, the hand-over is gone once restored, and a
 * lease left to expire brings its message back with its attempt counted, both for an http_pull consumer and for
 * a listener's subscription. An owner deposed meanwhile hands nothing over.
 */
class LeaseHandoverTest {

  private static final String ACCOUNT = "acct";
  // The highest shard: the first one an instance gives up when another joins.
  private static final int SHARD = PgInstances.SHARDS - 1;
  private static final int VISIBILITY_MS = 60_000;

  @RegisterExtension
  final PgInstances pg = new PgInstances();

  @Test
  void aPlannedMoveHandsEveryLeaseOverAndTheNextOwnerHonoursIt() {
    MessagingEngine a = await(pg.start(pg.open("a")));
    QueueInfo queue = queueOn(SHARD);
    await(a.upsertQueue(queue));
    SubscriptionSpec consumer = subscription(queue, SubscriptionSpec.Kind.PULL_CONSUMER, 100);
    SubscriptionSpec listener = subscription(queue, SubscriptionSpec.Kind.LISTENER,
        SubscriptionSpec.UNLIMITED_RETRIES);
    await(a.upsertSubscription(consumer));
    await(a.upsertSubscription(listener));
    await(a.publish(Publication.toQueue(ACCOUNT, queue.id(), IntStream.range(0, 4)
        .mapToObj(i -> new NewMessage(null, ContentType.TEXT, ("m" + i).getBytes(StandardCharsets.UTF_8), null))
        .toList(), null)));
    List<LeasedMessage> pulled = await(a.pull(ACCOUNT, queue.id(), 10, VISIBILITY_MS, 0)).messages();
    List<LeasedMessage> dispatched = await(a.lease(new LeaseRequest(queue.id(), listener.id(), 10, VISIBILITY_MS,
        0))).messages();
    assertEquals(4, pulled.size());
    assertEquals(4, dispatched.size());

    MessagingEngine b = await(pg.start(pg.open("b")));
    Awaitility.await().atMost(PgInstances.WAIT).ignoreExceptions()
        .until(() -> Futures.await(b.metrics(ACCOUNT, queue.id()), PgInstances.WAIT) != null);

    assertEquals(List.of(), await(b.pull(ACCOUNT, queue.id(), 10, VISIBILITY_MS, 0)).messages(),
        "nothing leased on the old owner is delivered again before its lease runs out");
    assertEquals(List.of(), leaseListener(b, queue, listener).messages());
    assertEquals(0L, pg.count("SELECT count(*) FROM messaging_handed_leases"), "restored, the hand-over is gone");

    AckResult acked = await(b.ackPulled(ACCOUNT, queue.id(), List.of(pulled.get(0).leaseId(),
        pulled.get(1).leaseId()), List.of()));
    assertEquals(2, acked.ackCount());
    assertEquals(Map.of(), acked.warnings());
    AckResult settled = await(b.ack(new AckRequest(queue.id(), listener.id(), List.of(dispatched.get(0).leaseId()),
        List.of(), List.of(), List.of(dispatched.get(1).leaseId()))));
    assertEquals(1, settled.ackCount());
    assertEquals(Map.of(), settled.warnings());
    assertEquals(Map.of("m1", 1), attempts(leaseListener(b, queue, listener)),
        "a released lease comes back at once, its attempt not counted");

    pg.clock.advance(VISIBILITY_MS);
    await(b.sweep());
    assertEquals(Map.of("m2", 2, "m3", 2), attempts(await(b.pull(ACCOUNT, queue.id(), 10, VISIBILITY_MS, 0))),
        "an expired lease brings its message back with the attempt counted");
    // m1's lease taken on the new owner ran out too.
    assertEquals(Map.of("m1", 2, "m2", 2, "m3", 2), attempts(leaseListener(b, queue, listener)));
  }

  @Test
  void anInstanceStoppingGracefullyHandsItsLeasesToTheOneStartingNext() {
    MessagingEngine a = await(pg.start(pg.open("a")));
    QueueInfo queue = pullQueueWithOneMessage(a);
    LeasedMessage pulled = await(a.pull(ACCOUNT, queue.id(), 10, VISIBILITY_MS, 0)).messages().get(0);

    await(a.stop());
    MessagingEngine b = await(pg.start(pg.open("b")));

    assertEquals(List.of(), await(b.pull(ACCOUNT, queue.id(), 10, VISIBILITY_MS, 0)).messages());
    assertEquals(1, await(b.ackPulled(ACCOUNT, queue.id(), List.of(pulled.leaseId()), List.of())).ackCount());
    assertEquals(0L, await(b.metrics(ACCOUNT, queue.id())).backlogCount());
  }

  @Test
  void anOwnerDeposedBeforeItGivesTheShardUpHandsNothingOver() {
    MessagingEngine a = await(pg.start(pg.open("a")));
    QueueInfo queue = pullQueueWithOneMessage(a);
    assertEquals(1, await(a.pull(ACCOUNT, queue.id(), 10, VISIBILITY_MS, 0)).messages().size());
    // What another instance's claim of the shard does, unseen by this one.
    pg.sql("UPDATE messaging_shard_leases SET epoch = epoch + 1, owner = 'another',"
        + " expires_at = now() + interval '1 minute' WHERE shard = $1", SHARD);

    await(a.stop());

    assertEquals(0L, pg.count("SELECT count(*) FROM messaging_handed_leases"));
  }

  private LeaseBatch leaseListener(MessagingEngine via, QueueInfo queue, SubscriptionSpec listener) {
    return await(via.lease(new LeaseRequest(queue.id(), listener.id(), 10, VISIBILITY_MS, 0)));
  }

  private static Map<String, Integer> attempts(LeaseBatch batch) {
    return batch.messages().stream().collect(Collectors.toMap(
        leased -> new String(leased.message().body(), StandardCharsets.UTF_8), LeasedMessage::attempts));
  }

  private static SubscriptionSpec subscription(QueueInfo queue, SubscriptionSpec.Kind kind, int maxRetries) {
    return new SubscriptionSpec(Ids.newId(), queue.id(), kind, 10, maxRetries, 0, VISIBILITY_MS, null);
  }

  private QueueInfo queueOn(int shard) {
    while (true) {
      String id = Ids.newId();
      if (pg.map.shardOf(id) == shard) {
        return new QueueInfo(id, ACCOUNT, "q-" + id.substring(0, 8), 1, 1, QueueSettings.DEFAULTS);
      }
    }
  }

  private static <T> T await(Future<T> future) {
    return Futures.await(future, PgInstances.WAIT);
  }

  /** A queue on {@link #SHARD} with a pull consumer and one message, m0, ready for it. */
  private QueueInfo pullQueueWithOneMessage(MessagingEngine engine) {
    QueueInfo queue = queueOn(SHARD);
    await(engine.upsertQueue(queue));
    await(engine.upsertSubscription(subscription(queue, SubscriptionSpec.Kind.PULL_CONSUMER, 100)));
    await(engine.publish(Publication.toQueue(ACCOUNT, queue.id(), List.of(new NewMessage(null, ContentType.TEXT,
        "m0".getBytes(StandardCharsets.UTF_8), null)), null)));
    return queue;
  }
}
