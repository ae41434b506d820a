package io.ferry.gateway;

import static io.ferry.gateway.TestNode.message;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.model.ContentType;
import io.ferry.contracts.model.StoredMessage;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SlowSubscriberTest {

  private static final int MAX_HELD_FRAMES = 10;
  @RegisterExtension
  static final TestNode node = TestNode.perClass(Map.of("gateway.max-queued-bytes", Integer.toString(16 * 1024),
      "gateway.max-held-frames", Integer.toString(MAX_HELD_FRAMES)));

  @Test
  void subscriberThatStopsReadingIsClosedWith1013() throws Exception {
    String queueId = node.createQueue("slow");
    TestSocket socket = node.connect("/queue/listen/ws/slow");
    socket.socket.pause();
    String big = "x".repeat(64 * 1024);
    int published = 0;
    for (int batch = 0; batch < 40; batch++) {
      StoredMessage[] messages = new StoredMessage[10];
      for (int i = 0; i < messages.length; i++) {
        messages[i] = message(queueId, ++published, "k", ContentType.TEXT, big);
      }
      node.publish(queueId, messages);
    }
    await("the server ends the subscription").atMost(Duration.ofSeconds(10))
        .until(() -> node.module.subscriptionCount() == 0);
    socket.socket.resume();
    assertEquals(1013, socket.awaitClose());
    assertTrue(socket.frames.size() < published, "the server stopped writing once the subscriber fell behind");
  }

  @Test
  void tooManyLiveFramesWhileReplayingClosesWith1013() throws Exception {
    String queueId = node.createQueue("held-overflow");
    node.retain(queueId, message(queueId, 1, "k", ContentType.TEXT, "old"));
    Promise<Void> release = Promise.promise();
    node.heldHistory.put(queueId, release);
    TestSocket socket = node.connect("/queue/listen/ws/held-overflow?sequence=first");
    await("a history read for " + queueId).atMost(Duration.ofSeconds(5))
        .until(() -> node.historyRequests.stream().anyMatch(r -> r.queueId().equals(queueId)));
    for (int sequence = 2; sequence <= MAX_HELD_FRAMES + 2; sequence++) {
      node.publish(queueId, message(queueId, sequence, "k", ContentType.TEXT, "live"));
    }
    assertEquals(1013, socket.awaitClose());
    release.complete();
  }
}
