package io.ferry.gateway;

import static io.ferry.gateway.TestNode.message;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.model.ContentType;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ReplayTest {

  private static final int PAGE = 2;
  // A tiny history page so that every replay crosses several pages.
  @RegisterExtension
  static final TestNode node = TestNode.perClass(Map.of("gateway.history-page-size", Integer.toString(PAGE)));

  /** A queue whose retained log is sequences 1..5, keys k1 k2 k1 k2 k1. */
  private static String queueWithHistory(String name) {
    String queueId = node.createQueue(name);
    for (long sequence = 1; sequence <= 5; sequence++) {
      node.retain(queueId, message(queueId, sequence, sequence % 2 == 1 ? "k1" : "k2", ContentType.TEXT,
          "m" + sequence));
    }
    return queueId;
  }

  @Test
  void sequenceReplaysFromNThenContinuesLiveWithoutDuplicates() throws Exception {
    String queueId = queueWithHistory("from-three");
    TestSocket socket = node.connect("/queue/listen/ws/from-three?sequence=3");
    assertEquals(List.of(3L, 4L, 5L), sequences(socket, 3));
    node.publish(queueId, message(queueId, 5, "k1", ContentType.TEXT, "m5"),
        message(queueId, 6, "k2", ContentType.TEXT, "m6"));
    assertEquals(6, socket.next().getLong("sequence"));
    socket.assertNoFrameWithin(200);
    socket.close();
  }

  @Test
  void firstReplaysEverythingRetained() throws Exception {
    queueWithHistory("from-first");
    TestSocket socket = node.connect("/queue/listen/ws/from-first?sequence=first");
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), sequences(socket, 5));
    socket.assertNoFrameWithin(200);
    socket.close();
  }

  @Test
  void lastSendsOnlyTheNewestThenLive() throws Exception {
    String queueId = queueWithHistory("from-last");
    TestSocket socket = node.connect("/queue/listen/ws/from-last?sequence=last");
    assertEquals(5, socket.next().getLong("sequence"));
    node.publish(queueId, message(queueId, 6, "k2", ContentType.TEXT, "m6"));
    assertEquals(6, socket.next().getLong("sequence"));
    socket.close();
  }

  @Test
  void lastOnIdRouteIsTheNewestOfThatId() throws Exception {
    queueWithHistory("last-of-id");
    TestSocket socket = node.connect("/queue/listen/ws/last-of-id/k2?sequence=last");
    var frame = socket.next();
    assertEquals(4, frame.getLong("sequence"));
    assertEquals("k2", frame.getString("id"));
    assertEquals("m4", frame.getString("payload"));
    socket.assertNoFrameWithin(200);
    socket.close();
  }

  @Test
  void sequenceOnIdRouteReplaysOnlyThatId() throws Exception {
    queueWithHistory("from-two-of-id");
    TestSocket socket = node.connect("/queue/listen/ws/from-two-of-id/k1?sequence=2");
    assertEquals(List.of(3L, 5L), sequences(socket, 2));
    socket.assertNoFrameWithin(200);
    socket.close();
  }

  @Test
  void lastOnEmptyQueueSendsNothingThenLive() throws Exception {
    String queueId = node.createQueue("empty-last");
    TestSocket socket = node.connect("/queue/listen/ws/empty-last?sequence=last");
    node.publish(queueId, message(queueId, 1, "k", ContentType.TEXT, "live"));
    assertEquals(1, socket.next().getLong("sequence"));
    socket.close();
  }

  @Test
  void liveFramesArrivingDuringReplayAreHandedOverWithNoGapAndNoDuplicate() throws Exception {
    String queueId = queueWithHistory("hand-over");
    Promise<Void> release = Promise.promise();
    node.heldHistory.put(queueId, release);
    TestSocket socket = node.connect("/queue/listen/ws/hand-over?sequence=4");
    awaitHistoryRequest(queueId);
    // Published while the first history page is still being read: 5 is in history too.
    node.publish(queueId, message(queueId, 5, "k1", ContentType.TEXT, "m5"),
        message(queueId, 6, "k2", ContentType.TEXT, "m6"));
    await().atMost(Duration.ofSeconds(5)).until(() -> node.module.heldBytes() > 0);
    long heldBefore = node.module.heldBytes();
    node.publish(queueId, message(queueId, 7, "k1", ContentType.TEXT, "m7"));
    await().atMost(Duration.ofSeconds(5)).until(() -> node.module.heldBytes() > heldBefore);
    release.complete();
    assertEquals(List.of(4L, 5L, 6L, 7L), sequences(socket, 4));
    socket.assertNoFrameWithin(200);
    socket.close();
  }

  @Test
  void aHoleInTheLiveFeedIsFilledFromHistoryBeforeTheFramesAfterIt() throws Exception {
    String queueId = queueWithHistory("feed-hole");
    TestSocket socket = node.connect("/queue/listen/ws/feed-hole?sequence=5");
    assertEquals(5, socket.next().getLong("sequence"));
    // 6 and 7 were published before the bus delivered the queue's feed here (or while the queue moved
    // between messaging instances): they are in history but never reach this gateway live.
    node.retain(queueId, message(queueId, 6, "k2", ContentType.TEXT, "m6"),
        message(queueId, 7, "k1", ContentType.TEXT, "m7"), message(queueId, 8, "k2", ContentType.TEXT, "m8"));
    node.publish(queueId, message(queueId, 8, "k2", ContentType.TEXT, "m8"));
    assertEquals(List.of(6L, 7L, 8L), sequences(socket, 3));
    node.publish(queueId, message(queueId, 9, "k1", ContentType.TEXT, "m9"));
    assertEquals(9, socket.next().getLong("sequence"));
    socket.assertNoFrameWithin(200);
    socket.close();
  }

  @Test
  void aHoleOnAKeyedSubscriptionIsFilledWithThatKeyOnly() throws Exception {
    String queueId = queueWithHistory("keyed-hole");
    TestSocket socket = node.connect("/queue/listen/ws/keyed-hole/k1?sequence=5");
    assertEquals(5, socket.next().getLong("sequence"));
    node.retain(queueId, message(queueId, 6, "k2", ContentType.TEXT, "m6"),
        message(queueId, 7, "k1", ContentType.TEXT, "m7"), message(queueId, 8, "k2", ContentType.TEXT, "m8"));
    // Only 8 arrives live, and it is not this socket's key: the hole before it still holds 7.
    node.publish(queueId, message(queueId, 8, "k2", ContentType.TEXT, "m8"));
    assertEquals(7, socket.next().getLong("sequence"));
    socket.assertNoFrameWithin(200);
    socket.close();
  }

  @Test
  void aHoleHistoryCannotFillIsAskedForOnceAndTheFramesAfterItFlow() throws Exception {
    String queueId = queueWithHistory("lost-hole");
    TestSocket socket = node.connect("/queue/listen/ws/lost-hole?sequence=5");
    assertEquals(5, socket.next().getLong("sequence"));
    long readsBefore = node.historyRequests.stream().filter(r -> r.queueId().equals(queueId)).count();
    // 6 and 7 are neither live nor retained (never published, or past retention): 8 and 9 still arrive.
    node.publish(queueId, message(queueId, 8, "k2", ContentType.TEXT, "m8"));
    node.publish(queueId, message(queueId, 9, "k1", ContentType.TEXT, "m9"));
    assertEquals(List.of(8L, 9L), sequences(socket, 2));
    long reads = node.historyRequests.stream().filter(r -> r.queueId().equals(queueId)).count() - readsBefore;
    assertEquals(1, reads, "history reads for one hole");
    socket.close();
  }

  @Test
  void aMessageTheFeedNeverBroughtReachesASocketFollowingFromASequenceOnceTheFeedIsQuiet() throws Exception {
    String queueId = queueWithHistory("missed-tail");
    TestSocket socket = node.connect("/queue/listen/ws/missed-tail?sequence=5");
    assertEquals(5, socket.next().getLong("sequence"));
    TestSocket live = node.connect("/queue/listen/ws/missed-tail");
    int checksBefore = node.headChecks.size();
    // Published while the publisher did not know of this gateway's feed yet (or by an instance that died
    // before it told the feed): history has it, no later message shows the hole.
    node.retain(queueId, message(queueId, 6, "k2", ContentType.TEXT, "m6"));

    JsonObject frame = socket.next();
    assertEquals(6, frame.getLong("sequence"));
    assertEquals("m6", frame.getString("payload"));
    assertTrue(node.headChecks.size() > checksBefore, "found by asking history for the head");
    // Live from now, it was not there yet when the message was published.
    live.assertNoFrameWithin(500);
    socket.assertNoFrameWithin(200);
    socket.close();
    live.close();
  }

  @Test
  void historyFailureClosesTheSocketWith1011() throws Exception {
    node.createQueue("broken-history", "broken0000000000000000000000000");
    TestSocket socket = node.connect("/queue/listen/ws/broken-history?sequence=first");
    assertEquals(1011, socket.awaitClose());
  }

  @Test
  void historyIsReadPageByPage() throws Exception {
    String queueId = queueWithHistory("paged");
    TestSocket socket = node.connect("/queue/listen/ws/paged?sequence=1");
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), sequences(socket, 5));
    long reads = node.historyRequests.stream().filter(r -> r.queueId().equals(queueId)).count();
    assertTrue(reads >= 3, "5 messages in pages of " + PAGE + " took " + reads + " reads");
    assertTrue(node.historyRequests.stream().allMatch(r -> r.limit() == PAGE || r.limit() == 1));
    socket.close();
  }

  private static void awaitHistoryRequest(String queueId) {
    await("a history read for " + queueId).atMost(Duration.ofSeconds(5))
        .until(() -> node.historyRequests.stream().anyMatch(r -> r.queueId().equals(queueId)));
  }

  private static List<Long> sequences(TestSocket socket, int count) throws InterruptedException {
    List<Long> sequences = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      sequences.add(socket.next().getLong("sequence"));
    }
    return sequences;
  }
}
