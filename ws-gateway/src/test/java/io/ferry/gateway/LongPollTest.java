package io.ferry.gateway;

import static io.ferry.contracts.testkit.DialectAssertions.assertError;
import static io.ferry.gateway.TestNode.message;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ferry.contracts.error.Dialect;
import io.ferry.contracts.error.ErrorCode;
import io.ferry.contracts.model.ContentType;
import io.ferry.contracts.model.EventTypes;
import io.ferry.gateway.TestNode.Reply;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LongPollTest {

  private static final int PAGE = 3;
  private static final int MAX_TIMEOUT_MS = 15_000;
  @RegisterExtension
  static final TestNode node = TestNode.perClass(Map.of("gateway.history-page-size", Integer.toString(PAGE),
      "gateway.longpoll-max-timeout-ms", Integer.toString(MAX_TIMEOUT_MS)));

  /** A queue whose retained log is sequences 1..5, keys k1 k2 k1 k2 k1. */
  private static String queueWithHistory(String name) {
    String queueId = node.createQueue(name);
    for (long sequence = 1; sequence <= 5; sequence++) {
      node.retain(queueId, message(queueId, sequence, sequence % 2 == 1 ? "k1" : "k2", ContentType.JSON,
          "{\"n\":" + sequence + "}"));
    }
    return queueId;
  }

  @Test
  void retainedMessagesFromTheSequenceComeAtOnceOnePageAtATime() throws Exception {
    queueWithHistory("poll-history");
    Reply first = node.poll("/queue/listen/longpoll/poll-history?sequence=2", TestNode.KEY);
    assertEquals(200, first.status(), String.valueOf(first.body()));
    assertEquals(new JsonObject().put("id", "k2").put("sequence", 2).put("payload", new JsonObject().put("n", 2)),
        first.array().getJsonObject(0));
    assertEquals(List.of(2L, 3L, 4L), sequences(first));
    assertEquals(List.of(5L), sequences(node.poll("/queue/listen/longpoll/poll-history?sequence=5", TestNode.KEY)));
    assertEquals(List.of(1L, 2L, 3L),
        sequences(node.poll("/queue/listen/longpoll/poll-history?sequence=first", TestNode.KEY)));
    assertEquals(List.of(5L), sequences(node.poll("/queue/listen/longpoll/poll-history?sequence=last", TestNode.KEY)));
  }

  @Test
  void aFullPageSaysWhereToContinueAndTheLastPageDoesNot() throws Exception {
    queueWithHistory("poll-pages");
    Reply first = node.poll("/queue/listen/longpoll/poll-pages?sequence=first", TestNode.KEY);
    assertEquals(List.of(1L, 2L, 3L), sequences(first));
    assertEquals("4", first.headers().get("Ferry-Next-Sequence"), "more are waiting: ask again from 4");
    assertEquals("1", first.headers().get("Ferry-Oldest-Sequence"));
    Reply rest = node.poll("/queue/listen/longpoll/poll-pages?sequence=4", TestNode.KEY);
    assertEquals(List.of(4L, 5L), sequences(rest));
    assertNull(rest.headers().get("Ferry-Next-Sequence"), "caught up");
    // A page that is exactly full with nothing after it is not announced as cut short.
    Reply k1 = node.poll("/queue/listen/longpoll/poll-pages/k1?sequence=first", TestNode.KEY);
    assertEquals(List.of(1L, 3L, 5L), sequences(k1));
    assertNull(k1.headers().get("Ferry-Next-Sequence"));
    Reply live = node.poll("/queue/listen/longpoll/poll-pages?sequence=last", TestNode.KEY);
    assertNull(live.headers().get("Ferry-Next-Sequence"));
    assertNull(live.headers().get("Ferry-Oldest-Sequence"), "only on polls from a sequence");
  }

  @Test
  void aPollFromASequenceNoLongerRetainedCanTellFromTheOldestSequenceHeader() throws Exception {
    String queueId = node.createQueue("poll-expired");
    for (long sequence = 3; sequence <= 4; sequence++) {
      node.retain(queueId, message(queueId, sequence, "k", ContentType.JSON, "{\"n\":" + sequence + "}"));
    }
    Reply reply = node.poll("/queue/listen/longpoll/poll-expired?sequence=1", TestNode.KEY);
    assertEquals(List.of(3L, 4L), sequences(reply));
    assertEquals("3", reply.headers().get("Ferry-Oldest-Sequence"), "1 and 2 are gone");
    assertNull(reply.headers().get("Ferry-Next-Sequence"));
  }

  @Test
  void idRouteReturnsOnlyThatId() throws Exception {
    queueWithHistory("poll-id");
    assertEquals(List.of(1L, 3L, 5L),
        sequences(node.poll("/queue/listen/longpoll/poll-id/k1?sequence=first", TestNode.KEY)));
    assertEquals(List.of(4L), sequences(node.poll("/queue/listen/longpoll/poll-id/k2?sequence=3", TestNode.KEY)));
    assertEquals(List.of(4L), sequences(node.poll("/queue/listen/longpoll/poll-id/k2?sequence=last", TestNode.KEY)));
  }

  @Test
  void waitsForTheNextMessageWhenNothingIsRetained() throws Exception {
    String queueId = queueWithHistory("poll-wait");
    long started = System.currentTimeMillis();
    CompletableFuture<Reply> reply = pollAsync("/queue/listen/longpoll/poll-wait?sequence=6&timeout_ms=10000");
    awaitFollowers(1);
    assertFalse(reply.isDone(), "the poll waits while nothing matches");
    node.publish(queueId, message(queueId, 6, "k2", ContentType.TEXT, "six"),
        message(queueId, 7, "k1", ContentType.TEXT, "seven"));
    Reply answer = reply.get(12, TimeUnit.SECONDS);
    assertEquals(200, answer.status());
    assertEquals(List.of(6L, 7L), sequences(answer));
    assertEquals("six", answer.array().getJsonObject(0).getString("payload"));
    assertTrue(System.currentTimeMillis() - started < 8_000, "answered when the message came, not at the timeout");
    awaitFollowers(0);
  }

  @Test
  void aLiveMessageAfterAHoleInTheFeedAnswersWithTheHoleFromHistoryFirst() throws Exception {
    String queueId = queueWithHistory("poll-hole");
    CompletableFuture<Reply> reply = pollAsync("/queue/listen/longpoll/poll-hole?sequence=6&timeout_ms=10000");
    awaitFollowers(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> node.historyRequests.stream()
        .anyMatch(r -> r.queueId().equals(queueId)));
    assertFalse(reply.isDone(), "the poll waits while nothing matches");
    // 6 and 7 were published before this gateway's feed of the queue reached it: history has them, the feed
    // brings only 8. Answering 8 alone would make the client's next poll (from 9) skip them.
    node.retain(queueId, message(queueId, 6, "k2", ContentType.TEXT, "six"),
        message(queueId, 7, "k1", ContentType.TEXT, "seven"), message(queueId, 8, "k2", ContentType.TEXT, "eight"));
    node.publish(queueId, message(queueId, 8, "k2", ContentType.TEXT, "eight"));
    Reply answer = reply.get(12, TimeUnit.SECONDS);
    assertEquals(200, answer.status());
    assertEquals(List.of(6L, 7L, 8L), sequences(answer));
    awaitFollowers(0);
  }

  @Test
  void aPollWaitingFromASequenceAnswersWithWhatHistoryHasThoughTheFeedNeverBroughtIt() throws Exception {
    String queueId = queueWithHistory("poll-missed");
    long started = System.currentTimeMillis();
    CompletableFuture<Reply> reply = pollAsync("/queue/listen/longpoll/poll-missed?sequence=6&timeout_ms=10000");
    awaitFollowers(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> node.historyRequests.stream()
        .anyMatch(r -> r.queueId().equals(queueId)));
    assertFalse(reply.isDone(), "the poll waits while nothing matches");
    // Published without this gateway's feed hearing of it: only history has it.
    node.retain(queueId, message(queueId, 6, "k2", ContentType.TEXT, "six"));

    Reply answer = reply.get(12, TimeUnit.SECONDS);
    assertEquals(List.of(6L), sequences(answer));
    assertTrue(System.currentTimeMillis() - started < 8_000, "answered once history had it, not at the timeout");
    awaitFollowers(0);
  }

  @Test
  void withoutSequenceOnlyLiveMessagesCount() throws Exception {
    String queueId = queueWithHistory("poll-live");
    CompletableFuture<Reply> reply = pollAsync("/queue/listen/longpoll/poll-live?timeout_ms=10000");
    awaitFollowers(1);
    node.publish(queueId, message(queueId, 6, "k1", ContentType.TEXT, "live"));
    assertEquals(List.of(6L), sequences(reply.get(12, TimeUnit.SECONDS)));
  }

  @Test
  void idRouteWaitsForThatIdOnly() throws Exception {
    String queueId = node.createQueue("poll-wait-id");
    CompletableFuture<Reply> reply = pollAsync("/queue/listen/longpoll/poll-wait-id/mine?sequence=1&timeout_ms=10000");
    awaitFollowers(1);
    // Had the other id's message answered the poll, the answer below would not be message 3.
    node.publish(queueId, message(queueId, 1, "other", ContentType.TEXT, "not for me"));
    node.publish(queueId, message(queueId, 2, "other", ContentType.TEXT, "no"),
        message(queueId, 3, "mine", ContentType.TEXT, "yes"));
    Reply answer = reply.get(12, TimeUnit.SECONDS);
    assertEquals(List.of(3L), sequences(answer));
    assertEquals("mine", answer.array().getJsonObject(0).getString("id"));
  }

  @Test
  void timeoutAnswersWithAnEmptyArray() throws Exception {
    queueWithHistory("poll-timeout");
    long started = System.currentTimeMillis();
    Reply reply = node.poll("/queue/listen/longpoll/poll-timeout?sequence=6&timeout_ms=400", TestNode.KEY);
    long took = System.currentTimeMillis() - started;
    assertEquals(200, reply.status());
    assertEquals(new JsonArray(), reply.array());
    assertTrue(took >= 350 && took < 8_000, "took " + took + " ms");

    started = System.currentTimeMillis();
    assertEquals(new JsonArray(), node.poll("/queue/listen/longpoll/poll-timeout?timeout_ms=0", TestNode.KEY).array());
    assertTrue(System.currentTimeMillis() - started < 1_000);
    awaitFollowers(0);
  }

  @Test
  void zeroTimeoutStillReturnsWhatIsRetained() throws Exception {
    queueWithHistory("poll-zero");
    assertEquals(List.of(4L, 5L),
        sequences(node.poll("/queue/listen/longpoll/poll-zero?sequence=4&timeout_ms=0", TestNode.KEY)));
  }

  @Test
  void badParametersAre400NamingTheField() throws Exception {
    node.createQueue("poll-bad");
    for (String bad : new String[] {"-1", "abc", "1.5", "", Integer.toString(MAX_TIMEOUT_MS + 1), "99999999999999999999"}) {
      Reply reply = node.poll("/queue/listen/longpoll/poll-bad?timeout_ms=" + bad, TestNode.KEY);
      assertError(reply.status(), reply.headers().get("Content-Type"), reply.error().encode(), Dialect.SONYA,
          ErrorCode.INVALID_FIELD, "");
      assertTrue(reply.error().getString("message").startsWith("timeout_ms:"), reply.error().encode());
    }
    Reply sequence = node.poll("/queue/listen/longpoll/poll-bad?sequence=soon", TestNode.KEY);
    assertEquals(400, sequence.status());
    assertTrue(sequence.error().getString("message").startsWith("sequence:"));
    Reply name = node.poll("/queue/listen/longpoll/bad%20name", TestNode.KEY);
    assertEquals(400, name.status());
    assertTrue(name.error().getString("message").startsWith("queue:"));
    Reply id = node.poll("/queue/listen/longpoll/poll-bad/" + "i".repeat(513), TestNode.KEY);
    assertEquals(400, id.status());
    assertTrue(id.error().getString("message").startsWith("id:"));
    Reply unknown = node.poll("/queue/listen/longpoll/no-such-queue", TestNode.KEY);
    assertError(unknown.status(), unknown.headers().get("Content-Type"), unknown.error().encode(), Dialect.SONYA,
        ErrorCode.QUEUE_NOT_FOUND, "no-such-queue");
    awaitFollowers(0);
  }

  @Test
  void maximumTimeoutIsAccepted() throws Exception {
    String queueId = node.createQueue("poll-max");
    CompletableFuture<Reply> reply = pollAsync("/queue/listen/longpoll/poll-max?timeout_ms=" + MAX_TIMEOUT_MS);
    awaitFollowers(1);
    node.publish(queueId, message(queueId, 1, "k", ContentType.TEXT, "x"));
    assertEquals(200, reply.get(12, TimeUnit.SECONDS).status());
  }

  @Test
  void deletedQueueEndsAWaitingPollWithAnEmptyArray() throws Exception {
    String queueId = node.createQueue("poll-deleted");
    CompletableFuture<Reply> reply = pollAsync("/queue/listen/longpoll/poll-deleted?timeout_ms=10000");
    awaitFollowers(1);
    node.publishEvent(EventTypes.QUEUE_DELETED, queueId, new JsonObject().put("queue_name", "poll-deleted"));
    Reply answer = reply.get(8, TimeUnit.SECONDS);
    assertEquals(200, answer.status());
    assertEquals(new JsonArray(), answer.array());
    awaitFollowers(0);
  }

  @Test
  void clientThatGoesAwayStopsFollowing() throws Exception {
    node.createQueue("poll-gone");
    var request = node.http.get(node.node.httpPort(), "127.0.0.1", "/queue/listen/longpoll/poll-gone?timeout_ms=5000")
        .putHeader("X-API-KEY", TestNode.KEY).timeout(300);
    CompletableFuture<Object> sent = request.send().<Object>map(r -> r).toCompletionStage().toCompletableFuture();
    awaitFollowers(1);
    try {
      sent.get(5, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException expected) {
      // the client's own timeout closed the connection
    }
    awaitFollowers(0);
  }

  private static CompletableFuture<Reply> pollAsync(String uri) throws InterruptedException {
    awaitFollowers(0);
    return CompletableFuture.supplyAsync(() -> {
      try {
        return node.poll(uri, TestNode.KEY);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  private static void awaitFollowers(int count) {
    await().atMost(Duration.ofSeconds(5)).until(() -> node.module.subscriptionCount() == count);
  }

  private static List<Long> sequences(Reply reply) {
    assertEquals(200, reply.status(), String.valueOf(reply.body()));
    List<Long> sequences = new ArrayList<>();
    for (int i = 0; i < reply.array().size(); i++) {
      sequences.add(reply.array().getJsonObject(i).getLong("sequence"));
    }
    return sequences;
  }
}
