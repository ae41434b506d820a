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
import io.ferry.messaging.core.ShardMoved;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
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
  // For the move under load: on a starved machine (two cores, other tests beside this one) a call can be refused
  // by the old owner for longer than 2 s before it lands on the new one. What this test is about, a call dropped
  // without an answer, still shows as a failure, and a call left unserved still fails after this wait.
  private static final long MOVE_FORWARD_WAIT_MS = 10_000;
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
    ShardBusApi senderLinks = new ShardBusApi(sender, MOVE_FORWARD_WAIT_MS);
    ShardBusApi oldOwnerLinks = new ShardBusApi(oldOwner, MOVE_FORWARD_WAIT_MS);
    AtomicBoolean left = new AtomicBoolean();
    Futures.await(oldOwnerLinks.serve(SHARD, shard(left)), WAIT);
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

    // The planned move: the shard leaves the old owner's engine, which refuses what still reaches it, while its
    // address stays there; the sender's member gains the shard and says so; only then does the old one let go.
    left.set(true);
    Future<Void> handedOff = oldOwnerLinks.handOff(SHARD);
    long refusedUntil = answered.get() + 200;
    Futures.await(senderLinks.serve(SHARD, shard(new AtomicBoolean())), WAIT);
    assertFalse(handedOff.isComplete(), "the old owner keeps the address until the new one says it serves");
    Awaitility.await().atMost(WAIT).until(() -> answered.get() > refusedUntil);
    senderLinks.served(SHARD);
    Futures.await(handedOff, WAIT);
    long target = answered.get() + 2_000;
    Awaitility.await().atMost(WAIT).until(() -> answered.get() > target);
    sender.cancelTimer(timer[0]);
    Awaitility.await().atMost(WAIT).until(() -> inFlight.get() == 0);

    assertEquals(List.of(), failures.stream().map(Throwable::toString).distinct().toList());
    assertTrue(answered.get() > 4_000);
  }

  @Test
  void aShardHandedOffLetsItsAddressGoAfterTheBoundWhenNobodySaysItServesIt() {
    sender = member();
    oldOwner = member();
    ShardBusApi senderLinks = new ShardBusApi(sender, FORWARD_WAIT_MS);
    ShardBusApi oldOwnerLinks = new ShardBusApi(oldOwner, FORWARD_WAIT_MS);
    AtomicBoolean left = new AtomicBoolean();
    Futures.await(oldOwnerLinks.serve(SHARD, shard(left)), WAIT);
    left.set(true);

    long start = System.nanoTime();
    Futures.await(oldOwnerLinks.handOff(SHARD), WAIT);

    assertTrue(System.nanoTime() - start >= Duration.ofMillis(FORWARD_WAIT_MS).toNanos(), "held until the bound");
    Awaitility.await().atMost(WAIT).until(() -> registrations(sender, SHARD).isEmpty());
    // Nobody serves the shard now: a call waits for the forward wait and is told to come back, never dropped.
    FerryException failure = Futures.failure(senderLinks.remote(SHARD).metrics("acct", "q"), WAIT);
    assertEquals(ErrorCode.UNAVAILABLE, failure.code());
  }

  @Test
  void aShardAddressStillHeldByAMemberThatLeftIsAskedOnTheLiveHoldersOwnAddress() {
    sender = member();
    oldOwner = member();
    ShardForwarder forwarder = new ShardForwarder(sender, FORWARD_WAIT_MS);
    ShardBusApi ownerLinks = new ShardBusApi(oldOwner, FORWARD_WAIT_MS);
    Futures.await(ownerLinks.serve(SHARD, shard(new AtomicBoolean())), WAIT);
    // The sender learns the owner's own address from an answer, then forgets the shard's owner, as when a
    // shard is released, so that its next calls look at the shard's address again.
    Futures.await(forwarder.send(metricsCall(), 60_000), WAIT);
    forwarder.forget(SHARD);
    // A member killed a moment ago: the cluster still lists its registration, and the bus may pick it.
    Promise<Void> added = Promise.promise();
    ((VertxInternal) sender).clusterManager().addRegistration(Endpoints.messagingShard(SHARD).address(),
        new RegistrationInfo(UUID.randomUUID().toString(), 0, false), added);
    Futures.await(added.future(), WAIT);
    Awaitility.await().atMost(WAIT).until(() -> registrations(sender, SHARD).size() == 2);

    for (int i = 0; i < 20; i++) {
      // Each would wait a minute for an answer if it went to the member that left.
      Futures.await(forwarder.send(metricsCall(), 60_000), Duration.ofSeconds(10));
      forwarder.forget(SHARD);
    }
  }

  private static ShardCall metricsCall() {
    return new ShardCall(SHARD, "metrics", new JsonObject().put("accountId", "acct").put("queueId", "q"));
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

  // Answers metrics until the shard leaves it, then refuses every call untouched, as a shard engine does.
  private static Shard shard(AtomicBoolean left) {
    return (Shard) Proxy.newProxyInstance(Shard.class.getClassLoader(), new Class<?>[] {Shard.class},
        (proxy, method, args) -> {
          if (left.get()) {
            return Future.failedFuture(new ShardMoved(SHARD));
          }
          return method.getName().equals("metrics")
              ? Future.succeededFuture(QueueMetrics.EMPTY)
              : Future.failedFuture(new UnsupportedOperationException(method.getName()));
        });
  }

  private static List<RegistrationInfo> registrations(Vertx member, int shard) {
    Promise<List<RegistrationInfo>> found = Promise.promise();
    ((VertxInternal) member).clusterManager().getRegistrations(Endpoints.messagingShard(shard).address(), found);
    return Futures.await(found.future(), WAIT);
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
