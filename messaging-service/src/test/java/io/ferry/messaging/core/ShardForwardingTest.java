package io.ferry.messaging.core;

import static io.ferry.messaging.core.TwoInstances.ACCOUNT;
import static io.ferry.messaging.core.TwoInstances.await;
import static io.ferry.messaging.core.TwoInstances.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.error.FerryException;
import io.ferry.contracts.model.AckResult;
import io.ferry.contracts.model.ContentType;
import io.ferry.contracts.model.HistoryRequest;
import io.ferry.contracts.model.Ids;
import io.ferry.contracts.model.LeaseBatch;
import io.ferry.contracts.model.LeasedMessage;
import io.ferry.contracts.model.QueueInfo;
import io.ferry.contracts.model.RetryRequest;
import io.ferry.contracts.model.ShardCall;
import io.ferry.contracts.model.StoredMessage;
import io.ferry.contracts.model.SubscriptionSpec;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two instances share the queues, each owning half the shards (docs/scale-out.md): either answers for any
 * queue exactly as the owner would, a shard moves between them under load without a failed request or a lost
 * or doubled message, a shard nobody owns answers UNAVAILABLE after the forwarding wait, and a lost shard
 * ends its parked polls at once.
 */
class ShardForwardingTest {

  @RegisterExtension
  final TwoInstances instances = new TwoInstances();

  @Test
  void eitherInstanceAnswersForAQueueOnTheOthersShardAsTheOwnerDoes() {
    QueueInfo queue = instances.queueOn(1, instances.a);
    QueueInfo local = instances.queueOn(2, instances.a);
    consumer(instances.a, queue);

    StoredMessage pushed = push(instances.a, queue, "hello").get(0);
    assertEquals(1, await(instances.b.metrics(ACCOUNT, queue.id())).backlogCount(), "the owner holds it");
    assertEquals(await(instances.b.metrics(ACCOUNT, queue.id())), await(instances.a.metrics(ACCOUNT, queue.id())));
    assertEquals(List.of("hello"), await(instances.a.peek(ACCOUNT, queue.id(), 10)).stream()
        .map(peeked -> text(peeked.message())).toList());

    LeaseBatch pulled = await(instances.a.pull(ACCOUNT, queue.id(), 10, 30_000, 0));
    assertEquals(List.of(pushed.id()), pulled.messages().stream().map(m -> m.message().id()).toList());
    AckResult acked = await(instances.a.ackPulled(ACCOUNT, queue.id(),
        List.of(pulled.messages().get(0).leaseId()), List.of()));
    assertEquals(1, acked.ackCount());
    assertEquals(0, await(instances.b.metrics(ACCOUNT, queue.id())).backlogCount());

    // Records holding bodies compare by their JSON (byte arrays compare by identity).
    assertEquals(await(instances.b.history(new HistoryRequest(queue.id(), 1, null, 100))).toJson().encode(),
        await(instances.a.history(new HistoryRequest(queue.id(), 1, null, 100))).toJson().encode());
    push(instances.b, local, "mine");
    push(instances.a, queue, "theirs");
    List<MessageSummary> listed = await(instances.a.listMessages(ACCOUNT, null, null, 100));
    assertEquals(await(instances.b.listMessages(ACCOUNT, null, null, 100)), listed);
    assertEquals(Set.of(queue.id(), local.id()), listed.stream().map(MessageSummary::queueId)
        .collect(java.util.stream.Collectors.toSet()), "the account's listing spans both instances' shards");
  }

  @Test
  void sendingByNameFindsAQueueWhoseShardIsServedElsewhere() {
    QueueInfo queue = instances.queueOn(3, instances.b);

    PublishResult sent = await(instances.a.publish(Publication.toQueueNamed(ACCOUNT, queue.name(),
        new NewMessage("k1", ContentType.TEXT, bytes("by name"), null), null)));

    assertEquals(queue.id(), sent.messages().get(0).queueId());
    assertEquals(1, await(instances.b.metrics(ACCOUNT, queue.id())).backlogCount());
    FerryException missing = failure(instances.a.publish(Publication.toQueueNamed(ACCOUNT, "no-such-queue",
        new NewMessage(null, ContentType.TEXT, bytes("x"), null), null)));
    assertEquals(ErrorCode.QUEUE_NOT_FOUND, missing.code());
  }

  @Test
  void aReconciledInstanceKnowsEveryQueueByNameWhereverItsShardIs() {
    QueueInfo unknownToAdmin = new QueueInfo(idOn(3), ACCOUNT, "reconciled", 1, 1,
        io.ferry.contracts.model.QueueSettings.DEFAULTS);
    await(instances.b.upsertQueue(unknownToAdmin));
    await(instances.a.reconcile(new io.ferry.contracts.model.TopologySnapshot(List.of(unknownToAdmin), List.of())));

    PublishResult sent = await(instances.a.publish(Publication.toQueueNamed(ACCOUNT, "reconciled",
        new NewMessage(null, ContentType.TEXT, bytes("by name"), null), null)));

    assertEquals(unknownToAdmin.id(), sent.messages().get(0).queueId());
  }

