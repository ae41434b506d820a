package io.ferry.messaging.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.bus.Codecs;
import io.ferry.contracts.bus.Endpoints;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.ShardCall;
import io.ferry.contracts.model.ShardReply;
import io.ferry.contracts.testkit.Futures;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The forwarder sends a call again only when it surely did not run (no owner, or the owner refused it as no
 * longer its shard's) and only for the forwarding wait, then fails UNAVAILABLE; an owner's error is the
 * caller's at once, and silence after delivery is OUTCOME_UNKNOWN (the call may have run).
 */
class ShardForwarderTest {

  private static final ShardCall CALL = new ShardCall(2, "metrics", new JsonObject());
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    Codecs.registerAll(vertx.eventBus());
  }

  @AfterEach
  void stop() {
    Futures.await(vertx.close(), Duration.ofSeconds(10));
  }

  @Test
  void aRefusalByAFormerOwnerIsSentAgainUntilTheOwnerAnswers() {
    AtomicInteger received = new AtomicInteger();
    serve(message -> {
      if (received.incrementAndGet() < 3) {
        message.fail(ShardCall.NOT_THE_OWNER, "shard 2 is no longer served here");
      } else {
        message.reply(new ShardReply(new JsonObject().put("value", "ok")));
      }
    });

    ShardReply reply = Futures.await(new ShardForwarder(vertx, 5_000).send(CALL, 1_000), Duration.ofSeconds(10));

    assertEquals("ok", reply.result().getString("value"));
    assertEquals(3, received.get());
  }

  @Test
  void noOwnerForTheWholeWaitIsUnavailable() {
    long started = System.nanoTime();

    FerryException failure = Futures.failure(new ShardForwarder(vertx, 300).send(CALL, 1_000),
        Duration.ofSeconds(10));

    assertEquals(ErrorCode.UNAVAILABLE, failure.code(), "it surely did not run: retry");
    assertTrue(failure.getMessage().contains("no messaging instance serves shard 2"), failure.getMessage());
    assertTrue((System.nanoTime() - started) / 1_000_000 >= 300);
  }

  @Test
  void aCallDeliveredButNotAnsweredIsNotSentAgain() {
    AtomicInteger received = new AtomicInteger();
    serve(message -> received.incrementAndGet());

    FerryException failure = Futures.failure(new ShardForwarder(vertx, 5_000).send(CALL, 200),
        Duration.ofSeconds(10));

    assertEquals(ErrorCode.OUTCOME_UNKNOWN, failure.code(), "it may have run: in doubt, not refused");
    assertTrue(failure.getMessage().contains("shard 2 did not answer within 200 ms"), failure.getMessage());
    assertTrue(failure.getMessage().contains("may or may not have been applied"), failure.getMessage());
    assertEquals(1, received.get(), "it may have run: never twice");
  }

  @Test
  void aCallAnOwnerFirstRefusedThenTookAndNeverAnsweredIsInDoubt() {
    AtomicInteger received = new AtomicInteger();
    serve(message -> {
      if (received.incrementAndGet() == 1) {
        message.fail(ShardCall.NOT_THE_OWNER, "shard 2 is no longer served here");
      }
    });

    FerryException failure = Futures.failure(new ShardForwarder(vertx, 5_000).send(CALL, 200),
        Duration.ofSeconds(10));

    assertEquals(ErrorCode.OUTCOME_UNKNOWN, failure.code());
    assertEquals(2, received.get());
  }

  @Test
  void anOwnersErrorArrivesAsItIs() {
    AtomicInteger received = new AtomicInteger();
    serve(message -> {
      received.incrementAndGet();
      new FerryException(ErrorCode.QUEUE_NOT_FOUND, "queue q does not exist").replyTo(message);
    });

    FerryException failure = Futures.failure(new ShardForwarder(vertx, 5_000).send(CALL, 1_000),
        Duration.ofSeconds(10));

    assertEquals(ErrorCode.QUEUE_NOT_FOUND, failure.code());
    assertEquals("queue q does not exist", failure.getMessage());
    assertEquals(1, received.get());
  }

  @Test
  void callsGoToTheInstanceThatLastAnsweredUntilItGaveTheShardUp() {
    String ownAddress = "test.messaging-instance.a";
    AtomicInteger viaShard = new AtomicInteger();
    AtomicInteger viaOwner = new AtomicInteger();
    DeliveryOptions naming = new DeliveryOptions().addHeader(ShardCall.OWNER_HEADER, ownAddress);
    serve(message -> {
      viaShard.incrementAndGet();
      message.reply(new ShardReply(new JsonObject()), naming);
    });
    Futures.await(vertx.eventBus().<ShardCall>consumer(ownAddress, message -> {
      viaOwner.incrementAndGet();
      message.reply(new ShardReply(new JsonObject()), naming);
    }).completion(), Duration.ofSeconds(10));
    ShardForwarder forwarder = new ShardForwarder(vertx, 5_000);

    Futures.await(forwarder.send(CALL, 1_000), Duration.ofSeconds(10));
    Futures.await(forwarder.send(CALL, 1_000), Duration.ofSeconds(10));
    assertEquals(1, viaShard.get());
    assertEquals(1, viaOwner.get());

    forwarder.forget(CALL.shard());
    Futures.await(forwarder.send(CALL, 1_000), Duration.ofSeconds(10));
    assertEquals(2, viaShard.get(), "once the shard was given up, the owner is looked up by the shard's address");
    assertEquals(1, viaOwner.get());
  }

  @Test
  void callsGoToTheShardsAddressOnceTheMemberThatLastAnsweredLeftTheCluster() {
    String ownAddress = ShardForwarder.ownAddressPrefix("member-b") + "instance-1";
    AtomicInteger viaShard = new AtomicInteger();
    DeliveryOptions naming = new DeliveryOptions().addHeader(ShardCall.OWNER_HEADER, ownAddress);
    serve(message -> {
      viaShard.incrementAndGet();
      message.reply(new ShardReply(new JsonObject()), naming);
    });
    Futures.await(vertx.eventBus().<ShardCall>consumer(ownAddress,
        message -> message.reply(new ShardReply(new JsonObject()), naming)).completion(), Duration.ofSeconds(10));
    ShardForwarder forwarder = new ShardForwarder(vertx, 5_000);
    Futures.await(forwarder.send(CALL, 1_000), Duration.ofSeconds(10));

    forwarder.memberLeft("member-a");
    Futures.await(forwarder.send(CALL, 1_000), Duration.ofSeconds(10));
    assertEquals(1, viaShard.get(), "another member left: this owner is still known");

    forwarder.memberLeft("member-b");
    Futures.await(forwarder.send(CALL, 1_000), Duration.ofSeconds(10));
    assertEquals(2, viaShard.get(), "its member left: the owner is looked up by the shard's address");
  }

  @Test
  void aCallOnItsWayToAnOwnerWhoseMemberLeavesFailsInDoubtAtOnceRatherThanAtItsTimeout() {
    String ownAddress = ShardForwarder.ownAddressPrefix("member-b") + "instance-1";
    DeliveryOptions naming = new DeliveryOptions().addHeader(ShardCall.OWNER_HEADER, ownAddress);
    serve(message -> message.reply(new ShardReply(new JsonObject()), naming));
    AtomicInteger received = new AtomicInteger();
    // The owner's process dies with the call: no answer ever comes.
    Futures.await(vertx.eventBus().<ShardCall>consumer(ownAddress, message -> received.incrementAndGet())
        .completion(), Duration.ofSeconds(10));
    ShardForwarder forwarder = new ShardForwarder(vertx, 5_000);
    Futures.await(forwarder.send(CALL, 1_000), Duration.ofSeconds(10));
    var pending = forwarder.send(CALL, 60_000);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> received.get() == 1);

    forwarder.memberLeft("member-a");
    assertFalse(pending.isComplete(), "another member left");
    forwarder.memberLeft("member-b");

    // Well before the call's own timeout (a minute).
    FerryException failure = Futures.failure(pending, Duration.ofSeconds(10));
    assertEquals(ErrorCode.OUTCOME_UNKNOWN, failure.code());
    assertTrue(failure.getMessage().contains("left the cluster"), failure.getMessage());
    assertEquals(1, received.get(), "a call that may have run is not sent again");
  }

  private void serve(io.vertx.core.Handler<io.vertx.core.eventbus.Message<ShardCall>> handler) {
    Futures.await(vertx.eventBus().consumer(Endpoints.messagingShard(2).address(), handler).completion(),
        Duration.ofSeconds(10));
  }
}
