package io.ferry.messaging.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.NetworkConfig;
import io.ferry.contracts.bus.Codecs;
import io.ferry.contracts.bus.Endpoints;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.ShardCall;
import io.ferry.contracts.model.ShardReply;
import io.ferry.messaging.bus.ShardForwarder;
import io.vertx.core.json.JsonObject;
import io.ferry.contracts.model.QueueMetrics;
import io.ferry.contracts.runtime.ClusterMembers;
import io.ferry.contracts.testkit.Futures;
import io.ferry.messaging.core.Shard;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * On the clustered bus a call that reaches a member after the address it was sent to was unregistered there is
 * dropped without an answer, and its sender only times out (Vert.x 5's inbound connection ignores the "no
 * handlers" of such a call). A shard handed over from one member to another under a steady stream of forwarded
 * calls must therefore not drop any: every call is answered, by the old owner or the new one.
 */
class ClusteredShardMoveTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int SHARD = 2;
  private static final long FORWARD_WAIT_MS = 2_000;
  private final String cluster = "ferry-test-" + UUID.randomUUID();
  private Vertx sender;
  private Vertx oldOwner;

  @AfterEach
  void close() {
    for (Vertx vertx : new Vertx[] {sender, oldOwner}) {
      if (vertx != null) {
        Futures.await(vertx.close(), WAIT);
      }
    }
  }

  @Test
  void everyCallForwardedWhileAShardMovesBetweenMembersIsAnswered() {
    sender = member();
    oldOwner = member();
    ShardBusApi senderLinks = new ShardBusApi(sender, FORWARD_WAIT_MS);
    ShardBusApi oldOwnerLinks = new ShardBusApi(oldOwner, FORWARD_WAIT_MS);
    Futures.await(oldOwnerLinks.serve(SHARD, shard()), WAIT);
    Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
    AtomicLong answered = new AtomicLong();
    AtomicLong inFlight = new AtomicLong();
    long[] timer = new long[1];
    // About five calls a millisecond, as a busy shard gets from the other instances.
    timer[0] = sender.setPeriodic(1, id -> {
      for (int i = 0; i < 5; i++) {
        inFlight.incrementAndGet();
        senderLinks.remote(SHARD).metrics("acct", "q").onComplete(done -> {
          inFlight.decrementAndGet();
          if (done.succeeded()) {
            answered.incrementAndGet();
          } else {
            failures.add(done.cause());
          }
        });
      }
    });
    Awaitility.await().atMost(WAIT).until(() -> answered.get() > 2_000);

    // The planned move: the old owner stops serving the shard to the others, then the sender's member gains it.
    Futures.await(oldOwnerLinks.unserve(SHARD), WAIT);
    Futures.await(senderLinks.serve(SHARD, shard()), WAIT);
    long target = answered.get() + 2_000;
    Awaitility.await().atMost(WAIT).until(() -> answered.get() > target);
    sender.cancelTimer(timer[0]);
    Awaitility.await().atMost(WAIT).until(() -> inFlight.get() == 0);

    assertEquals(List.of(), failures.stream().map(Throwable::toString).distinct().toList());
    assertTrue(answered.get() > 4_000);
  }

  @Test
  void aMemberHearsOfAnotherLeavingUnderTheIdThatOneGivesItself() {
    sender = member();
    oldOwner = member();
    String leaving = ClusterMembers.localId(oldOwner);
    Queue<String> left = new ConcurrentLinkedQueue<>();
    ClusterMembers.onLeft(sender, left::add);

    Futures.await(oldOwner.close(), WAIT);
    oldOwner = null;

    Awaitility.await().atMost(WAIT).until(() -> left.contains(leaving));
    assertNotEquals(ClusterMembers.localId(sender), leaving);
  }

  @Test
  void aCallSentToTheOneMemberServingAShardEndsInDoubtWhenThatMemberLeavesNotAtItsTimeout() {
    sender = member();
    oldOwner = member();
    AtomicLong received = new AtomicLong();
    // The owner takes the call and dies before it answers.
    Futures.await(oldOwner.eventBus().<ShardCall>consumer(Endpoints.messagingShard(SHARD).address(),
        message -> received.incrementAndGet()).completion(), WAIT);
    ShardForwarder forwarder = new ShardForwarder(sender, FORWARD_WAIT_MS);
    Future<ShardReply> pending = forwarder.send(new ShardCall(SHARD, "metrics", new JsonObject()), 60_000);
    Awaitility.await().atMost(WAIT).until(() -> received.get() == 1);

    forwarder.memberLeft(ClusterMembers.localId(sender));
    assertFalse(pending.isComplete(), "another member left");
    forwarder.memberLeft(ClusterMembers.localId(oldOwner));

    // Well before the call's own timeout (a minute).
    FerryException failure = Futures.failure(pending, Duration.ofSeconds(10));
    assertEquals(ErrorCode.OUTCOME_UNKNOWN, failure.code());
    assertEquals(1, received.get(), "a call that may have run is not sent again");
  }

  private static Shard shard() {
    return (Shard) Proxy.newProxyInstance(Shard.class.getClassLoader(), new Class<?>[] {Shard.class},
        (proxy, method, args) -> method.getName().equals("metrics")
            ? Future.succeededFuture(QueueMetrics.EMPTY)
            : Future.failedFuture(new UnsupportedOperationException(method.getName())));
  }

  private Vertx member() {
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName(cluster);
    hz.setProperty("hazelcast.logging.type", "slf4j");
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.shutdownhook.enabled", "false");
    NetworkConfig network = hz.getNetworkConfig();
    network.setPort(15_701).setPortAutoIncrement(true);
    network.getJoin().getMulticastConfig().setEnabled(false);
    network.getJoin().getAutoDetectionConfig().setEnabled(false);
    network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    network.getJoin().getTcpIpConfig().setEnabled(true).addMember("127.0.0.1");
    Vertx vertx = Futures.await(Vertx.builder().withClusterManager(new HazelcastClusterManager(hz))
        .buildClustered(), WAIT);
    Codecs.registerAll(vertx.eventBus());
    return vertx;
  }
}
