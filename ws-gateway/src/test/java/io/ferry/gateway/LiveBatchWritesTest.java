package io.ferry.gateway;

import static io.ferry.gateway.TestNode.message;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ferry.contracts.model.ContentType;
import io.ferry.contracts.model.StoredMessage;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A live batch goes to a socket that takes all of it as one write, and frame by frame to one that takes only
 * part of it (an id filter, frames it already has): both see the same frames, once and in order.
 */
class LiveBatchWritesTest {

  @RegisterExtension
  static final TestNode node = TestNode.perClass();

  @Test
  void aSocketFollowingOneIdGetsOnlyItsFramesOutOfBatchesOthersGetWhole() throws Exception {
    String queueId = node.createQueue("batches-and-ids");
    TestSocket whole = node.connect("/queue/listen/ws/batches-and-ids");
    TestSocket keyed = node.connect("/queue/listen/ws/batches-and-ids/wanted");
    node.publish(queueId, message(queueId, 1, "other", ContentType.TEXT, "one"),
        message(queueId, 2, "wanted", ContentType.TEXT, "two"),
        message(queueId, 3, "other", ContentType.TEXT, "three"));
    node.publish(queueId, message(queueId, 4, "wanted", ContentType.TEXT, "four"),
        message(queueId, 5, "other", ContentType.TEXT, "five"));

    assertFrames(whole, 1, "one", 2, "two", 3, "three", 4, "four", 5, "five");
    assertFrames(keyed, 2, "two", 4, "four");
    whole.assertNoFrameWithin(200);
    keyed.assertNoFrameWithin(200);
    whole.close();
    keyed.close();
  }

  @Test
  void aBatchThatOverlapsWhatASocketAlreadyHasSendsOnlyTheRestOnce() throws Exception {
    String queueId = node.createQueue("overlapping-batches");
    TestSocket socket = node.connect("/queue/listen/ws/overlapping-batches");
    StoredMessage one = message(queueId, 1, "a", ContentType.TEXT, "one");
    StoredMessage two = message(queueId, 2, "b", ContentType.TEXT, "two");
    StoredMessage three = message(queueId, 3, "c", ContentType.TEXT, "three");
    node.publish(queueId, one, two);
    node.publish(queueId, two, three);

    assertFrames(socket, 1, "one", 2, "two", 3, "three");
    socket.assertNoFrameWithin(200);
    socket.close();
  }

  private static void assertFrames(TestSocket socket, Object... sequenceThenPayload) throws Exception {
    for (int i = 0; i < sequenceThenPayload.length; i += 2) {
      JsonObject frame = socket.next();
      assertEquals(((Integer) sequenceThenPayload[i]).longValue(), frame.getLong("sequence"));
      assertEquals(sequenceThenPayload[i + 1], frame.getString("payload"));
    }
  }
}