  @Test
  void anOwnersErrorArrivesWithItsCodeAndMessage() {
    QueueInfo withoutConsumer = instances.queueOn(5, instances.a);
    String unknown = idOn(5);

    for (Future<?>[] pair : List.of(
        new Future<?>[] {instances.a.metrics(ACCOUNT, unknown), instances.b.metrics(ACCOUNT, unknown)},
        new Future<?>[] {instances.a.pull(ACCOUNT, withoutConsumer.id(), 1, null, 0),
            instances.b.pull(ACCOUNT, withoutConsumer.id(), 1, null, 0)})) {
      FerryException forwarded = failure(pair[0]);
      FerryException owners = failure(pair[1]);
      assertEquals(owners.code(), forwarded.code());
      assertEquals(owners.getMessage(), forwarded.getMessage());
    }
    assertEquals(ErrorCode.QUEUE_NOT_FOUND, failure(instances.a.metrics(ACCOUNT, unknown)).code());
  }

  @Test
  void aShardMovesUnderLoadWithoutAFailedRequestALostMessageOrADeliveryAfterAnAck() {
    QueueInfo queue = instances.queueOn(1, instances.a);
    consumer(instances.a, queue);
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    Set<String> pushedBodies = ConcurrentHashMap.newKeySet();
    Set<String> ackedBodies = ConcurrentHashMap.newKeySet();
    List<String> deliveredAfterAck = new CopyOnWriteArrayList<>();
    AtomicInteger next = new AtomicInteger();
    AtomicBoolean producing = new AtomicBoolean(true);
    AtomicBoolean consuming = new AtomicBoolean(true);
    produce(queue, next, producing, pushedBodies, failures);
    consume(queue, consuming, ackedBodies, deliveredAfterAck, failures);

    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ackedBodies.size() >= 50);
    instances.ownershipB.revoke(Set.of(1));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> instances.ownershipB.released.contains(1));
    int pushedWhenReleased = pushedBodies.size();
    instances.ownershipA.gain(Set.of(1));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> pushedBodies.size() >= pushedWhenReleased + 50);
    producing.set(false);
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> ackedBodies.containsAll(pushedBodies));
    consuming.set(false);

    assertEquals(List.of(), failures, "no request failed");
    assertEquals(List.of(), deliveredAfterAck, "nothing was delivered again after its ack was answered");
    assertEquals(0, await(instances.a.metrics(ACCOUNT, queue.id())).backlogCount());
    assertEquals(0, await(instances.b.metrics(ACCOUNT, queue.id())).backlogCount());
  }

  @Test
  void aShardNobodyOwnsAnswersUnavailableAfterTheWaitAndServesOnceGained() {
    QueueInfo queue = instances.queueOn(3, instances.a);
    instances.ownershipB.revoke(Set.of(3));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> instances.ownershipB.released.contains(3));

    long started = System.nanoTime();
    FerryException refused = failure(instances.a.metrics(ACCOUNT, queue.id()));
    long waitedMs = (System.nanoTime() - started) / 1_000_000;
    assertEquals(ErrorCode.UNAVAILABLE, refused.code());
    assertTrue(waitedMs >= TwoInstances.FORWARD_WAIT_MS, "waited " + waitedMs + " ms");

    Future<?> waiting = instances.b.metrics(ACCOUNT, queue.id());
    instances.ownershipA.gain(Set.of(3));
    await(waiting);
    assertEquals(0, await(instances.b.metrics(ACCOUNT, queue.id())).backlogCount());
    assertTrue(instances.a.serving() && instances.b.serving());
  }

  @Test
  void anAckWhoseDeadLetteredCopyWasOnItsWayWhenItsShardLeftIsAnsweredByTheNewOwner() {
    QueueInfo source = instances.queueOn(2, instances.a);
    QueueInfo deadLetters = instances.queueOn(3, instances.a);
    await(instances.a.upsertSubscription(new SubscriptionSpec(Ids.newId(), source.id(),
        SubscriptionSpec.Kind.PULL_CONSUMER, 10, 0, 0, 30_000, deadLetters.id())));
    push(instances.a, source, "poison");
    LeasedMessage leased = await(instances.a.pull(ACCOUNT, source.id(), 1, null, 0)).messages().get(0);
    // The copy for the dead-letter queue's owner waits on the bus, as a slow owner would keep it.
    List<DeliveryContext<?>> held = new CopyOnWriteArrayList<>();
    instances.vertx.eventBus().addInboundInterceptor(delivery -> {
      if (delivery.message().body() instanceof ShardCall call && call.operation().equals("appendDeadLetterCopy")
          && held.isEmpty()) {
        held.add(delivery);
      } else {
        delivery.next();
      }
    });
    Future<AckResult> acked = instances.a.ackPulled(ACCOUNT, source.id(), List.of(),
        List.of(new RetryRequest(leased.leaseId(), 0, null)));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 1);

    // The source's shard moves while the ack waits for the copy: its commit comes after the old owner drained.
    instances.ownershipA.revoke(Set.of(2));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> instances.ownershipA.released.contains(2));
    instances.ownershipB.gain(Set.of(2));
    await(instances.b.metrics(ACCOUNT, source.id()));
    held.get(0).next();

    await(acked);
    assertTrue(await(instances.a.metrics(ACCOUNT, deadLetters.id())).backlogCount() >= 1,
        "the copy reached the dead-letter queue (twice at most: the new owner dead-letters it too)");
  }

  @Test
  void aShardReleasedWhileItLoadsIsReleasedOnceLoadedAndNotServed() {
    QueueInfo queue = instances.queueOn(7, instances.a);
    instances.ownershipB.revoke(Set.of(7));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> instances.ownershipB.released.contains(7));
    instances.faults.holdLoads();
    instances.ownershipA.gain(Set.of(7));
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> instances.faults.heldLoads() == 1);

    instances.ownershipA.revoke(Set.of(7));
    instances.faults.releaseLoads();

    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> instances.ownershipA.released.contains(7));
    assertEquals(ErrorCode.UNAVAILABLE, failure(instances.b.metrics(ACCOUNT, queue.id())).code(),
        "nobody serves the shard");
    instances.ownershipB.gain(Set.of(7));
    assertEquals(0, await(instances.a.metrics(ACCOUNT, queue.id())).backlogCount());
  }

  @Test
  void aLostShardEndsItsParkedPollsAtOnce() {
    QueueInfo queue = instances.queueOn(5, instances.a);
    consumer(instances.a, queue);
    Future<LeaseBatch> parkedHere = instances.b.pull(ACCOUNT, queue.id(), 1, null, 60_000);
    Future<LeaseBatch> parkedThere = instances.a.pull(ACCOUNT, queue.id(), 1, null, 60_000);
    // The owner runs a queue's requests in order: once these are answered, both polls have been taken.
    await(instances.b.metrics(ACCOUNT, queue.id()));
    await(instances.a.metrics(ACCOUNT, queue.id()));

    long started = System.nanoTime();
    instances.ownershipB.lose(Set.of(5));

    assertEquals(ErrorCode.UNAVAILABLE, failure(parkedHere).code());
    assertEquals(ErrorCode.UNAVAILABLE, failure(parkedThere).code());
    assertTrue((System.nanoTime() - started) / 1_000_000 < 5_000, "the polls ended long before their wait");
    assertFalse(instances.ownershipB.released.contains(5), "a lost shard is not released");
  }

  private void produce(QueueInfo queue, AtomicInteger next, AtomicBoolean producing, Set<String> pushed,
      List<Throwable> failures) {
    if (!producing.get()) {
      return;
    }
    String body = "m-" + next.incrementAndGet();
    MessagingEngine via = next.get() % 2 == 0 ? instances.a : instances.b;
    via.publish(Publication.toQueue(ACCOUNT, queue.id(), List.of(new NewMessage(null, ContentType.TEXT,
            bytes(body), null)), null))
        .onSuccess(done -> pushed.add(body))
        .onFailure(failures::add)
        .onComplete(done -> produce(queue, next, producing, pushed, failures));
  }

  private void consume(QueueInfo queue, AtomicBoolean consuming, Set<String> acked, List<String> deliveredAfterAck,
      List<Throwable> failures) {
    if (!consuming.get()) {
      return;
    }
    instances.a.pull(ACCOUNT, queue.id(), 10, 30_000, 50)
        .compose(batch -> {
          List<String> leases = new ArrayList<>();
          for (LeasedMessage leased : batch.messages()) {
            if (acked.contains(text(leased.message()))) {
              deliveredAfterAck.add(text(leased.message()));
            }
            leases.add(leased.leaseId());
          }
          if (leases.isEmpty()) {
            return Future.succeededFuture();
          }
          return instances.a.ackPulled(ACCOUNT, queue.id(), leases, List.of()).map(result -> {
            // A lease the previous owner handed out is unknown to the new one: not acked, delivered again.
            for (LeasedMessage leased : batch.messages()) {
              if (!result.warnings().containsKey(leased.leaseId())) {
                acked.add(text(leased.message()));
              }
            }
            return null;
          });
        })
        .onFailure(failures::add)
        .onComplete(done -> consume(queue, consuming, acked, deliveredAfterAck, failures));
  }

  private void consumer(MessagingEngine via, QueueInfo queue) {
    await(via.upsertSubscription(new SubscriptionSpec(Ids.newId(), queue.id(), SubscriptionSpec.Kind.PULL_CONSUMER,
        10, 100, 0, 30_000, null)));
  }

  private List<StoredMessage> push(MessagingEngine via, QueueInfo queue, String body) {
    return await(via.publish(Publication.toQueue(ACCOUNT, queue.id(), List.of(new NewMessage(null,
        ContentType.TEXT, bytes(body), null)), null))).messages();
  }

  private String idOn(int shard) {
    while (true) {
      String id = Ids.newId();
      if (instances.map.shardOf(id) == shard) {
        return id;
      }
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(StoredMessage message) {
    return new String(message.body(), StandardCharsets.UTF_8);
  }
}
