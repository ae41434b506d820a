package io.ferry.gateway;

import static io.ferry.gateway.TestNode.message;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.ferry.contracts.model.ContentType;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the gateway holds for subscribers is bounded in bytes, per socket and over all sockets. */
class HeldBytesTest {

  private static final int MAX_HELD_BYTES = 512 * 1024;
  private static final int MAX_TOTAL_HELD_BYTES = 1024 * 1024;
  // ~100 KB frames: five fit in one socket's share, not six; ten pass the total.
  private static final String BIG = "x".repeat(100_000);
  // The frame bound is far away: only bytes can close these sockets.
  @RegisterExtension
  static final TestNode node = TestNode.perClass(Map.of("gateway.max-held-frames", "10000",
      "gateway.max-held-bytes", Integer.toString(MAX_HELD_BYTES),
      "gateway.max-total-held-bytes", Integer.toString(MAX_TOTAL_HELD_BYTES)));

  @Test
  void liveFramesHeldDuringReplayPastTheSocketsBytesCloseItWith1013() throws Exception {
    String queueId = node.createQueue("bytes-per-socket");
    Promise<Void> release = Promise.promise();
    TestSocket socket = replaying("bytes-per-socket", queueId, release);
    for (long sequence = 2; sequence <= 7; sequence++) {
      node.publish(queueId, message(queueId, sequence, "k", ContentType.TEXT, BIG));
    }
    assertEquals(1013, socket.awaitClose());
    release.complete();
    await().atMost(Duration.ofSeconds(5)).until(() -> node.module.heldBytes() == 0);
  }

  @Test
  void passingTheGatewaysTotalClosesTheSocketHoldingTheMostAndSparesTheOthers() throws Exception {
    List<Promise<Void>> releases = new ArrayList<>();
    List<TestSocket> sockets = new ArrayList<>();
    List<String> queues = new ArrayList<>();
    for (String name : List.of("total-a", "total-b", "total-c")) {
      String queueId = node.createQueue(name);
      Promise<Void> release = Promise.promise();
      queues.add(queueId);
      releases.add(release);
      sockets.add(replaying(name, queueId, release));
    }
    publishBig(queues.get(0), 5);
    await().atMost(Duration.ofSeconds(5)).until(() -> node.module.heldBytes() >= 500_000);
    publishBig(queues.get(1), 3);
    await().atMost(Duration.ofSeconds(5)).until(() -> node.module.heldBytes() >= 800_000);
    publishBig(queues.get(2), 3);

    assertEquals(1013, sockets.get(0).awaitClose(), "the socket holding the most makes room");
    releases.forEach(Promise::complete);
    for (int i = 1; i < 3; i++) {
      TestSocket spared = sockets.get(i);
      assertEquals(1, spared.next().getLong("sequence"));
      for (long sequence = 2; sequence <= 4; sequence++) {
        assertEquals(sequence, spared.next().getLong("sequence"));
      }
      assertFalse(spared.closeStatus.isDone());
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> node.module.heldBytes() == 0);
    sockets.get(1).close();
    sockets.get(2).close();
  }

  @Test
  void longPollHoldsLiveFramesOnlyUpToItsShareTheRestStaysInHistory() throws Exception {
    String queueId = node.createQueue("bytes-poll");
    Promise<Void> release = Promise.promise();
    node.heldHistory.put(queueId, release);
    var answer = node.client.executeBlocking(() -> node.poll("/queue/listen/longpoll/bytes-poll?sequence=first",
        TestNode.KEY));
    await().atMost(Duration.ofSeconds(5))
        .until(() -> node.historyRequests.stream().anyMatch(r -> r.queueId().equals(queueId)));
    publishBig(queueId, 6);
    await().atMost(Duration.ofSeconds(5)).until(() -> node.module.heldBytes() >= 500_000);
    release.complete();

    TestNode.Reply reply = TestNode.await(answer, 20);
    assertEquals(200, reply.status());
    assertEquals(5, reply.array().size(), "five frames fit in one share, the sixth waits for the next poll");
    assertEquals(6, reply.array().getJsonObject(4).getLong("sequence"));
    await().atMost(Duration.ofSeconds(5)).until(() -> node.module.heldBytes() == 0);
  }

  /** A socket replaying {@code ?sequence=first} whose history read waits for {@code release}. */
  private static TestSocket replaying(String name, String queueId, Promise<Void> release) throws Exception {
    node.retain(queueId, message(queueId, 1, "k", ContentType.TEXT, "old"));
    node.heldHistory.put(queueId, release);
    TestSocket socket = node.connect("/queue/listen/ws/" + name + "?sequence=first");
    await().atMost(Duration.ofSeconds(5))
        .until(() -> node.historyRequests.stream().anyMatch(r -> r.queueId().equals(queueId)));
    return socket;
  }

  private static void publishBig(String queueId, int count) {
    for (long sequence = 2; sequence < 2 + count; sequence++) {
      node.publish(queueId, message(queueId, sequence, "k", ContentType.TEXT, BIG));
    }
  }
}
