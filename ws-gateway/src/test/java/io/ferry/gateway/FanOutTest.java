package io.ferry.gateway;

import static io.ferry.gateway.TestNode.message;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.contracts.model.ContentType;
import io.ferry.contracts.model.StoredMessage;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One queue followed by many sockets: each gets every frame, whole and in order, the same text as the others. */
class FanOutTest {

  @RegisterExtension
  static final TestNode node = TestNode.perClass();

  @Test
  void everySocketGetsEveryFrameOfEachBatchInOrderWithTheSameText() throws Exception {
    String queueId = node.createQueue("fan-out");
    List<TestSocket> sockets = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      sockets.add(node.connect("/queue/listen/ws/fan-out"));
    }
    // Small, multi-byte and longer than one WebSocket frame (sent as a TEXT and CONTINUATION frames).
    List<String> bodies = List.of("a", "żółw ✓ 𝄞", "y".repeat(200_000), "b", "z".repeat(70_000));
    long sequence = 0;
    for (int batch = 0; batch < 3; batch++) {
      StoredMessage[] messages = new StoredMessage[bodies.size()];
      for (int i = 0; i < bodies.size(); i++) {
        messages[i] = message(queueId, ++sequence, "k" + i, ContentType.TEXT, bodies.get(i));
      }
      node.publish(queueId, messages);
    }
    for (TestSocket socket : sockets) {
      for (long expected = 1; expected <= sequence; expected++) {
        JsonObject frame = socket.next();
        assertEquals(expected, frame.getLong("sequence"));
        assertEquals(bodies.get((int) ((expected - 1) % bodies.size())), frame.getString("payload"));
      }
      socket.close();
    }
  }
}
