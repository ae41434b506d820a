package io.ferry.messaging.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.bus.Bus;
import io.ferry.contracts.bus.Codecs;
import io.ferry.contracts.bus.Endpoints;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.ContentType;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.LeasedMessage;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.QueueSettings;
import io.ferry.contracts.model.SubscriptionSpec;
import io.ferry.contracts.testkit.Futures;
import io.ferry.messaging.api.ShardBusApi;
import io.ferry.messaging.config.MessagingConfig;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A planned move fails no request (docs/scale-out.md, "Ownership"): two instances on one PostgreSQL schema under
 * the real shard leases, forwarding to each other over the bus, take pushes, pulls, acks and sends by name (what
 * Sonya's send does) on every shard through both of them while a second instance joins (half the shards move to
 * it) and then the first one stops gracefully (the rest move). Every request is answered as if nothing moved.
 */
class PlannedMoveTest {

  private static final String ACCOUNT = "acct";

  @RegisterExtension
  final PgInstances pg = new PgInstances();

  private final Map<String, QueueInfo> queuesByName = new ConcurrentHashMap<>();
  private final List<MessagingEngine> rotation = new CopyOnWriteArrayList<>();
  private final Queue<String> failures = new ConcurrentLinkedQueue<>();
  private final AtomicLong answered = new AtomicLong();
  private final AtomicLong slowestMs = new AtomicLong();
  private volatile boolean running = true;
  private int inFlight;

  @Test
  void noRequestFailsWhileShardsRebalanceToAJoiningInstanceAndAwayFromAStoppingOne() {
    Codecs.registerAll(pg.vertx.eventBus());
    await(Bus.serve(pg.vertx, Endpoints.QUEUE_LOOKUP, lookup -> {
      QueueInfo queue = queuesByName.get(lookup.accountId() + "/" + lookup.queueName());
      return queue != null ? Future.succeededFuture(queue)
          : Future.failedFuture(new FerryException(ErrorCode.QUEUE_NOT_FOUND, "no such queue"));
    }));
    MessagingEngine a = await(pg.start(pg.open("a"), links()));
    List<QueueInfo> queues = new ArrayList<>();
    for (int shard = 0; shard < PgInstances.SHARDS; shard++) {
      QueueInfo queue = queueOn(shard, a);
      await(a.upsertSubscription(new SubscriptionSpec(Ids.newId(), queue.id(), SubscriptionSpec.Kind.PULL_CONSUMER,
          10, 100, 0, 60_000, null)));
      queues.add(queue);
    }
    rotation.add(a);
    queues.forEach(queue -> {
      drive(queue, 0);
      drive(queue, 1);
    });
    awaitMoreAnswers(200);

    // What the rebalance paces its steps by: each shard the joining instance gains is announced once it serves.
    Set<Integer> servedByB = ConcurrentHashMap.newKeySet();
    Bus.subscribe(pg.vertx, Endpoints.MESSAGING_SHARD_SERVED, servedByB::add);
    MessagingEngine b = await(pg.start(pg.open("b"), links()));
    rotation.add(b);
    awaitOwned("b", PgInstances.SHARDS / 2);
    Awaitility.await().atMost(PgInstances.WAIT).until(() -> servedByB.size() == PgInstances.SHARDS / 2);
    awaitMoreAnswers(200);

    // As in a rolling update: the stopping instance still takes requests while it hands its shards over.
    await(a.stop());
    rotation.remove(a);
    awaitOwned("b", PgInstances.SHARDS);
    awaitMoreAnswers(200);

    running = false;
    Awaitility.await().atMost(PgInstances.WAIT).until(() -> inFlight() == 0);
    assertEquals(List.of(), List.copyOf(failures), "requests failed during the planned moves");
    assertTrue(answered.get() > 600);
    // For the record (docs/scale-out.md): how long a request waited at most while its shard moved.
    System.out.println("planned moves: " + answered.get() + " requests answered, the slowest in " + slowestMs.get()
        + " ms");
  }

  private ShardBusApi links() {
    return new ShardBusApi(pg.vertx, MessagingConfig.DEFAULT_FORWARD_WAIT_MS);
  }

  // A client of one queue: a push, a send by name, a pull and the ack of what it pulled, over and over, each
  // round through the next instance in rotation.
  private void drive(QueueInfo queue, int round) {
    if (!running) {
      return;
    }
    List<MessagingEngine> instances = List.copyOf(rotation);
    MessagingEngine via = instances.get(round % instances.size());
    started();
    byte[] body = ("m" + round).getBytes(StandardCharsets.UTF_8);
    step("push", via.publish(Publication.toQueue(ACCOUNT, queue.id(), List.of(new NewMessage(null, ContentType.TEXT,
            body, null)), null)))
        .compose(v -> step("send by name", via.publish(Publication.toQueueNamed(ACCOUNT, queue.name(),
            new NewMessage(null, ContentType.TEXT, body, null), null))))
        .compose(v -> step("pull", via.pull(ACCOUNT, queue.id(), 10, 60_000, 0)))
        .compose(batch -> step("ack", via.ackPulled(ACCOUNT, queue.id(),
            batch.messages().stream().map(LeasedMessage::leaseId).toList(), List.of())))
        .onComplete(done -> {
          ended();
          drive(queue, round + 1);
        });
  }

  private <T> Future<T> step(String what, Future<T> request) {
    long started = System.nanoTime();
    return request.andThen(done -> {
      slowestMs.accumulateAndGet((System.nanoTime() - started) / 1_000_000, Math::max);
      if (done.failed()) {
        failures.add(what + ": " + done.cause());
      } else {
        answered.incrementAndGet();
      }
    });
  }

  private synchronized void started() {
    inFlight++;
  }

  private synchronized void ended() {
    inFlight--;
  }

  private synchronized int inFlight() {
    return inFlight;
  }

  private void awaitMoreAnswers(long more) {
    long target = answered.get() + more;
    Awaitility.await().atMost(PgInstances.WAIT).until(() -> answered.get() >= target || !failures.isEmpty());
  }

  private void awaitOwned(String owner, int shards) {
    Awaitility.await().atMost(PgInstances.WAIT).until(() -> pg.count(
        "SELECT count(*) FROM messaging_shard_leases WHERE owner = $1 AND expires_at > now()", owner)
        == shards);
  }

  private QueueInfo queueOn(int shard, MessagingEngine via) {
    while (true) {
      String id = Ids.newId();
      if (pg.map.shardOf(id) == shard) {
        QueueInfo queue = new QueueInfo(id, ACCOUNT, "q-" + id.substring(0, 8), 1, 1, QueueSettings.DEFAULTS);
        await(via.upsertQueue(queue));
        queuesByName.put(ACCOUNT + "/" + queue.name(), queue);
        return queue;
      }
    }
  }

  private static <T> T await(Future<T> future) {
    return Futures.await(future, PgInstances.WAIT);
  }
}
